package io.heldar.core.index.internal;

import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.index.internal.ProbePipeline.Candidate;
import io.heldar.core.index.internal.ProbePipeline.Incomplete;
import io.heldar.core.index.internal.ProbePipeline.Outcome;
import io.heldar.core.index.internal.ProbePipeline.Probed;
import io.heldar.core.index.internal.ProbePipeline.Unreadable;
import io.heldar.core.model.PrintableText;
import io.heldar.core.model.Segment;
import io.heldar.core.model.UnreadableFile;
import io.heldar.core.probe.ProbeUnavailableException;
import io.heldar.core.store.HeldarStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexer's committing stage: turns a batch of probe outcomes into index rows in one
 * transaction — segments (new, or replacing a changed file's row), unreadable files, their events,
 * camera stats and gaps — and falls back to one file at a time when a batch fails, so one bad row
 * is that file's failure, not the camera's.
 */
final class SegmentCommitter {
  private static final Logger log = LoggerFactory.getLogger(SegmentCommitter.class);

  private final HeldarStore store;
  private final Path root;
  private final Clock clock;
  private final EventPublisher events;
  private final GapDetector gaps;
  private final Duration incompleteGrace;

  SegmentCommitter(
      HeldarStore store,
      Path root,
      Clock clock,
      EventPublisher events,
      GapDetector gaps,
      Duration incompleteGrace) {
    this.store = store;
    this.root = root;
    this.clock = clock;
    this.events = events;
    this.gaps = gaps;
    this.incompleteGrace = incompleteGrace;
  }

  /** What one commit did: rows inserted, rows replaced (files that changed), files failed, files still being written. */
  record BatchResult(
      List<Segment> indexed,
      List<String> failed,
      List<String> stillWriting,
      List<Segment> replaced) {
    static final BatchResult EMPTY = new BatchResult(List.of(), List.of(), List.of(), List.of());

    BatchResult plus(BatchResult o) {
      return new BatchResult(
          concat(indexed, o.indexed),
          concat(failed, o.failed),
          concat(stillWriting, o.stillWriting),
          concat(replaced, o.replaced));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
      List<T> out = new ArrayList<>(a);
      out.addAll(b);
      return out;
    }
  }

  /**
   * Commits one batch. If the batch's transaction fails, each file is committed on its own, so one
   * file's failure is that file's failure; a file whose row the store refuses is recorded as
   * unreadable with the store's reason. Only when even that cannot be written (the database itself
   * is failing) does the camera's scan fail.
   */
  BatchResult commit(
      String cameraId, List<Outcome> outcomes, Map<String, UnreadableFile> unreadable) {
    try {
      return commitBatch(cameraId, outcomes, unreadable);
    } catch (ProbeUnavailableException | ScanFailure e) {
      throw e;
    } catch (RuntimeException e) {
      if (outcomes.size() > 1) {
        log.debug(
            "camera {}: batch of {} failed ({}); committing file by file",
            cameraId,
            outcomes.size(),
            e.toString());
        BatchResult total = BatchResult.EMPTY;
        for (Outcome o : outcomes) {
          total = total.plus(commit(cameraId, List.of(o), unreadable));
        }
        return total;
      }
      Outcome o = outcomes.get(0);
      String reason =
          "the index refused its row: " + (e.getMessage() == null ? e.toString() : e.getMessage());
      try {
        return commitBatch(cameraId, List.of(new Unreadable(o.candidate(), reason)), unreadable);
      } catch (RuntimeException again) {
        again.addSuppressed(e);
        throw new ScanFailure("cannot write to the index: " + again.getMessage(), again);
      }
    }
  }

  private BatchResult commitBatch(
      String cameraId, List<Outcome> outcomes, Map<String, UnreadableFile> unreadable) {
    Instant now = clock.instant();
    List<Segment> segments = new ArrayList<>();
    List<Segment> replacements = new ArrayList<>();
    List<UnreadableFile> failed = new ArrayList<>();
    List<String> stillWriting = new ArrayList<>();
    for (Outcome o : outcomes) {
      Candidate c = o.candidate();
      if (o instanceof Probed p) {
        Segment s =
            Segment.of(cameraId, c.path(), c.start(), p.media(), c.size(), c.modified(), now);
        if (c.changed()) {
          replacements.add(s);
        } else {
          segments.add(s);
        }
      } else if (o instanceof Incomplete i && c.modified().isAfter(now.minus(incompleteGrace))) {
        // A recorder that buffers leaves a file untouched for a while before it finishes it: look
        // again later.
        stillWriting.add(c.path());
        log.debug(
            "camera {}: {} is incomplete but recent ({}); waiting",
            cameraId,
            PrintableText.of(c.path()),
            i.reason());
      } else {
        String reason = o instanceof Incomplete i ? i.reason() : ((Unreadable) o).reason();
        failed.add(new UnreadableFile(cameraId, c.path(), c.size(), c.modified(), reason, now));
      }
    }
    List<HeldarEvent> raised = new ArrayList<>();
    List<Segment> inserted = store.inTransaction(() -> {
      List<Segment> ins = store.segments().insertAll(segments);
      // A file that came back changed is indexed anew: its old row is no longer missing.
      store.segments().forgetMissing(ins.stream().map(Segment::path).toList());
      for (Segment s : ins) {
        if (unreadable.containsKey(s.path())) {
          store.unreadableFiles().remove(s.path());
        }
      }
      for (Segment s : replacements) {
        Optional<Segment> old = store.segments().findByPath(s.path());
        store.segments().delete(List.of(s.path()));
        store.segments().insertAll(List.of(s));
        if (unreadable.containsKey(s.path())) {
          store.unreadableFiles().remove(s.path());
        }
        HeldarEvent e = HeldarEvent.of(
            cameraId,
            new TypedEvent.SegmentChanged(
                s.path(),
                old.map(Segment::end),
                old.isPresent() ? OptionalLong.of(old.get().sizeBytes()) : OptionalLong.empty(),
                s.end(),
                s.sizeBytes()),
            now);
        events.record(e);
        raised.add(e);
      }
      for (UnreadableFile f : failed) {
        store.unreadableFiles().put(f);
        HeldarEvent e = HeldarEvent.of(
            cameraId,
            new TypedEvent.SegmentUnreadable(
                f.path(), root.resolve(f.path()).toString(), f.reason(), f.sizeBytes()),
            now);
        events.record(e);
        raised.add(e);
      }
      if (!ins.isEmpty()) {
        store.cameraStats().addIndexed(cameraId, ins, now);
      }
      if (!replacements.isEmpty()) {
        store.cameraStats().refresh(cameraId, now);
      }
      raised.addAll(gaps.onSegmentsIndexed(cameraId, ins));
      // The replacement's neighbourhood reaches the footage on both sides, so a file that
      // grew closes the gap it had left and one that shrank opens one.
      raised.addAll(gaps.onSegmentsIndexed(cameraId, replacements));
      return ins;
    });
    for (UnreadableFile f : failed) {
      log.warn(
          "camera {}: segment {} is unreadable: {}",
          cameraId,
          PrintableText.of(f.path()),
          PrintableText.of(f.reason()));
    }
    for (Segment s : replacements) {
      log.info(
          "camera {}: {} changed on disk; re-indexed as {} .. {}",
          cameraId,
          PrintableText.of(s.path()),
          s.start(),
          s.end());
    }
    events.notifyListeners(raised);
    return new BatchResult(
        inserted, failed.stream().map(UnreadableFile::path).toList(), stillWriting, replacements);
  }
}
