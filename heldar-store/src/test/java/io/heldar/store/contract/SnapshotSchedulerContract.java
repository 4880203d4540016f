package io.heldar.store.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.event.HeldarEvent;
import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.Snapshot;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.core.snapshot.MisfirePolicy;
import io.heldar.core.snapshot.SnapshotCaptureException;
import io.heldar.core.snapshot.SnapshotOptions;
import io.heldar.core.snapshot.SnapshotScheduler;
import io.heldar.core.snapshot.SnapshotSource;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The snapshot scheduler on the store under test and real files, time driven through the clock. */
public abstract class SnapshotSchedulerContract extends StoreContractBase {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  static final byte[] JPEG = {
    (byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 1, 2, 3, (byte) 0xff, (byte) 0xd9
  };
  static final Duration WAIT = Duration.ofSeconds(10);

  HeldarStore store;
  MutableClock clock;
  Path snapshots;
  final List<Instant> firedSlots = new CopyOnWriteArrayList<>();
  final AtomicInteger missedSlots = new AtomicInteger();
  final SnapshotScheduler.SlotObserver observer = new SnapshotScheduler.SlotObserver() {
    @Override
    public void fired(long scheduleId, Instant slot, Instant at) {
      firedSlots.add(slot);
    }

    @Override
    public void missed(long scheduleId, int count, String why) {
      missedSlots.addAndGet(count);
    }
  };

