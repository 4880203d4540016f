package io.heldar.core.snapshot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.model.Camera;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.core.runtime.Deadline;
import io.heldar.core.snapshot.SnapshotCaptureException;
import io.heldar.core.snapshot.SnapshotOptions;
import io.heldar.core.snapshot.SnapshotSource;
import io.heldar.core.testing.Await;
import io.heldar.core.testing.MemoryStore;
import io.heldar.core.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot scheduler as an engine, stepped by hand: its first tick recovers, each tick says
 * when the next slot is due, and its stop leaves every captured snapshot committed. (Its grid,
 * misfires and failures against real SQL are the store contract kit's.)
 */
class SnapshotEngineTest {
  static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");
  static final byte[] JPEG = {
    (byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 1, 2, 3, (byte) 0xff, (byte) 0xd9
  };

  @TempDir
  Path snapshots;

  final MutableClock clock = new MutableClock(T0.plusSeconds(3));
  final MemoryStore store = new MemoryStore(clock);
  final AtomicInteger captures = new AtomicInteger();

  GridSnapshotScheduler engine(SnapshotSource source) {
    store.cameras().add(Camera.of("gate", T0));
    EngineContext context = EngineContext.builder(store)
        .clock(clock)
        .ticker(clock::monotonicNanos)
        .snapshotsRoot(snapshots)
        .snapshotSource(source)
        .captureExecutor(Runnable::run)
        .build();
    return new GridSnapshotScheduler(
        context, SnapshotOptions.builder().refreshInterval(Duration.ofHours(1)).build());
  }

  SnapshotSource counting() {
    return (camera, timeout) -> {
      captures.incrementAndGet();
      return JPEG;
    };
  }

  @Test
  void eachTickSaysWhenTheNextSlotIsDueAndTheSlotsKeepTheirGrid() {
    GridSnapshotScheduler s = engine(counting());
    SnapshotSchedule every10 = s.create("gate", Duration.ofSeconds(10)); // at :03
    assertThat(s.tick()).isEqualTo(Duration.ofSeconds(7)); // the first slot is :10
    assertThat(captures).hasValue(0);
    clock.advance(Duration.ofSeconds(7));
    assertThat(s.tick()).isEqualTo(Duration.ofSeconds(10));
    assertThat(captures).hasValue(1);
    clock.advance(Duration.ofMillis(10_250)); // a late tick: the slot at :20, next at :30
    assertThat(s.tick()).isEqualTo(Duration.ofMillis(9_750));
    assertThat(captures).hasValue(2);
    s.stop(Deadline.after(Duration.ofSeconds(10)));
    assertThat(store.snapshotSchedules().find(every10.id()).orElseThrow().lastFiredAt())
        .contains(T0.plusSeconds(20));
    assertThat(store.snapshots().all("gate")).hasSize(2);
  }

  @Test
  void stopReturnsWithEveryCapturedSnapshotCommitted() {
    GridSnapshotScheduler s = engine(counting());
    s.create("gate", Duration.ofSeconds(1)); // at :03, a slot of its grid: due at once
    s.tick();
    clock.advance(Duration.ofSeconds(1));
    s.tick();
    assertThat(captures).hasValue(2);
    s.stop(Deadline.after(Duration.ofSeconds(10))); // no waiting of the test's own
    assertThat(store.snapshots().all("gate"))
        .hasSize(2)
        .allSatisfy(snap -> assertThat(snapshots.resolve(snap.path())).hasBinaryContent(JPEG))
        .extracting(snap -> snap.takenAt())
        .containsExactlyInAnyOrder(T0.plusSeconds(3), T0.plusSeconds(4));
  }

  @Test
  void aDisabledScheduleWaitsForTheRefreshThatBringsItBack() {
    GridSnapshotScheduler s = engine(counting());
    SnapshotSchedule sched = s.create("gate", Duration.ofSeconds(10));
    s.update(sched.id(), sched.interval(), false);
    assertThat(s.tick()).as("nothing due before the hourly refresh").isEqualTo(Duration.ofHours(1));
    clock.advance(Duration.ofMinutes(10));
    s.tick();
    assertThat(captures).hasValue(0);
    s.update(sched.id(), sched.interval(), true); // heard at once: the next tick re-reads
    assertThat(s.tick()).isLessThanOrEqualTo(Duration.ofSeconds(10));
    s.stop(Deadline.after(Duration.ofSeconds(10)));
  }

  @Test
  void aFailedCaptureSpendsItsSlotAndSaysWhoseFailureItWas() {
    GridSnapshotScheduler s = engine((camera, timeout) -> {
      throw new SnapshotCaptureException(camera.id(), "connection refused");
    });
    SnapshotSchedule sched = s.create("gate", Duration.ofSeconds(10));
    s.tick();
    clock.advance(Duration.ofSeconds(7));
    s.tick();
    Await.until(
        Duration.ofSeconds(10),
        () -> store.allEvents().stream()
            .anyMatch(e -> e.typed() instanceof TypedEvent.SnapshotFailed),
        "the failure recorded");
    TypedEvent.SnapshotFailed failed = store.allEvents().stream()
        .map(HeldarEvent::typed)
        .filter(TypedEvent.SnapshotFailed.class::isInstance)
        .map(TypedEvent.SnapshotFailed.class::cast)
        .findFirst()
        .orElseThrow();
    assertThat(failed.cause()).isEqualTo(TypedEvent.SnapshotFailed.CAUSE_CAMERA);
    assertThat(failed.slot()).isEqualTo(T0.plusSeconds(10));
    assertThat(failed.reason()).contains("connection refused");
    assertThat(store.snapshotSchedules().find(sched.id()).orElseThrow().lastFiredAt())
        .contains(T0.plusSeconds(10));
    assertThat(s.stats().failed()).isEqualTo(1);
    s.stop(Deadline.after(Duration.ofSeconds(10)));
    assertThat(store.snapshots().all("gate")).isEmpty();
  }

  /**
   * A context on the memory store whose camera answers only once {@code release} opens (it ignores
   * interrupts: its result comes late), its captures running on {@code captures}.
   */
  private EngineContext hangingCamera(
      CountDownLatch inCapture, CountDownLatch release, ExecutorService captures) {
    store.cameras().add(Camera.of("gate", T0));
    return EngineContext.builder(store)
        .clock(clock)
        .ticker(clock::monotonicNanos)
        .snapshotsRoot(snapshots)
        .snapshotSource((camera, timeout) -> {
          inCapture.countDown();
          while (release.getCount() > 0) {
            try {
              release.await();
            } catch (InterruptedException ignored) {
              // a camera that ignores interrupts: its result comes late
            }
          }
          return JPEG;
        })
        .captureExecutor(captures)
        .build();
  }

  @Test
  void aCaptureRunningWhenItsCameraIsHandedOverIsSettledAsFailedAndItsLateResultDropped()
      throws Exception {
    CountDownLatch inCapture = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService one = Executors.newSingleThreadExecutor();
    EngineContext context = hangingCamera(inCapture, release, one);
    GridSnapshotScheduler s = new GridSnapshotScheduler(context, SnapshotOptions.DEFAULTS);
    try {
      s.create("gate", Duration.ofSeconds(10));
      s.tick();
      clock.advance(Duration.ofSeconds(7));
      s.tick();
      assertThat(inCapture.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

      s.abandonCaptures(java.util.Set.of("gate"));
      TypedEvent.SnapshotFailed failed = store.allEvents().stream()
          .map(HeldarEvent::typed)
          .filter(TypedEvent.SnapshotFailed.class::isInstance)
          .map(TypedEvent.SnapshotFailed.class::cast)
          .findFirst()
          .orElseThrow();
      assertThat(failed.slot()).isEqualTo(T0.plusSeconds(10));
      assertThat(failed.reason()).contains("handed over");
      release.countDown();
      s.stop(Deadline.after(Duration.ofSeconds(10)));
      assertThat(store.snapshots().all("gate")).as("the late result is dropped").isEmpty();
      assertThat(s.stats().failed()).isEqualTo(1);
    } finally {
      one.shutdownNow();
    }
  }

  @Test
  void aCaptureTakenButNotYetCommittedWhenItsCameraIsHandedOverIsCommittedFirst() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    store.cameras().add(Camera.of("gate", T0));
    EngineContext context = EngineContext.builder(intercepting(
            store,
            "snapshots",
            io.heldar.core.store.SnapshotStore.class,
            "insertForSlots",
            release::await))
        .clock(clock)
        .ticker(clock::monotonicNanos)
        .snapshotsRoot(snapshots)
        .snapshotSource((camera, timeout) -> JPEG)
        .captureExecutor(Runnable::run)
        .build();
    GridSnapshotScheduler s = new GridSnapshotScheduler(context, SnapshotOptions.DEFAULTS);
    Thread releaser = new Thread(() -> {
      try {
        Thread.sleep(300); // the commit is held up while the handover begins
      } catch (InterruptedException e) {
        return;
      }
      release.countDown();
    });
    try {
      s.create("gate", Duration.ofSeconds(10));
      s.tick();
      clock.advance(Duration.ofSeconds(7));
      s.tick(); // slot :10 captured at once; its row waits in the committer
      releaser.start();
      s.abandonCaptures(java.util.Set.of("gate"));
      // The handover waited for the commit: the slot is stored under the lease it was fired under,
      // not lost between this node's release and the next owner.
      assertThat(store.snapshots().all("gate"))
          .singleElement()
          .satisfies(x -> assertThat(x.takenAt()).isAfterOrEqualTo(T0.plusSeconds(10)));
      assertThat(s.stats().failed()).isZero();
    } finally {
      release.countDown();
      releaser.join();
      s.stop(Deadline.after(Duration.ofSeconds(10)));
    }
  }

  /**
   * A host's capture executor that refuses work (full, or shut down by the host) fails the slot as
   * Heldar's ({@code saturated}); before, the slot had no outcome and the next one spent past it.
   */
  @Test
  void aSlotTheCaptureExecutorRefusesFailsAsHeldarsNotSilently() {
    store.cameras().add(Camera.of("gate", T0));
    EngineContext context = EngineContext.builder(store)
        .clock(clock)
        .ticker(clock::monotonicNanos)
        .snapshotsRoot(snapshots)
        .snapshotSource(counting())
        .captureExecutor(task -> {
          throw new java.util.concurrent.RejectedExecutionException("host pool full");
        })
        .build();
    GridSnapshotScheduler s = new GridSnapshotScheduler(
        context, SnapshotOptions.builder().refreshInterval(Duration.ofHours(1)).build());
    SnapshotSchedule every10 = s.create("gate", Duration.ofSeconds(10));
    s.tick();
    clock.advance(Duration.ofSeconds(7));
    s.tick();
    assertThat(events(TypedEvent.SnapshotFailed.class)).singleElement().satisfies(f -> {
      assertThat(f.slot()).isEqualTo(T0.plusSeconds(10));
      assertThat(f.cause()).isEqualTo(TypedEvent.SnapshotFailed.CAUSE_SATURATED);
      assertThat(f.reason()).contains("host pool full");
    });
    assertThat(lastSpent(every10)).contains(T0.plusSeconds(10));
    assertThat(s.capturesNotStarted()).isEqualTo(1);
    assertThat(captures).hasValue(0);
    s.stop(Deadline.after(Duration.ofSeconds(10)));
  }

  /** The events of {@code store} of type {@code type}, oldest first. */
  private <T extends TypedEvent> List<T> events(Class<T> type) {
    return store.allEvents().stream()
        .map(HeldarEvent::typed)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  private Optional<Instant> lastSpent(SnapshotSchedule schedule) {
    return store.snapshotSchedules().find(schedule.id()).orElseThrow().lastFiredAt();
  }

  /**
   * The failure of a cluster run on CI: slots missed while a capture ran were spent before that
   * capture had an outcome, so a node killed then left its slot neither taken, failed nor missed
   * (the next owner resumed after the missed ones). Now the missed slots are spent only after the
   * running slot is settled; a process killed before has spent neither, and whoever resumes counts
   * both.
   */
  @Test
  void slotsMissedWhileACaptureRunsAreSpentOnlyAfterThatCaptureIsSettled() throws Exception {
    CountDownLatch inCapture = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService one = Executors.newSingleThreadExecutor();
    EngineContext context = hangingCamera(inCapture, release, one);
    GridSnapshotScheduler s = new GridSnapshotScheduler(
        context,
        SnapshotOptions.builder()
            .refreshInterval(Duration.ofHours(1))
            .captureTimeout(Duration.ofMinutes(5))
            .build());
    try {
      SnapshotSchedule every10 = s.create("gate", Duration.ofSeconds(10));
      s.tick();
      clock.advance(Duration.ofSeconds(7));
      s.tick(); // slot :10 fires; its capture hangs on
      assertThat(inCapture.await(10, TimeUnit.SECONDS)).isTrue();
      clock.advance(Duration.ofSeconds(10));
      s.tick(); // slot :20 passes while :10 still runs
      assertThat(s.stats().missed()).isEqualTo(1);
      // What a process killed now leaves: nothing spent, so the next owner counts :10 and :20.
      assertThat(lastSpent(every10)).as("nothing spent past the running slot").isEmpty();
      assertThat(events(TypedEvent.SnapshotMissed.class))
          .as("the missed slot waits")
          .isEmpty();

      release.countDown();
      Await.until(
          Duration.ofSeconds(10),
          () -> !events(TypedEvent.SnapshotMissed.class).isEmpty(),
          "the missed slot recorded once :10 is stored");
      assertThat(store.snapshots().all("gate")).hasSize(1);
      assertThat(events(TypedEvent.SnapshotMissed.class)).singleElement().satisfies(m -> {
        assertThat(m.missed()).isEqualTo(1);
        assertThat(m.nextSlot()).isEqualTo(T0.plusSeconds(30));
      });
      assertThat(lastSpent(every10)).contains(T0.plusSeconds(20));
    } finally {
      release.countDown();
      s.stop(Deadline.after(Duration.ofSeconds(10)));
      one.shutdownNow();
    }
  }

  /**
   * A slot's row is not committed while an earlier slot of its schedule has no outcome in the
   * store (its failure waits for the store): the schedule's last spent slot never passes a slot
   * nobody accounted for.
   */
  @Test
  void aRowWaitsForTheRecordOfAnEarlierSlotsFailure() throws Exception {
    AtomicBoolean ledgerDown = new AtomicBoolean(true);
    AtomicInteger attempt = new AtomicInteger();
    store.cameras().add(Camera.of("gate", T0));
    EngineContext context = EngineContext.builder(intercepting(
            store,
            "snapshotSchedules",
            io.heldar.core.store.SnapshotScheduleStore.class,
            "markFired", // the ledger's write; rows mark with markFiredAll and still commit
            () -> {
              if (ledgerDown.get()) {
                throw new IllegalStateException("database unreachable");
              }
            }))
        .clock(clock)
        .ticker(clock::monotonicNanos)
        .snapshotsRoot(snapshots)
        .snapshotSource((camera, timeout) -> {
          if (attempt.incrementAndGet() == 1) {
            throw new SnapshotCaptureException(camera.id(), "connection refused");
          }
          return JPEG;
        })
        .captureExecutor(Runnable::run)
        .build();
    GridSnapshotScheduler s = new GridSnapshotScheduler(
        context, SnapshotOptions.builder().refreshInterval(Duration.ofHours(1)).build());
    try {
      SnapshotSchedule every10 = s.create("gate", Duration.ofSeconds(10));
      s.tick();
      clock.advance(Duration.ofSeconds(7));
      s.tick(); // :10 fails; the store refuses its record
      clock.advance(Duration.ofSeconds(10));
      s.tick(); // :20 is captured; its row must wait for :10's failure
      assertThat(attempt).hasValue(2);
      assertThat(s.awaitIdle(Duration.ofMillis(500)))
          .as("the row of :20 is held while :10 has no outcome")
          .isFalse();
      assertThat(store.snapshots().all("gate")).isEmpty();
      assertThat(lastSpent(every10)).isEmpty();

      ledgerDown.set(false);
      s.tick(); // records :10's failure; the held row follows
      assertThat(s.awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(events(TypedEvent.SnapshotFailed.class))
          .singleElement()
          .satisfies(f -> assertThat(f.slot()).isEqualTo(T0.plusSeconds(10)));
      assertThat(store.snapshots().all("gate")).hasSize(1);
      assertThat(lastSpent(every10)).contains(T0.plusSeconds(20));
    } finally {
      ledgerDown.set(false);
      s.stop(Deadline.after(Duration.ofSeconds(10)));
    }
  }

  /** What a test runs before a store call it intercepts. */
  @FunctionalInterface
  private interface BeforeCall {
    void run() throws Exception;
  }

  /**
   * {@code store} with its {@code part} (its accessor's name: {@code "snapshots"}, ...) forwarding
   * to the memory store's, running {@code before} ahead of each call of {@code method} on it.
   */
  private static <T> io.heldar.core.store.HeldarStore intercepting(
      MemoryStore store, String part, Class<T> type, String method, BeforeCall before)
      throws Exception {
    Object real = MemoryStore.class.getMethod(part).invoke(store);
    Object proxied = forwarding(type, real, m -> {
      if (m.getName().equals(method)) {
        before.run();
      }
    });
    return forwarding(io.heldar.core.store.HeldarStore.class, store, null, part, proxied);
  }

  /** A proxy of {@code type} calling {@code target}, after {@code before} has seen the method. */
  private static <T> T forwarding(
      Class<T> type, Object target, ThrowingConsumer<java.lang.reflect.Method> before) {
    return forwarding(type, target, before, null, null);
  }

  @FunctionalInterface
  private interface ThrowingConsumer<T> {
    void accept(T t) throws Exception;
  }

  private static <T> T forwarding(
      Class<T> type,
      Object target,
      ThrowingConsumer<java.lang.reflect.Method> before,
      String replaced,
      Object replacement) {
    return type.cast(java.lang.reflect.Proxy.newProxyInstance(
        SnapshotEngineTest.class.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
          if (m.getName().equals(replaced) && (args == null || args.length == 0)) {
            return replacement;
          }
          if (before != null) {
            before.accept(m);
          }
          try {
            return m.invoke(target, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        }));
  }
}
