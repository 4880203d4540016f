package io.heldar.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.testing.Await;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HeldarRuntimeTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  final Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);

  /** Collects what the runtime publishes. */
  static final class RecordingPublisher implements EventPublisher {
    final List<HeldarEvent> events = new CopyOnWriteArrayList<>();
    final List<String> failures = new CopyOnWriteArrayList<>();

    @Override
    public void record(HeldarEvent event) {
      events.add(event);
    }

    @Override
    public void notifyListeners(List<HeldarEvent> list) {}

    @Override
    public void notifyTaskFailure(String taskName, Throwable failure) {
      failures.add(taskName + ":" + failure.getMessage());
    }

    @Override
    public void publish(HeldarEvent event) {
      record(event);
    }
  }

  @Test
  void aTaskThatThrowsOnTickTwoStillRunsTicksThreeFourFive() {
    RecordingPublisher events = new RecordingPublisher();
    AtomicInteger ticks = new AtomicInteger();
    try (HeldarRuntime runtime =
        HeldarRuntime.builder().clock(clock).events(events).build()) {
      runtime.schedule("flaky", Duration.ZERO, Duration.ofMillis(5), () -> {
        int n = ticks.incrementAndGet();
        if (n == 2) {
          throw new IllegalStateException("tick two");
        }
        if (n == 3) {
          throw new OutOfMemoryError("an Error on tick three");
        }
      });
      runtime.start();
      Await.until(WAIT, () -> ticks.get() >= 5, "five ticks");
      Await.until(
          WAIT,
          () -> runtime.health("flaky").orElseThrow().lastSuccess().isPresent()
              && runtime.health("flaky").orElseThrow().runs() >= 5,
          "health after five ticks");
      TaskHealth health = runtime.health("flaky").orElseThrow();
      assertThat(health.failures()).isEqualTo(2);
      assertThat(health.consecutiveFailures()).isZero();
      assertThat(health.lastFailureMessage()).contains("an Error on tick three");
      assertThat(health.lastFailure()).contains(clock.instant());
      assertThat(events.events)
          .extracting(HeldarEvent::kind)
          .containsExactly("task_failed", "task_failed");
      assertThat(events.events.get(0).payload())
          .containsEntry("task", "flaky")
          .containsEntry("consecutive_failures", 1L);
      assertThat(events.failures).containsExactly("flaky:tick two", "flaky:an Error on tick three");
    }
  }

  /**
   * An adaptive task runs again when its body says, within its bounds: a body that asks for an hour
   * is woken at the maximum, one that throws runs again at the maximum, and cancelling stops it.
   */
  @Test
  void anAdaptiveTaskWakesWhenItsBodySaysWithinItsBounds() {
    RecordingPublisher events = new RecordingPublisher();
    List<Long> at = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    try (HeldarRuntime runtime =
        HeldarRuntime.builder().clock(clock).events(events).build()) {
      SupervisedTask task = runtime.scheduleAdaptive(
          "adaptive", Duration.ZERO, Duration.ofMillis(20), Duration.ofMillis(1000), () -> {
            at.add(System.nanoTime());
            int n = calls.incrementAndGet();
            if (n == 3) {
              throw new IllegalStateException("tick three");
            }
            return n < 3 ? Duration.ofHours(1) : Duration.ZERO;
          });
      runtime.start();
      Await.until(WAIT, () -> calls.get() >= 6, "six ticks");
      task.cancel();
      int stoppedAt = calls.get();
      // Asked for an hour: woken at the 1 s maximum. Threw: again at the maximum. Asked for 0: the
      // 20 ms minimum.
      long gap12 = TimeUnit.NANOSECONDS.toMillis(at.get(1) - at.get(0));
      long gap34 = TimeUnit.NANOSECONDS.toMillis(at.get(3) - at.get(2));
      long gap45 = TimeUnit.NANOSECONDS.toMillis(at.get(4) - at.get(3));
      assertThat(gap12).isBetween(950L, 5_000L);
      assertThat(gap34).isBetween(950L, 5_000L);
      assertThat(gap45).as("the minimum, well under the maximum").isBetween(15L, 700L);
      assertThat(runtime.health("adaptive").orElseThrow().failures()).isEqualTo(1);
      assertThat(calls.get()).isLessThanOrEqualTo(stoppedAt + 1);
    }
    assertThatThrownBy(() -> HeldarRuntime.builder()
            .clock(clock)
            .build()
            .scheduleAdaptive(
                "bad",
                Duration.ZERO,
                Duration.ofSeconds(2),
                Duration.ofSeconds(1),
                () -> Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * A failing task backs off: its period doubled per consecutive failure, up to the cap; a success
   * brings the period back; a task with its own cap at its period keeps its pace.
   */
  @Test
  void aFailingTaskBacksOffExponentiallyUpToTheCapAndRecoversItsPace() {
    List<Long> at = new CopyOnWriteArrayList<>();
    List<Long> steady = new CopyOnWriteArrayList<>();
    try (HeldarRuntime runtime = HeldarRuntime.builder()
        .clock(clock)
        .options(RuntimeOptions.builder().maxBackoff(Duration.ofMillis(160)).build())
        .build()) {
      runtime.schedule("failing", Duration.ZERO, Duration.ofMillis(20), () -> {
        at.add(System.nanoTime());
        if (at.size() <= 6) {
          throw new IllegalStateException("down");
        }
      });
      runtime.schedule("paced", Duration.ZERO, Duration.ofMillis(20), Duration.ofMillis(20), () -> {
        steady.add(System.nanoTime());
        throw new IllegalStateException("down too");
      });
      runtime.start();
      Await.until(WAIT, () -> at.size() >= 9, "nine ticks");
    }
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < at.size(); i++) {
      gaps.add(TimeUnit.NANOSECONDS.toMillis(at.get(i) - at.get(i - 1)));
    }
    // after failures 1..6: 20, 40, 80, 160 (the cap), 160, 160; then successes: 20
    long[] least = {18, 38, 76, 152, 152, 152, 18};
    for (int i = 0; i < least.length; i++) {
      assertThat(gaps.get(i)).as("gap %d of %s", i + 1, gaps).isGreaterThanOrEqualTo(least[i]);
    }
    assertThat(gaps.get(6)).as("back to the period after a success: %s", gaps).isLessThan(150);
    long pacedSpan = TimeUnit.NANOSECONDS.toMillis(steady.get(steady.size() - 1) - steady.get(0));
    assertThat(steady.size())
        .as("the task capped at its period retried every 20 ms over %d ms", pacedSpan)
        .isGreaterThan((int) (pacedSpan / 20 / 3));
  }

  @Test
  void consecutiveFailuresAreCountedUntilASuccess() throws Exception {
    AtomicInteger ticks = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    try (HeldarRuntime runtime = HeldarRuntime.builder().clock(clock).build()) {
      runtime.schedule("bad", Duration.ZERO, Duration.ofMillis(2), () -> {
        int n = ticks.incrementAndGet();
        if (n <= 3) {
          throw new RuntimeException("fail " + n);
        }
        if (n == 4) {
          try {
            release.await(
                10, TimeUnit.SECONDS); // hold tick four so the test can look at the health
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      });
      runtime.start();
      Await.until(WAIT, () -> ticks.get() == 4, "tick four");
      TaskHealth during = runtime.health("bad").orElseThrow();
      assertThat(during.consecutiveFailures()).isEqualTo(3);
      assertThat(during.healthy()).isFalse();
      assertThat(during.lastFailureMessage()).contains("fail 3");
      assertThat(during.lastFailureMessage().orElseThrow())
          .as("no Java class name in what health shows")
          .doesNotContain("java.lang");
      release.countDown();
      Await.until(WAIT, () -> runtime.health("bad").orElseThrow().healthy(), "recovery");
      assertThat(runtime.health("bad").orElseThrow().failures()).isEqualTo(3);
    }
  }

  @Test
  void ownThreadsAreNamedHeldarAndStopIsIdempotent() {
    List<String> names = new CopyOnWriteArrayList<>();
    HeldarRuntime runtime = HeldarRuntime.builder().build();
    runtime.schedule(
        "name",
        Duration.ZERO,
        Duration.ofMillis(5),
        () -> names.add(Thread.currentThread().getName()));
    runtime.start();
    runtime.start();
    Await.until(WAIT, () -> !names.isEmpty(), "a tick");
    runtime.stop();
    runtime.stop();
    assertThat(names).allSatisfy(n -> assertThat(n).startsWith("heldar-"));
    assertThat(runtime.isRunning()).isFalse();
    assertThatThrownBy(
            () -> runtime.schedule("late", Duration.ZERO, Duration.ofMillis(5), () -> {}))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void neverShutsDownTheHostExecutorAndInterruptsTicksAfterTheStopTimeout() throws Exception {
    ScheduledExecutorService host = Executors.newScheduledThreadPool(2);
    try {
      CountDownLatch inTick = new CountDownLatch(1);
      AtomicBoolean interrupted = new AtomicBoolean();
      HeldarRuntime runtime = HeldarRuntime.builder()
          .executor(host)
          .options(RuntimeOptions.builder().stopTimeout(Duration.ofMillis(200)).build())
          .build();
      runtime.schedule("stuck", Duration.ZERO, Duration.ofMillis(5), () -> {
        inTick.countDown();
        try {
          new CountDownLatch(1).await(); // never released: only stop()'s interrupt ends it
        } catch (InterruptedException e) {
          interrupted.set(true);
        }
      });
      runtime.start();
      assertThat(inTick.await(10, TimeUnit.SECONDS)).isTrue();
      long t0 = System.nanoTime();
      runtime.stop();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      assertThat(interrupted).isTrue();
      assertThat(host.isShutdown()).isFalse();
      // The host's pool threads are still usable and not left interrupted.
      assertThat(
              host.submit(() -> Thread.currentThread().isInterrupted()).get(10, TimeUnit.SECONDS))
          .isFalse();
    } finally {
      host.shutdownNow();
    }
  }

  @Test
  void stopWaitsForARunningTickToFinish() throws Exception {
    CountDownLatch inTick = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    HeldarRuntime runtime = HeldarRuntime.builder()
        .options(RuntimeOptions.builder().stopTimeout(Duration.ofSeconds(10)).build())
        .build();
    runtime.schedule("slow", Duration.ZERO, Duration.ofSeconds(1), () -> {
      inTick.countDown();
      long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      finished.set(true);
    });
    runtime.start();
    assertThat(inTick.await(10, TimeUnit.SECONDS)).isTrue();
    runtime.stop();
    assertThat(finished).isTrue();
  }

  @Test
  void validatesItsArguments() {
    try (HeldarRuntime runtime = HeldarRuntime.builder().build()) {
      runtime.schedule("a", Duration.ZERO, Duration.ofSeconds(1), () -> {});
      assertThatThrownBy(
              () -> runtime.schedule("a", Duration.ZERO, Duration.ofSeconds(1), () -> {}))
          .hasMessageContaining("already");
      assertThatThrownBy(() -> runtime.schedule("b", Duration.ZERO, Duration.ZERO, () -> {}))
          .hasMessageContaining("period");
      assertThatThrownBy(
              () -> runtime.schedule("c", Duration.ofSeconds(-1), Duration.ofSeconds(1), () -> {}))
          .hasMessageContaining("initialDelay");
    }
    assertThatThrownBy(() -> RuntimeOptions.builder().threads(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RuntimeOptions.builder().stopTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