  @BeforeEach
  void setUp() {
    store = openDatabase();
    clock = new MutableClock(T0);
    snapshots = dir.resolve("snapshots");
    store.cameras().add(Camera.of("cam", T0));
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  /** A scheduler of this test's store, root, clock and observer, capturing from {@code source}. */
  SnapshotScheduler.Builder builder(SnapshotSource source, SnapshotOptions options) {
    return SnapshotScheduler.builder()
        .store(store)
        .source(source)
        .snapshotsRoot(snapshots)
        .clock(clock)
        .options(options)
        .observer(observer)
        .ticker(clock::monotonicNanos);
  }

  SnapshotScheduler scheduler(SnapshotSource source, MisfirePolicy policy) {
    return builder(
            source,
            SnapshotOptions.builder()
                .misfirePolicy(policy)
                .captureTimeout(Duration.ofSeconds(5))
                .build())
        .build();
  }

  SnapshotScheduler scheduler(SnapshotSource source) {
    return scheduler(source, MisfirePolicy.FIRE_ONCE);
  }

  void tickAt(SnapshotScheduler s, Instant t) {
    clock.set(t);
    s.fireDue();
    assertThat(s.awaitIdle(WAIT)).isTrue();
  }

  List<Snapshot> stored() {
    return store.snapshots().all("cam");
  }

  @Test
  void anHourAtTenSecondsFires360TimesOnTheGridWhateverTheTickJitter() {
    Random random = new Random(3);
    try (SnapshotScheduler s = scheduler((cam, timeout) -> JPEG)) {
      s.create("cam", Duration.ofSeconds(10));
      for (int sec = 0; sec < 3600; sec++) {
        tickAt(s, T0.plusSeconds(sec).plusMillis(random.nextInt(900)));
      }
      assertThat(firedSlots).hasSize(360);
      for (int k = 0; k < 360; k++) {
        assertThat(firedSlots.get(k)).isEqualTo(T0.plusSeconds(10L * k));
      }
      assertThat(stored()).hasSize(360);
      assertThat(missedSlots.get()).isZero();
      assertThat(store.snapshotSchedules().list().get(0).lastFiredAt())
          .contains(T0.plusSeconds(3590));
      assertThat(stored())
          .allSatisfy(
              snap -> assertThat(snapshots.resolve(snap.path())).exists().hasBinaryContent(JPEG));
    }
  }

  @Test
  void aCaptureSlowerThanTheIntervalMissesSlotsButKeepsTheGrid() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    SnapshotSource slowFirst = (cam, timeout) -> {
      if (calls.incrementAndGet() == 1) {
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return JPEG;
    };
    try (SnapshotScheduler s = scheduler(slowFirst)) {
      s.create("cam", Duration.ofSeconds(10));
      clock.set(T0);
      s.fireDue(); // starts the slow capture
      clock.set(T0.plusSeconds(10));
      s.fireDue();
      clock.set(T0.plusSeconds(20));
      s.fireDue();
      release.countDown();
      assertThat(s.awaitIdle(WAIT)).isTrue();
      tickAt(s, T0.plusSeconds(30));
      tickAt(s, T0.plusSeconds(40));
      assertThat(firedSlots).containsExactly(T0, T0.plusSeconds(30), T0.plusSeconds(40));
      assertThat(missedSlots.get()).isEqualTo(2);
      assertThat(stored()).hasSize(3);
    }
  }

  @Test
  void aRestartAfterDowntimeFiresOnceAndReturnsToTheGrid() {
    try (SnapshotScheduler s = scheduler((cam, timeout) -> JPEG)) {
      s.create("cam", Duration.ofSeconds(10));
      for (int sec = 0; sec <= 25; sec++) {
        tickAt(s, T0.plusSeconds(sec));
      }
    }
    assertThat(firedSlots).containsExactly(T0, T0.plusSeconds(10), T0.plusSeconds(20));
    firedSlots.clear();
    // An hour of downtime; a new scheduler resumes from the stored last_fired_at.
    try (SnapshotScheduler s = scheduler((cam, timeout) -> JPEG)) {
      tickAt(s, T0.plusSeconds(3605));
      assertThat(firedSlots).containsExactly(T0.plusSeconds(3600));
      assertThat(missedSlots.get()).isEqualTo(357);
      for (int sec = 3606; sec <= 3625; sec++) {
        tickAt(s, T0.plusSeconds(sec));
      }
      assertThat(firedSlots)
          .containsExactly(T0.plusSeconds(3600), T0.plusSeconds(3610), T0.plusSeconds(3620));
    }
  }

  @Test
  void skipToNextFiresNothingForMissedSlots() {
    try (SnapshotScheduler s = scheduler((cam, timeout) -> JPEG, MisfirePolicy.SKIP_TO_NEXT)) {
      s.create("cam", Duration.ofSeconds(10));
      tickAt(s, T0);
      tickAt(s, T0.plusSeconds(125)); // a stall of two minutes
      assertThat(firedSlots).containsExactly(T0);
      tickAt(s, T0.plusSeconds(130));
      assertThat(firedSlots).containsExactly(T0, T0.plusSeconds(130));
    }
  }

  @Test
  void theWallClockSteppingBackAnHourNeitherRepeatsNorStallsSlots() {
    try (SnapshotScheduler s = scheduler((cam, timeout) -> JPEG)) {
      s.create("cam", Duration.ofSeconds(10));
      List<Integer> secondsOfFire = new ArrayList<>();
      for (int sec = 0; sec < 200; sec++) {
        if (sec == 100) {
          clock.set(clock
              .instant()
              .minusSeconds(3600)); // an NTP correction: the wall clock steps back an hour
        }
        int before = firedSlots.size();
        s.fireDue();
        assertThat(s.awaitIdle(WAIT)).isTrue();
        if (firedSlots.size() > before) {
          secondsOfFire.add(sec);
        }
        clock.advance(Duration.ofSeconds(1));
      }
      assertThat(firedSlots).doesNotHaveDuplicates().isSorted().hasSize(20);
      for (int i = 1; i < secondsOfFire.size(); i++) {
        assertThat(secondsOfFire.get(i) - secondsOfFire.get(i - 1))
            .as("seconds between captures")
            .isEqualTo(10);
      }
      assertThat(stored()).hasSize(20).extracting(Snapshot::path).doesNotHaveDuplicates();
    }
  }

  @Test
  void failedCapturesLeaveNoFileAndNoRowRaiseAnEventAndTheNextSlotRuns() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    SnapshotSource flaky = (cam, timeout) -> switch (calls.incrementAndGet()) {
      case 1 -> throw new SnapshotCaptureException(cam.id(), "connection refused");
      case 2 -> new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 1, 2}; // cut short: no EOI
      case 3 -> "<html>login</html>".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      case 4 -> throw new IllegalStateException("source bug");
      default -> JPEG;
    };
    try (SnapshotScheduler s = scheduler(flaky)) {
      s.create("cam", Duration.ofSeconds(1));
      for (int sec = 0; sec < 5; sec++) {
        tickAt(s, T0.plusSeconds(sec));
      }
      assertThat(stored()).singleElement().satisfies(snap -> assertThat(snap.takenAt())
          .isEqualTo(T0.plusSeconds(4)));
      List<HeldarEvent> failures =
          store.events().recent(Optional.of("cam"), Optional.of(EventKinds.SNAPSHOT_FAILED), 10);
      assertThat(failures)
          .extracting(e -> (String) e.payload().get("reason"))
          .containsExactlyInAnyOrder(
              "connection refused",
              "incomplete JPEG (no EOI marker; 5 bytes)",
              "not a JPEG (no SOI marker; 18 bytes)",
              "IllegalStateException: source bug");
      try (Stream<Path> files = Files.list(snapshots.resolve("cam"))) {
        assertThat(files).hasSize(1);
      }
      assertThat(s.stats().failed()).isEqualTo(4);
      assertThat(s.stats().stored()).isEqualTo(1);
    }
  }

