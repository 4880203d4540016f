package io.heldar.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.engine.internal.Cadence;
import io.heldar.core.engine.internal.Engine;
import io.heldar.core.runtime.internal.SupervisingRuntime;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Engines on real threads: a stop waits for the running tick, then stops engines in reverse. */
class EngineLifecycleTest {
  final List<String> calls = new CopyOnWriteArrayList<>();

  /** An engine whose first tick blocks until interrupted (a probe on a stalled share). */
  final class BlockingEngine implements Engine {
    final CountDownLatch inTick = new CountDownLatch(1);

    @Override
    public String name() {
      return "blocking";
    }

    @Override
    public void start() {
      calls.add("start blocking");
    }

    @Override
    public Duration tick() {
      inTick.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        calls.add("tick interrupted");
        Thread.currentThread().interrupt();
      }
      return AT_PACE;
    }

    @Override
    public void stop(Deadline deadline) {
      calls.add("stop blocking, interrupted flag " + Thread.currentThread().isInterrupted());
    }
  }

  Engine named(String name) {
    return new Engine() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void start() {
        calls.add("start " + name);
      }

      @Override
      public Duration tick() {
        return AT_PACE;
      }

      @Override
      public void stop(Deadline deadline) {
        calls.add("stop " + name);
      }
    };
  }

  SupervisingRuntime runtime(Optional<ScheduledExecutorService> host) {
    return new SupervisingRuntime(
        Clock.systemUTC(),
        host,
        RuntimeOptions.builder().stopTimeout(Duration.ofMillis(400)).build(),
        Optional.empty(),
        false);
  }

  void runAndStop(SupervisingRuntime runtime) throws InterruptedException {
    BlockingEngine blocking = new BlockingEngine();
    runtime.supervise(named("leases"), Cadence.every(Duration.ZERO, Duration.ofSeconds(1)));
    runtime.supervise(blocking, Cadence.every(Duration.ZERO, Duration.ofSeconds(1)));
    runtime.supervise(named("pruning"), Cadence.every(Duration.ofHours(1), Duration.ofHours(1)));
    runtime.start();
    assertThat(blocking.inTick.await(10, TimeUnit.SECONDS)).isTrue();
    long t0 = System.nanoTime();
    runtime.stop();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(calls)
        .containsExactly(
            "start leases",
            "start blocking",
            "start pruning",
            "tick interrupted",
            "stop pruning",
            "stop blocking, interrupted flag false",
            "stop leases");
  }

  @Test
  void onItsOwnThreadsTheRunningTickIsInterruptedThenEnginesStopInReverse() throws Exception {
    runAndStop(runtime(Optional.empty()));
  }

  @Test
  void onAHostsExecutorOnlyHeldarsTickIsInterruptedAndTheExecutorLivesOn() throws Exception {
    ScheduledExecutorService host = Executors.newScheduledThreadPool(2);
    try {
      runAndStop(runtime(Optional.of(host)));
      assertThat(host.isShutdown()).isFalse();
      CountDownLatch stillWorks = new CountDownLatch(1);
      host.execute(stillWorks::countDown);
      assertThat(stillWorks.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      host.shutdownNow();
    }
  }
}
