package io.heldar.core.timeline;

import io.heldar.core.gap.GapDetector;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.model.Segment;
import io.heldar.core.model.SegmentSpan;
import io.heldar.core.model.Snapshot;
import io.heldar.core.model.TimelineBucket;
import io.heldar.core.store.HeldarStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Answers "what do we have?" for a camera: segments of a range (paged, for a player or an
 * export), coverage with gaps, per-day summaries in any time zone, the snapshot nearest an instant.
 */
public final class Timeline {
  /** Largest page. */
  public static final int MAX_PAGE = 10_000;
  /** Segments closer than this join one run (the default gap threshold). */
  public static final Duration DEFAULT_TOLERANCE = GapDetector.Options.DEFAULT_THRESHOLD;
  /** Most days one summary covers. */
  public static final int MAX_DAYS = 3_660;

  private final HeldarStore store;

  /** A timeline over {@code store}. */
  public Timeline(HeldarStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** Segments overlapping {@code [from, to)} in start order, {@code limit} at a time, after {@code after}. */
  public SegmentPage segments(
      String cameraId, Instant from, Instant to, int limit, Optional<Segment> after) {
    checkRange(from, to);
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE + ": " + limit);
    }
    List<Segment> rows = store.segments().overlapping(cameraId, from, to, limit + 1, after);
    if (rows.size() > limit) {
      List<Segment> page = rows.subList(0, limit);
      return new SegmentPage(page, Optional.of(page.get(limit - 1)));
    }
    return new SegmentPage(rows, Optional.empty());
  }

  /**
   * {@link #segments} paged by the opaque cursor of {@link SegmentPage#nextCursor()} (empty: the
   * first page). A cursor whose segment was deleted since (by retention) still pages on from where
   * it stood.
   *
   * @throws IllegalArgumentException when the cursor is not one this method made
   */
  public SegmentPage segmentPage(
      String cameraId, Instant from, Instant to, int limit, Optional<String> cursor) {
    if (cursor.isEmpty()) {
      return segments(cameraId, from, to, limit, Optional.empty());
    }
    Map.Entry<Instant, String> at = SegmentPage.Cursors.decode(cursor.get());
    Optional<Segment> after = store.segments().findByPath(at.getValue());
    if (after.isPresent() && after.get().cameraId().equals(cameraId)) {
      return segments(cameraId, from, to, limit, after);
    }
    // The segment is gone: the next one after its place in (start, path) order leads the page.
    checkRange(from, to);
    List<SegmentSpan> next = store
        .segments()
        .spans(
            cameraId,
            from,
            to,
            1,
            Optional.of(new SegmentSpan(at.getValue(), at.getKey(), at.getKey().plusMillis(1), 0)));
    if (next.isEmpty()) {
      return new SegmentPage(List.of(), Optional.empty());
    }
    Optional<Segment> lead = store.segments().findByPath(next.get(0).path());
    if (lead.isEmpty()) {
      return new SegmentPage(List.of(), Optional.empty());
    }
    SegmentPage rest = limit == 1 ? null : segments(cameraId, from, to, limit - 1, lead);
    List<Segment> page = new ArrayList<>();
    page.add(lead.get());
    if (rest == null) {
      return new SegmentPage(page, lead);
    }
    page.addAll(rest.segments());
    return new SegmentPage(page, rest.next());
  }

  /**
   * The spans of the segments overlapping {@code [from, to)} in start order, {@code limit} at a
   * time, after {@code after}: what a timeline page shows, read without the rest of each row (see
   * {@link SegmentSpan}); {@link #segments} gives whole segments.
   */
  public SpanPage spans(
      String cameraId, Instant from, Instant to, int limit, Optional<SegmentSpan> after) {
    checkRange(from, to);
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE + ": " + limit);
    }
    List<SegmentSpan> rows = store.segments().spans(cameraId, from, to, limit + 1, after);
    if (rows.size() > limit) {
      List<SegmentSpan> page = rows.subList(0, limit);
      return new SpanPage(page, Optional.of(page.get(limit - 1)));
    }
    return new SpanPage(rows, Optional.empty());
  }

  /** Coverage of {@code [from, to)}: runs merged within {@code tolerance}, and the open gaps. */
  public Coverage coverage(String cameraId, Instant from, Instant to, Duration tolerance) {
    checkRange(from, to);
    Objects.requireNonNull(tolerance, "tolerance");
    List<Coverage.Run> runs = new ArrayList<>();
    Instant runStart = null;
    Instant runEnd = null;
    int count = 0;
    Optional<SegmentSpan> after = Optional.empty();
    while (true) {
      List<SegmentSpan> page = store.segments().spans(cameraId, from, to, 5000, after);
      for (SegmentSpan s : page) {
        if (runEnd != null && Duration.between(runEnd, s.start()).compareTo(tolerance) <= 0) {
          if (s.end().isAfter(runEnd)) {
            runEnd = s.end();
          }
          count++;
          continue;
        }
        if (runEnd != null) {
          runs.add(clip(runStart, runEnd, count, from, to));
        }
        runStart = s.start();
        runEnd = s.end();
        count = 1;
      }
      if (page.size() < 5000) {
        break;
      }
      after = Optional.of(page.get(page.size() - 1));
    }
    if (runEnd != null) {
      runs.add(clip(runStart, runEnd, count, from, to));
    }
    List<RecordingGap> gaps = store.gaps().overlapping(cameraId, from, to).stream()
        .filter(g -> g.status() == GapStatus.OPEN)
        .toList();
    return new Coverage(cameraId, from, to, runs, gaps);
  }

  private static Coverage.Run clip(
      Instant start, Instant end, int count, Instant from, Instant to) {
    return new Coverage.Run(start.isBefore(from) ? from : start, end.isAfter(to) ? to : end, count);
  }

  /**
   * One summary per local day from {@code first} to {@code last} (inclusive) in {@code zone}: days
   * are 23 or 25 hours long at DST changes. Adds up the store's 15-minute roll-ups, so a month
   * costs a few thousand rows whatever the number of segments.
   */
  public List<DaySummary> daily(String cameraId, LocalDate first, LocalDate last, ZoneId zone) {
    if (last.isBefore(first)) {
      throw new IllegalArgumentException("last day " + last + " before first " + first);
    }
    if (first.plusDays(MAX_DAYS).isBefore(last)) {
      throw new IllegalArgumentException("at most " + MAX_DAYS + " days");
    }
    Instant rangeStart = first.atStartOfDay(zone).toInstant();
    Instant rangeEnd = last.plusDays(1).atStartOfDay(zone).toInstant();
    List<TimelineBucket> buckets = store.segments().buckets(cameraId, rangeStart, rangeEnd);
    List<RecordingGap> gaps = store.gaps().overlapping(cameraId, rangeStart, rangeEnd).stream()
        .filter(g -> g.status() == GapStatus.OPEN)
        .toList();
    List<DaySummary> days = new ArrayList<>();
    int b = 0;
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      Instant start = d.atStartOfDay(zone).toInstant();
      Instant end = d.plusDays(1).atStartOfDay(zone).toInstant();
      long recordedMs = 0;
      long segments = 0;
      long bytes = 0;
      long snapshots = 0;
      while (b < buckets.size() && buckets.get(b).start().isBefore(end)) {
        TimelineBucket t = buckets.get(b++);
        recordedMs += t.recorded().toMillis();
        segments += t.segments();
        bytes += t.bytes();
        snapshots += t.snapshots();
      }
      int gapCount = 0;
      long gapMs = 0;
      for (RecordingGap g : gaps) {
        if (g.start().isBefore(end) && g.end().isAfter(start)) {
          gapCount++;
          gapMs += Duration.between(
                  g.start().isBefore(start) ? start : g.start(),
                  g.end().isAfter(end) ? end : g.end())
              .toMillis();
        }
      }
      days.add(new DaySummary(
          d,
          start,
          end,
          Duration.ofMillis(recordedMs),
          gapCount,
          Duration.ofMillis(gapMs),
          segments,
          bytes,
          snapshots));
    }
    return days;
  }

  /** The snapshot of a camera taken nearest to {@code t}. */
  public Optional<Snapshot> nearestSnapshot(String cameraId, Instant t) {
    return store.snapshots().nearest(cameraId, t);
  }

  private static void checkRange(Instant from, Instant to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("range end " + to + " not after start " + from);
    }
  }
}
