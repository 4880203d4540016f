package io.heldar.core.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.index.CameraScanReport;
import io.heldar.core.index.FileBucket;
import io.heldar.core.index.FileTally;
import io.heldar.core.index.ScanReport;
import io.heldar.core.metrics.CameraMetrics;
import io.heldar.core.metrics.CameraStatus.State;
import io.heldar.core.model.Camera;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.core.retention.RetentionPlan;
import io.heldar.core.retention.SweepReport;
import io.heldar.core.testing.MemoryStore;
import io.heldar.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What metrics() says of each camera, from the engines' reports and events, and why. */
class MetricsCollectorTest {
  static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");
  final MutableClock clock = new MutableClock(T0);
  final MemoryStore store = new MemoryStore(clock);
  final MetricsCollector metrics = new MetricsCollector(store, clock, Duration.ofSeconds(15));

  CameraMetrics of(String camera) {
    return metrics.snapshot(List.of()).camera(camera).orElseThrow();
  }

  ScanReport scanned(String camera, int indexed) {
    FileTally.Counter files = new FileTally.Counter();
    files.add(FileBucket.INDEXED, indexed);
    return new ScanReport(
        clock.instant(),
        Duration.ofMillis(5),
        List.of(new CameraScanReport(camera, files.freeze(), List.of(), Optional.empty())),
        FileTally.EMPTY,
        List.of());
  }

  /** Segments of {@code seconds} each, back to back, the newest ending {@code ago} before now. */
  void footage(String camera, int count, long seconds, Duration ago) {
    Instant end = clock.instant().minus(ago);
    for (int i = count; i > 0; i--) {
      Instant e = end.minusSeconds((i - 1) * seconds);
      store.addSpan(camera, camera + "/" + i + ".mp4", e.minusSeconds(seconds), e);
    }
  }

  @Test
  void aCameraIsFreshUntilItsUsualSegmentsStopComingThenStale() {
    store.cameras().add(Camera.of("gate", T0));
    footage("gate", 10, 60, Duration.ofSeconds(100));
    metrics.onScan(scanned("gate", 10));
    CameraMetrics m = of("gate");
    assertThat(m.segmentsIndexed()).isEqualTo(10);
    assertThat(m.newestFootageEnd()).contains(T0.minusSeconds(100));
    assertThat(m.status().state()).isEqualTo(State.FRESH);
    // stale after 3 usual segments (60 s each) plus the indexing delay (15 s): 195 s
    clock.advance(Duration.ofSeconds(94));
    assertThat(of("gate").status().state()).isEqualTo(State.FRESH);
    clock.advance(Duration.ofSeconds(2));
    assertThat(of("gate").status().state()).isEqualTo(State.STALE);
    assertThat(of("gate").status().reason()).contains("usually 1m 00s", "stale after 3m 15s");
  }

  @Test
  void shortSegmentsMakeACameraStaleSooner() {
    store.cameras().add(Camera.of("door", T0));
    store.cameras().add(Camera.of("new", T0));
    footage("door", 20, 5, Duration.ofSeconds(40)); // 5 s segments: stale after 3 × 5 s + 15 s
    metrics.load();
    assertThat(of("door").status().state()).isEqualTo(State.STALE);
    assertThat(of("door").status().reason()).contains("usually 5s long");
    assertThat(of("new").status().state()).isEqualTo(State.NO_FOOTAGE);
  }

  @Test
  void threeFailedSnapshotsInARowMakeACameraFailingAndOneStoredEndsIt() {
    store.cameras().add(Camera.of("gate", T0));
    footage("gate", 3, 60, Duration.ofSeconds(5));
    metrics.load();
    for (int i = 0; i < 3; i++) {
      metrics.onEvent(HeldarEvent.of(
          "gate", new TypedEvent.SnapshotFailed(1, T0, "connection refused", false), T0));
    }
    assertThat(of("gate").status().state()).isEqualTo(State.FAILING);
    assertThat(of("gate").status().reason()).contains("the last 3 snapshots failed");
    assertThat(of("gate").snapshotsFailed()).isEqualTo(3);
    metrics.stored(
        new SnapshotSchedule(1, "gate", Duration.ofSeconds(10), true, Optional.empty(), T0, T0),
        T0,
        T0.plusMillis(250));
    assertThat(of("gate").status().state()).isEqualTo(State.FRESH);
    assertThat(of("gate").lastCaptureLatency()).contains(Duration.ofMillis(250));
  }

  @Test
  void capturesHeldarCouldNotStartAreCountedApartAndNeverBlameTheCamera() {
    for (int i = 0; i < 5; i++) {
      metrics.onEvent(HeldarEvent.of(
          "gate",
          new TypedEvent.SnapshotFailed(
              1, T0, "saturated", true, TypedEvent.SnapshotFailed.CAUSE_SATURATED),
          T0));
    }
    assertThat(of("gate").capturesNotStarted()).isEqualTo(5);
    assertThat(of("gate").snapshotsFailed()).isZero();
    assertThat(of("gate").status().state()).isNotEqualTo(State.FAILING);
  }

  @Test
  void aScanFailureIsTheStatusUntilAScanSucceeds() {
    metrics.onScan(new ScanReport(
        T0,
        Duration.ZERO,
        List.of(CameraScanReport.failed("gate", "permission denied")),
        FileTally.EMPTY,
        List.of()));
    assertThat(of("gate").status().state()).isEqualTo(State.FAILING);
    assertThat(of("gate").status().reason()).isEqualTo("scan failed: permission denied");
    metrics.onScan(scanned("gate", 0));
    assertThat(of("gate").status().state()).isEqualTo(State.NO_FOOTAGE);
  }

  @Test
  void gapsAndMissedSlotsFollowTheEventsAndSweepsAddUp() {
    metrics.onEvent(HeldarEvent.of("gate", new TypedEvent.GapOpened(1, 30, T0, T0), T0));
    metrics.onEvent(HeldarEvent.of("gate", new TypedEvent.GapOpened(2, 30, T0, T0), T0));
    metrics.onEvent(HeldarEvent.of("gate", new TypedEvent.GapFilled(1, 30, T0, T0), T0));
    metrics.onEvent(
        HeldarEvent.of("gate", new TypedEvent.SnapshotMissed(1, 4, "failover", T0), T0));
    assertThat(of("gate").openGaps()).isEqualTo(1);
    assertThat(of("gate").snapshotsMissed()).isEqualTo(4);

    RetentionPlan plan = new RetentionPlan(T0, List.of(), List.of(), Map.of("yard", "too much"));
    metrics.onSweep(new SweepReport(plan, 3, 2, 4096, 0, false));
    metrics.onSweep(new SweepReport(plan, 99, 99, 99, 0, true)); // a dry run deletes nothing
    metrics.onEventsPruned(7);
    var retention = metrics.snapshot(List.of()).retention();
    assertThat(retention.sweeps()).isEqualTo(1);
    assertThat(retention.segmentsDeleted()).isEqualTo(3);
    assertThat(retention.snapshotsDeleted()).isEqualTo(2);
    assertThat(retention.bytesFreed()).isEqualTo(4096);
    assertThat(retention.refusals()).isEqualTo(1);
    assertThat(retention.eventsPruned()).isEqualTo(7);
  }
}