  @Test
  void aDiskWriteFailureLeavesNothingBehind() throws Exception {
    Files.createDirectories(snapshots);
    Files.writeString(snapshots.resolve("cam"), "a file where the camera directory should be");
    try (SnapshotScheduler s = scheduler((cam, timeout) -> JPEG)) {
      s.create("cam", Duration.ofSeconds(1));
      tickAt(s, T0);
      assertThat(stored()).isEmpty();
      assertThat(store
              .events()
              .recent(Optional.of("cam"), Optional.of(EventKinds.SNAPSHOT_FAILED), 10))
          .singleElement()
          .satisfies(e -> assertThat((String) e.payload().get("reason"))
              .contains("cannot write snapshot file"));
    }
  }

  @Test
  void twoSchedulesOfOneCameraInTheSameMillisecondGetTwoFiles() {
    try (SnapshotScheduler s = scheduler((cam, timeout) -> JPEG)) {
      s.create("cam", Duration.ofSeconds(10));
      s.create("cam", Duration.ofSeconds(5));
      tickAt(s, T0);
      List<String> paths = stored().stream().map(Snapshot::path).toList();
      assertThat(paths).hasSize(2).contains("cam/20261121T100000000Z.jpg");
      // whichever schedule wrote second got its schedule id in the name
      assertThat(paths)
          .anySatisfy(p -> assertThat(p).matches("cam/20261121T100000000Z-s[12]\\.jpg"));
      assertThat(paths).allSatisfy(p -> assertThat(snapshots.resolve(p)).exists());
    }
  }

  @Test
  void schedulesCanBeUpdatedDisabledAndDeleted() {
    try (SnapshotScheduler s = scheduler((cam, timeout) -> JPEG)) {
      SnapshotSchedule sched = s.create("cam", Duration.ofSeconds(10));
      tickAt(s, T0);
      s.update(sched.id(), Duration.ofSeconds(10), false);
      tickAt(s, T0.plusSeconds(10));
      assertThat(firedSlots).containsExactly(T0);
      s.update(sched.id(), Duration.ofSeconds(30), true);
      tickAt(s, T0.plusSeconds(20));
      tickAt(s, T0.plusSeconds(30));
      assertThat(firedSlots).containsExactly(T0, T0.plusSeconds(30));
      assertThat(s.delete(sched.id())).isTrue();
      tickAt(s, T0.plusSeconds(60));
      assertThat(firedSlots).hasSize(2);
      assertThatThrownBy(() -> s.create("nobody", Duration.ofSeconds(10)))
          .hasMessageContaining("unknown camera");
      assertThatThrownBy(() -> s.create("cam", Duration.ofMillis(1500)))
          .hasMessageContaining("whole seconds");
    }
  }

  @Test
  void recoveryRemovesTempFilesAndReportsRowsWhoseFileIsGone() throws Exception {
    Files.createDirectories(snapshots.resolve("cam"));
    Path temp = Files.writeString(snapshots.resolve("cam/.20261121T100000000Z-abc.tmp"), "half");
    store
        .snapshots()
        .insert(
            new Snapshot("cam", OptionalLong.empty(), "cam/20261121T090000000Z.jpg", T0, 10, T0));
    try (SnapshotScheduler s = scheduler((cam, timeout) -> JPEG)) {
      SnapshotScheduler.RecoveryReport r = s.recover();
      assertThat(r.tempFilesRemoved()).isEqualTo(1);
      assertThat(r.missingFiles()).containsExactly("cam/20261121T090000000Z.jpg");
      assertThat(temp).doesNotExist();
      assertThat(store.events().count(Optional.of("cam"), EventKinds.SNAPSHOT_FILE_MISSING))
          .isEqualTo(1);
    }
  }

