package io.heldar.core.gap.internal;

import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.model.GapCause;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.model.Segment;
import io.heldar.core.model.SegmentSpan;
import io.heldar.core.store.HeldarStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recomputes the holes of the window that new footage can change, from the index itself.
 *
 * <p>For new segments spanning {@code [minStart, maxEnd]}, every hole they can change lies in
 * {@code [P, Q]} where P is the latest segment end at or before {@code minStart} and Q the earliest
 * segment start at or after {@code maxEnd}: any old open gap touching the span is bounded by such
 * neighbours. The holes of the current segment set inside {@code [P, Q]} are computed by one
 * sweep and matched to the old open gaps they lie in.
 */
public final class NeighbourGapDetector implements GapDetector {
  private static final Logger log = LoggerFactory.getLogger(NeighbourGapDetector.class);

  private static final Instant FAR_FUTURE = Instant.parse("9999-12-31T00:00:00Z");
  private static final Instant FAR_PAST = Instant.parse("0001-01-01T00:00:00Z");

  private final HeldarStore store;
  private final EventPublisher events;
  private final Clock clock;
  private final Options options;

  /** Use {@link GapDetector#create}. */
  public NeighbourGapDetector(
      HeldarStore store, EventPublisher events, Clock clock, Options options) {
    this.store = store;
    this.events = events;
    this.clock = clock;
    this.options = options;
  }

  /** A hole in the footage: it starts where the cover so far ends, and ends where the next segment starts. */
  private record Hole(Instant start, Instant end) {
    static Hole between(Instant coverEnd, Instant nextStart) {
      return new Hole(coverEnd, nextStart);
    }
  }

  @Override
  public List<HeldarEvent> onSegmentsIndexed(String cameraId, List<Segment> added) {
    if (added.isEmpty()) {
      return List.of();
    }
    Instant minStart =
        added.stream().map(Segment::start).min(Comparator.naturalOrder()).orElseThrow();
    Instant maxEnd =
        added.stream().map(Segment::end).max(Comparator.naturalOrder()).orElseThrow();
    return store.inTransaction(() -> reconcile(cameraId, minStart, maxEnd, added));
  }

  @Override
  public void onSegmentsRemoved(String cameraId, List<Segment> removed, GapCause cause) {
    if (removed.isEmpty()) {
      return;
    }
    Instant minStart =
        removed.stream().map(Segment::start).min(Comparator.naturalOrder()).orElseThrow();
    Instant maxEnd =
        removed.stream().map(Segment::end).max(Comparator.naturalOrder()).orElseThrow();
    store.useTransaction(() -> {
      Instant now = clock.instant();
      Optional<Instant> before = store.segments().latestEndAtOrBefore(cameraId, minStart);
      Optional<Instant> firstFootage = store.segments().earliestStartAtOrAfter(cameraId, FAR_PAST);
      if (firstFootage.isEmpty()) {
        // No footage left at all: no hole either.
        holesOnly(store.gaps().openOverlapping(cameraId, FAR_PAST, FAR_FUTURE))
            .forEach(g -> store.gaps().delete(g.id()));
        return;
      }
      if (before.isEmpty()) {
        // Nothing left before the deleted span: gaps that end before the first remaining footage
        // are not holes any more.
        for (RecordingGap g : holesOnly(
            store.gaps().openOverlapping(cameraId, FAR_PAST, firstFootage.get().plusMillis(1)))) {
          if (!g.end().isAfter(firstFootage.get())) {
            store.gaps().delete(g.id());
          }
        }
      }
      Optional<Instant> p = Optional.of(before.orElse(firstFootage.get()));
      Optional<Instant> q = store
          .segments()
          .earliestStartAtOrAfter(cameraId, maxEnd)
          .or(() -> store.segments().latestEndAtOrBefore(cameraId, FAR_FUTURE));
      if (!q.get().isAfter(p.get())) {
        return;
      }
      List<SegmentSpan> segments = store.segments().touching(cameraId, p.get(), q.get());
      List<Hole> holes = new ArrayList<>();
      Instant coverEnd = null;
      for (SegmentSpan s : segments) {
        if (coverEnd != null
            && Duration.between(coverEnd, s.start()).compareTo(options.threshold()) > 0) {
          holes.add(Hole.between(coverEnd, s.start()));
        }
        if (coverEnd == null || s.end().isAfter(coverEnd)) {
          coverEnd = s.end();
        }
      }
      List<RecordingGap> old = holesOnly(store.gaps().openOverlapping(cameraId, p.get(), q.get()));
      for (Hole h : holes) {
        boolean kept = false;
        for (RecordingGap g : old) {
          boolean inside = !g.start().isBefore(h.start()) && !g.end().isAfter(h.end());
          if (!inside) {
            continue;
          }
          if (g.start().equals(h.start()) && g.end().equals(h.end())) {
            kept = true; // this hole was there before the deletion
          } else {
            store.gaps().delete(g.id()); // absorbed by the larger hole the deletion made
          }
        }
        if (!kept) {
          store.gaps().insertOpen(cameraId, h.start(), h.end(), cause, now);
          log.info("camera {}: {} hole {} .. {}", cameraId, cause.dbValue(), h.start(), h.end());
        }
      }
    });
  }

