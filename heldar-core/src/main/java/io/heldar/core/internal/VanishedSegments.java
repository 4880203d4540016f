package io.heldar.core.internal;

import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.model.GapCause;
import io.heldar.core.model.Segment;
import io.heldar.core.store.HeldarStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Marks rows whose files vanished as missing, the one way the recordings root's reconciliation and
 * each storage tier's check both do it: the rows move to {@code missing_segments}, each raises
 * {@code segment_missing} (naming its file), their footage becomes a {@code lost} gap and the
 * camera's statistics are refreshed, in one transaction; listeners hear of it after the commit.
 */
public final class VanishedSegments {
  private VanishedSegments() {}

  /**
   * Marks {@code paths} of {@code cameraId} missing as of {@code now}; {@code fileOf} names each
   * one's file in its event. Runs the transaction itself, so a caller may fence around it. Returns
   * the segments marked.
   */
  public static List<Segment> markMissing(
      HeldarStore store,
      EventPublisher events,
      GapDetector gaps,
      String cameraId,
      Collection<String> paths,
      Instant now,
      Function<Segment, String> fileOf) {
    List<HeldarEvent> raised = new ArrayList<>();
    List<Segment> moved = store.inTransaction(() -> {
      raised.clear(); // a retried transaction raises its events once
      List<Segment> m = store.segments().moveToMissing(paths, now);
      for (Segment s : m) {
        HeldarEvent e = HeldarEvent.of(
            cameraId,
            new TypedEvent.SegmentMissing(s.path(), fileOf.apply(s), s.start(), s.end()),
            now);
        events.record(e);
        raised.add(e);
      }
      gaps.onSegmentsRemoved(cameraId, m, GapCause.LOST);
      store.cameraStats().refresh(cameraId, now);
      return m;
    });
    events.notifyListeners(raised);
    return moved;
  }
}
