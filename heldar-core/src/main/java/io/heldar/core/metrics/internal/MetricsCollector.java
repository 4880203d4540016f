package io.heldar.core.metrics.internal;

import io.heldar.core.HumanDuration;
import io.heldar.core.engine.internal.EngineObserver;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.HeldarListener;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.index.CameraScanReport;
import io.heldar.core.index.ScanReport;
import io.heldar.core.metrics.CameraMetrics;
import io.heldar.core.metrics.CameraStatus;
import io.heldar.core.metrics.HeldarMetrics;
import io.heldar.core.metrics.RetentionMetrics;
import io.heldar.core.model.Camera;
import io.heldar.core.model.CameraStats;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.SegmentSpan;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.core.retention.PlannedDeletion;
import io.heldar.core.retention.SweepReport;
import io.heldar.core.runtime.TaskHealth;
import io.heldar.core.store.HeldarStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code Heldar.metrics()} as the engines work: scan and sweep reports, stored events and
 * committed snapshots update counters in memory; a camera's gauges (open gaps, newest footage, its
 * usual segment length) are re-read from the store only after a scan or sweep changed it. Reading
 * the metrics runs no SQL.
 */
public final class MetricsCollector implements HeldarListener, EngineObserver {
  private static final Logger log = LoggerFactory.getLogger(MetricsCollector.class);
  /** Stale after this many usual segment lengths without new footage (plus settle and scan time). */
  static final int STALE_SEGMENTS = 3;
  /** Failing after this many snapshot slots failed in a row. */
  static final int FAILING_SNAPSHOTS = 3;
  /** The segment length assumed until a camera has footage to learn it from. */
  static final Duration ASSUMED_SEGMENT = Duration.ofMinutes(1);
  /** How far back a camera's usual segment length is learned from. */
  private static final Duration LEARN_WINDOW = Duration.ofMinutes(30);

  private final HeldarStore store;
  private final Clock clock;
  private final Duration indexingDelay;
  private final Map<String, Cam> cams = new ConcurrentHashMap<>();
  private final AtomicLong sweeps = new AtomicLong();
  private final AtomicLong segmentsDeleted = new AtomicLong();
  private final AtomicLong snapshotsDeleted = new AtomicLong();
  private final AtomicLong bytesFreed = new AtomicLong();
  private final AtomicLong refusals = new AtomicLong();
  private final AtomicLong eventsPruned = new AtomicLong();

  /** One camera's figures. */
  private static final class Cam {
    final LongAdder indexed = new LongAdder();
    final LongAdder unreadable = new LongAdder();
    final LongAdder taken = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder missed = new LongAdder();
    final LongAdder notStarted = new LongAdder();
    final AtomicLong openGaps = new AtomicLong();
    volatile Instant newestEnd;
    volatile Duration usualSegment = ASSUMED_SEGMENT;
    volatile String scanFailure;
    volatile Duration lastLatency;
    final java.util.concurrent.atomic.AtomicInteger failedInARow =
        new java.util.concurrent.atomic.AtomicInteger();
    volatile String lastSnapshotFailure;
  }

  /**
   * @param indexingDelay how long after its end footage is normally indexed (settle time plus the
   *     scan interval): added to the stale threshold
   */
  public MetricsCollector(HeldarStore store, Clock clock, Duration indexingDelay) {
    this.store = store;
    this.clock = clock;
    this.indexingDelay = indexingDelay;
  }

  private Cam cam(String cameraId) {
    return cams.computeIfAbsent(cameraId, k -> new Cam());
  }

  /** Reads every camera's gauges once (at start). */
  public void load() {
    for (Camera c : store.cameras().list()) {
      refresh(c.id());
    }
  }

  /** Re-reads a camera's gauges: open gaps, newest footage, its usual segment length. */
  private void refresh(String cameraId) {
    Cam c = cam(cameraId);
    try {
      c.openGaps.set(store.gaps().list(cameraId, Optional.of(GapStatus.OPEN)).size());
      Optional<Instant> newest =
          store.cameraStats().find(cameraId).flatMap(CameraStats::lastSegmentEnd);
      c.newestEnd = newest.orElse(null);
      if (newest.isPresent()) {
        List<SegmentSpan> recent =
            store.segments().touching(cameraId, newest.get().minus(LEARN_WINDOW), newest.get());
        List<Duration> lengths = new ArrayList<>();
        for (SegmentSpan s : recent) {
          Duration d = Duration.between(s.start(), s.end());
          if (!d.isNegative() && !d.isZero()) {
            lengths.add(d);
          }
        }
        if (!lengths.isEmpty()) {
          lengths.sort(null);
          c.usualSegment = lengths.get(lengths.size() / 2);
        }
      }
    } catch (RuntimeException e) {
      log.debug("camera {}: metrics not refreshed: {}", cameraId, e.toString());
    }
  }

  /** After each indexing scan. */
  @Override
  public void onScan(ScanReport report) {
    forgetDeletedCameras();
    for (CameraScanReport r : report.cameras()) {
      Cam c = cam(r.cameraId());
      c.indexed.add(r.indexed());
      c.unreadable.add(r.unreadable());
      c.scanFailure = r.failure().orElse(null);
      if (r.indexed() > 0 || r.changed() > 0) {
        refresh(r.cameraId());
      }
    }
  }