  @Override
  public List<HeldarEvent> recompute(String cameraId, Instant from, Instant to) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("range end " + to + " before start " + from);
    }
    List<HeldarEvent> raised = store.inTransaction(() -> reconcile(cameraId, from, to, List.of()));
    events.notifyListeners(raised);
    return raised;
  }

  private List<HeldarEvent> reconcile(
      String cameraId, Instant from, Instant to, List<Segment> added) {
    Instant p = store.segments().latestEndAtOrBefore(cameraId, from).orElse(from);
    Instant q = store.segments().earliestStartAtOrAfter(cameraId, to).orElse(to);
    List<SegmentSpan> segments = store.segments().touching(cameraId, p, q);
    Instant now = clock.instant();
    List<HeldarEvent> raised = new ArrayList<>();
    Set<String> addedPaths = new HashSet<>();
    added.forEach(s -> addedPaths.add(s.path()));

    List<Hole> holes = new ArrayList<>();
    SegmentSpan coverEnd = null; // the segment whose end is the furthest seen so far
    for (SegmentSpan s : segments) {
      if (coverEnd != null) {
        Duration between = Duration.between(coverEnd.end(), s.start());
        if (between.compareTo(options.threshold()) > 0) {
          holes.add(Hole.between(coverEnd.end(), s.start()));
        } else if (between.negated().compareTo(options.overlapTolerance()) > 0
            && (addedPaths.contains(s.path()) || addedPaths.contains(coverEnd.path()))) {
          raised.add(overlap(cameraId, coverEnd, s, now));
        }
      }
      if (coverEnd == null || s.end().isAfter(coverEnd.end())) {
        coverEnd = s;
      }
    }

    List<RecordingGap> old = holesOnly(store.gaps().openOverlapping(cameraId, p, q));
    Set<Hole> matched = new HashSet<>();
    for (RecordingGap gap : old) {
      List<Hole> inside = new ArrayList<>();
      for (Hole h : holes) {
        if (!h.start().isBefore(gap.start()) && !h.end().isAfter(gap.end())) {
          inside.add(h);
        }
      }
      matched.addAll(inside);
      if (inside.isEmpty()) {
        store.gaps().markFilled(gap.id(), now);
        log.info(
            "camera {}: gap {} .. {} filled by late footage", cameraId, gap.start(), gap.end());
        if (gap.cause() == GapCause.MISSING) {
          raised.add(HeldarEvent.of(
              cameraId,
              new TypedEvent.GapFilled(
                  gap.id(), seconds(gap.start(), gap.end()), gap.start(), gap.end()),
              now));
        }
        continue;
      }
      Hole first = inside.get(0);
      if (!first.start().equals(gap.start()) || !first.end().equals(gap.end())) {
        store.gaps().resize(gap.id(), first.start(), first.end());
        log.info(
            "camera {}: gap {} .. {} shrank to {} .. {}",
            cameraId,
            gap.start(),
            gap.end(),
            first.start(),
            first.end());
      }
      for (Hole rest : inside.subList(1, inside.size())) {
        store.gaps().insertOpen(cameraId, rest.start(), rest.end(), gap.cause(), now);
        log.info(
            "camera {}: gap {} .. {} split off {} .. {}",
            cameraId,
            gap.start(),
            gap.end(),
            rest.start(),
            rest.end());
      }
    }
    for (Hole h : holes) {
      if (!matched.contains(h)) {
        RecordingGap gap =
            store.gaps().insertOpen(cameraId, h.start(), h.end(), GapCause.MISSING, now);
        log.info(
            "camera {}: recording gap of {} s from {} to {}",
            cameraId,
            gap.gapSeconds(),
            h.start(),
            h.end());
        raised.add(HeldarEvent.of(
            cameraId,
            new TypedEvent.GapOpened(gap.id(), seconds(h.start(), h.end()), h.start(), h.end()),
            now));
      }
    }
    raised.forEach(events::record);
    return raised;
  }

  /** Open gaps that are holes between segments: a node-down gap is a marker, not a hole. */
  private static List<RecordingGap> holesOnly(List<RecordingGap> gaps) {
    return gaps.stream().filter(g -> g.cause() != GapCause.NODE_DOWN).toList();
  }

  @Override
  public List<HeldarEvent> onStorageNodeDown(String cameraId, String nodeId, Instant downSince) {
    return store.inTransaction(() -> {
      Instant now = clock.instant();
      Optional<RecordingGap> open = store.gaps().openOfCause(cameraId, GapCause.NODE_DOWN);
      if (open.isPresent()) {
        RecordingGap g = open.get();
        if (now.isAfter(g.end())) {
          store.gaps().resize(g.id(), g.start(), now);
        }
        return List.<HeldarEvent>of();
      }
      Instant since = store.segments().latestEndAtOrBefore(cameraId, FAR_FUTURE).orElse(downSince);
      if (!now.isAfter(since)) {
        return List.<HeldarEvent>of();
      }
      RecordingGap gap = store.gaps().insertOpen(cameraId, since, now, GapCause.NODE_DOWN, now);
      log.warn(
          "camera {}: its storage node {} is down; footage after {} is unreachable (gap {})",
          cameraId,
          nodeId,
          since,
          gap.id());
      HeldarEvent e =
          HeldarEvent.of(cameraId, new TypedEvent.StorageNodeDown(nodeId, gap.id(), since), now);
      events.record(e);
      return List.of(e);
    });
  }

  @Override
  public List<HeldarEvent> onCaughtUp(String cameraId, String nodeId) {
    return store.inTransaction(() -> {
      Optional<RecordingGap> open = store.gaps().openOfCause(cameraId, GapCause.NODE_DOWN);
      if (open.isEmpty()) {
        return List.<HeldarEvent>of();
      }
      Instant now = clock.instant();
      RecordingGap g = open.get();
      store.gaps().markFilled(g.id(), now);
      log.info(
          "camera {}: storage node {} caught up; node_down gap {} .. {} closed",
          cameraId,
          nodeId,
          g.start(),
          g.end());
      HeldarEvent e = HeldarEvent.of(
          cameraId, new TypedEvent.StorageNodeCaughtUp(nodeId, g.id(), g.start(), g.end()), now);
      events.record(e);
      return List.of(e);
    });
  }

  private static double seconds(Instant start, Instant end) {
    return Duration.between(start, end).toMillis() / 1000.0;
  }

  private static HeldarEvent overlap(
      String cameraId, SegmentSpan earlier, SegmentSpan later, Instant now) {
    TypedEvent.SegmentOverlap overlap = new TypedEvent.SegmentOverlap(
        later.path(),
        earlier.path(),
        seconds(later.start(), earlier.end()),
        later.start(),
        earlier.end());
    log.warn(
        "camera {}: segment {} starts {} s before {} ends",
        cameraId,
        later.path(),
        overlap.overlapSeconds(),
        earlier.path());
    return HeldarEvent.of(cameraId, overlap, now);
  }
}