  /**
   * Fault 6: a source that never returns and ignores interrupts (a camera that accepts the
   * connection and never sends a byte) costs its slot — snapshot_failed, timed out, at the capture
   * timeout plus a second — and never the schedule: the next slot fires.
   */
  @Test
  void aCaptureThatNeverEndsFailsItsSlotAndTheScheduleGoesOn() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    SnapshotSource stalled = hostile(release, calls, 1);
    try (SnapshotScheduler s = builder(
            stalled,
            SnapshotOptions.builder().captureTimeout(Duration.ofMillis(500)).build())
        .build()) {
      s.create("cam", Duration.ofSeconds(1));
      clock.advance(Duration.ofSeconds(1));
      s.fireDue();
      io.heldar.core.testing.Await.until(WAIT, () -> calls.get() == 1, "the first capture running");
      // The ticker moves with the test's clock: 1.6 s on, the capture is past its timeout (0.5 s)
      // plus the grace (1 s); the tick gives up on it before it fires the next slot (0.6 s late,
      // under the 1 s misfire threshold).
      clock.advance(Duration.ofMillis(1600));
      s.fireDue();
      io.heldar.core.testing.Await.until(
          WAIT,
          () -> store.events().count(Optional.of("cam"), EventKinds.SNAPSHOT_FAILED) == 1,
          "the hung capture's slot failed");
      assertThat(s.awaitIdle(WAIT)).isTrue();
      assertThat(calls.get())
          .as("the next slot fired while the first capture still hangs")
          .isEqualTo(2);
      assertThat(store.snapshots().all("cam")).hasSize(1);
      release.countDown();
      s.close(); // waits for the released capture to return and for whatever it led to commit
      assertThat(store.snapshots().all("cam"))
          .as("the abandoned capture's late result is dropped")
          .hasSize(1);
    }
  }

  @Test
  void aCaptureThatNeverStartedIsHeldarsFailureNotTheCamerasAndSaysSo() throws Exception {
    store.cameras().add(Camera.of("cam2", T0));
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    SnapshotSource stalled = hostile(release, calls, Integer.MAX_VALUE);
    java.util.concurrent.ExecutorService oneThread =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try (SnapshotScheduler s = builder(
            stalled,
            SnapshotOptions.builder().captureTimeout(Duration.ofMillis(500)).build())
        .captureExecutor(oneThread)
        .build()) {
      s.create("cam", Duration.ofSeconds(1));
      s.create("cam2", Duration.ofSeconds(1));
      clock.advance(Duration.ofSeconds(1));
      s.fireDue();
      io.heldar.core.testing.Await.until(WAIT, () -> calls.get() == 1, "one capture running");
      clock.advance(Duration.ofMillis(1600));
      s.fireDue();
      io.heldar.core.testing.Await.until(
          WAIT,
          () -> store.events().count(Optional.empty(), EventKinds.SNAPSHOT_FAILED) == 2,
          "both slots failed");
      List<io.heldar.core.event.TypedEvent.SnapshotFailed> failures =
          store
              .events()
              .recent(Optional.empty(), Optional.of(EventKinds.SNAPSHOT_FAILED), 10)
              .stream()
              .map(e -> (io.heldar.core.event.TypedEvent.SnapshotFailed) e.typed())
              .toList();
      assertThat(failures)
          .extracting(io.heldar.core.event.TypedEvent.SnapshotFailed::cause)
          .containsExactlyInAnyOrder("camera", "saturated");
      assertThat(failures)
          .filteredOn(f -> f.cause().equals("saturated"))
          .singleElement()
          .satisfies(f -> {
            assertThat(f.timedOut()).as("not the camera's timeout").isFalse();
            assertThat(f.reason()).contains("never started").contains("not asked");
          });
      assertThat(calls.get()).as("the queued capture never reached its camera").isEqualTo(1);
    } finally {
      release.countDown();
      oneThread.shutdown();
    }
  }

  /**
   * A hostile source: its first {@code hanging} captures hang until {@code release}, ignoring
   * interrupts (keeping their capture thread); the rest return at once. {@code calls} counts them.
   */
  static SnapshotSource hostile(
      java.util.concurrent.CountDownLatch release, AtomicInteger calls, int hanging) {
    return (camera, timeout) -> {
      if (calls.incrementAndGet() <= hanging) {
        while (release.getCount() > 0) {
          try {
            release.await();
          } catch (InterruptedException ignored) {
            // ignores interrupts
          }
        }
      }
      return JPEG;
    };
  }
}