  /**
   * Drops the figures of cameras no longer in the store (deleted by this process or another), so
   * their series end instead of staying at their last value.
   */
  private void forgetDeletedCameras() {
    try {
      java.util.Set<String> ids = new java.util.HashSet<>();
      store.cameras().list().forEach(c -> ids.add(c.id()));
      cams.keySet().retainAll(ids);
    } catch (RuntimeException e) {
      log.debug("cameras not re-read for metrics: {}", e.toString());
    }
  }

  /** After each retention sweep. */
  @Override
  public void onSweep(SweepReport report) {
    if (report.dryRun()) {
      return;
    }
    sweeps.incrementAndGet();
    segmentsDeleted.addAndGet(report.segmentsDeleted());
    snapshotsDeleted.addAndGet(report.snapshotsDeleted());
    bytesFreed.addAndGet(report.bytesFreed());
    refusals.addAndGet(report.plan().refused().size());
    Set<String> touched = new HashSet<>();
    report.plan().segments().stream().map(PlannedDeletion::cameraId).forEach(touched::add);
    touched.forEach(this::refresh);
  }

  /** After each round of tier moves. */
  @Override
  public void onTierMoves(io.heldar.core.tier.MoveReport report) {
    segmentsMoved.addAndGet(report.moved());
    bytesMoved.addAndGet(report.bytes());
    moveFailures.addAndGet(report.failed());
    unavailableTiers = report.unavailable();
  }

  private final java.util.concurrent.atomic.AtomicLong segmentsMoved =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong bytesMoved =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong moveFailures =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile Map<String, String> unavailableTiers = Map.of();

  /** After events were pruned. */
  @Override
  public void onEventsPruned(long count) {
    eventsPruned.addAndGet(count);
  }

  @Override
  public void onEvent(HeldarEvent event) {
    if (event.cameraId().isEmpty()) {
      return;
    }
    TypedEvent t = event.typed();
    Cam c = cam(event.cameraId().get());
    if (t instanceof TypedEvent.SnapshotFailed f
        && f.cause().equals(TypedEvent.SnapshotFailed.CAUSE_SATURATED)) {
      // Heldar's failure, not the camera's: counted apart, and the camera is not "failing".
      c.notStarted.increment();
    } else if (t instanceof TypedEvent.SnapshotFailed f) {
      c.failed.increment();
      c.failedInARow.incrementAndGet();
      c.lastSnapshotFailure = f.reason();
    } else if (t instanceof TypedEvent.SnapshotMissed m) {
      c.missed.add(m.missed());
    } else if (t instanceof TypedEvent.GapOpened || t instanceof TypedEvent.StorageNodeDown) {
      c.openGaps.incrementAndGet();
    } else if (t instanceof TypedEvent.GapFilled || t instanceof TypedEvent.StorageNodeCaughtUp) {
      c.openGaps.updateAndGet(n -> Math.max(0, n - 1));
    }
  }

  @Override
  public void stored(SnapshotSchedule schedule, Instant slot, Instant committedAt) {
    Cam c = cam(schedule.cameraId());
    c.taken.increment();
    c.failedInARow.set(0);
    c.lastLatency = Duration.between(slot, committedAt);
  }

  /** A copy of everything, with the runtime's task health. */
  public HeldarMetrics snapshot(List<TaskHealth> tasks) {
    Instant now = clock.instant();
    Map<String, CameraMetrics> out = new TreeMap<>();
    cams.forEach((id, c) -> {
      Optional<Instant> newest = Optional.ofNullable(c.newestEnd);
      out.put(
          id,
          new CameraMetrics(
              id,
              c.indexed.sum(),
              c.unreadable.sum(),
              c.openGaps.get(),
              newest,
              newest.map(t -> Duration.between(t, now)),
              c.taken.sum(),
              c.failed.sum(),
              c.missed.sum(),
              c.notStarted.sum(),
              Optional.ofNullable(c.lastLatency),
              status(c, now)));
    });
    return new HeldarMetrics(
        now,
        tasks,
        out,
        new RetentionMetrics(
            sweeps.get(),
            segmentsDeleted.get(),
            snapshotsDeleted.get(),
            bytesFreed.get(),
            refusals.get(),
            eventsPruned.get(),
            segmentsMoved.get(),
            bytesMoved.get(),
            moveFailures.get(),
            unavailableTiers));
  }

  private CameraStatus status(Cam c, Instant now) {
    String scanFailure = c.scanFailure;
    if (scanFailure != null) {
      return new CameraStatus(CameraStatus.State.FAILING, "scan failed: " + scanFailure);
    }
    int inARow = c.failedInARow.get();
    if (inARow >= FAILING_SNAPSHOTS) {
      return new CameraStatus(
          CameraStatus.State.FAILING,
          "the last " + inARow + " snapshots failed: " + c.lastSnapshotFailure);
    }
    Instant newest = c.newestEnd;
    if (newest == null) {
      return new CameraStatus(CameraStatus.State.NO_FOOTAGE, "no footage indexed yet");
    }
    Duration age = Duration.between(newest, now);
    Duration usual = c.usualSegment;
    Duration staleAfter = usual.multipliedBy(STALE_SEGMENTS).plus(indexingDelay);
    if (age.compareTo(staleAfter) > 0) {
      return new CameraStatus(
          CameraStatus.State.STALE,
          "no new footage for " + HumanDuration.format(age) + " (segments are usually "
              + HumanDuration.format(usual) + " long; stale after "
              + HumanDuration.format(staleAfter) + ")");
    }
    return new CameraStatus(
        CameraStatus.State.FRESH, "newest footage ended " + HumanDuration.format(age) + " ago");
  }
}
