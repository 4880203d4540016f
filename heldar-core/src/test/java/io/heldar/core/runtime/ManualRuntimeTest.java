package io.heldar.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.engine.internal.Cadence;
import io.heldar.core.engine.internal.Engine;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.runtime.HeldarRuntimeTest.RecordingPublisher;
import io.heldar.core.runtime.internal.SupervisingRuntime;
import io.heldar.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine contract as the runtime keeps it, stepped by hand: no threads, no sleeps. */
class ManualRuntimeTest {
  final MutableClock time = new MutableClock(Instant.parse("2026-12-06T08:00:00Z"));
  final RecordingPublisher events = new RecordingPublisher();
  final List<String> calls = new ArrayList<>();

  SupervisingRuntime manual() {
    return new SupervisingRuntime(
        time, Optional.empty(), RuntimeOptions.DEFAULTS, Optional.of(events), true);
  }

  /** An engine that logs its lifecycle and answers each tick with the next of {@code answers}. */
  class ScriptedEngine implements Engine {
    final String name;
    final List<Duration> answers;
    int ticks;
    RuntimeException failWith;

    ScriptedEngine(String name, Duration... answers) {
      this.name = name;
      this.answers = List.of(answers);
    }

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
      calls.add("tick " + name);
      if (failWith != null) {
        throw failWith;
      }
      return answers.isEmpty() ? AT_PACE : answers.get(Math.min(ticks++, answers.size() - 1));
    }

    @Override
    public void stop(Deadline deadline) {
      calls.add("stop " + name);
    }
  }

  @Test
  void enginesStartInOrderTickOnDemandAndStopInReverse() {
    SupervisingRuntime runtime = manual();
    runtime.supervise(new ScriptedEngine("leases"), Cadence.every(Duration.ZERO, seconds(5)));
    runtime.supervise(new ScriptedEngine("indexer"), Cadence.every(Duration.ZERO, seconds(10)));
    assertThat(calls).isEmpty(); // nothing runs before start()
    runtime.start();
    assertThat(calls).containsExactly("start leases", "start indexer");
    assertThat(runtime.tick("indexer")).isEqualTo(seconds(10));
    runtime.stop(Deadline.after(seconds(1), time::monotonicNanos));
    assertThat(calls)
        .containsExactly(
            "start leases", "start indexer", "tick indexer", "stop indexer", "stop leases");
    assertThatThrownBy(() -> runtime.tick("indexer")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void tickDueRunsWhatTheClockSaysIsDue() {
    SupervisingRuntime runtime = manual();
    runtime.supervise(new ScriptedEngine("fast"), Cadence.every(Duration.ZERO, seconds(1)));
    runtime.supervise(new ScriptedEngine("slow"), Cadence.every(seconds(10), seconds(10)));
    runtime.start();
    assertThat(runtime.tickDue()).containsExactly("fast");
    assertThat(runtime.tickDue()).isEmpty(); // nothing moved
    time.advance(seconds(1));
    assertThat(runtime.tickDue()).containsExactly("fast");
    time.advance(seconds(9));
    assertThat(runtime.tickDue()).containsExactly("fast", "slow");
  }

  @Test
  void anAdaptiveEngineIsDueWhenItSaidItWouldBe() {
    SupervisingRuntime runtime = manual();
    runtime.supervise(
        new ScriptedEngine("slots", Duration.ofMillis(300), Duration.ZERO, seconds(60)),
        Cadence.between(Duration.ZERO, Duration.ofMillis(10), seconds(1)));
    runtime.start();
    assertThat(runtime.tick("slots")).isEqualTo(Duration.ofMillis(300));
    time.advance(Duration.ofMillis(299));
    assertThat(runtime.tickDue()).isEmpty();
    time.advance(Duration.ofMillis(1));
    assertThat(runtime.tickDue()).containsExactly("slots"); // asked for 0: the 10 ms floor
    time.advance(Duration.ofMillis(10));
    assertThat(runtime.tick("slots")).isEqualTo(seconds(1)); // asked for 60 s: the 1 s ceiling
  }

  @Test
  void aFailingTickIsCountedRaisedAndBackedOffAndTheEngineGoesOn() {
    SupervisingRuntime runtime = manual();
    ScriptedEngine flaky = new ScriptedEngine("flaky");
    runtime.supervise(flaky, Cadence.every(Duration.ZERO, seconds(10)));
    runtime.start();
    flaky.failWith = new IllegalStateException("disk gone");
    assertThat(runtime.tick("flaky")).isEqualTo(seconds(10));
    assertThat(runtime.tick("flaky")).isEqualTo(seconds(20));
    assertThat(runtime.tick("flaky")).isEqualTo(seconds(40));
    TaskHealth h = runtime.health("flaky").orElseThrow();
    assertThat(h.failures()).isEqualTo(3);
    assertThat(h.consecutiveFailures()).isEqualTo(3);
    assertThat(h.lastFailureMessage()).contains("disk gone");
    assertThat(events.events)
        .extracting(e -> e.typed())
        .containsExactly(
            new TypedEvent.TaskFailed("flaky", "disk gone", 1),
            new TypedEvent.TaskFailed("flaky", "disk gone", 2),
            new TypedEvent.TaskFailed("flaky", "disk gone", 3));
    flaky.failWith = null;
    assertThat(runtime.tick("flaky")).isEqualTo(seconds(10));
    assertThat(runtime.health("flaky").orElseThrow().consecutiveFailures()).isZero();
  }

  @Test
  void aTaskWithItsOwnBackoffCapKeepsItsPaceThroughFailures() {
    ManualRuntime runtime = HeldarRuntime.builder().clock(time).buildManual();
    AtomicInteger runs = new AtomicInteger();
    // like a cluster node's claim scans: a failure must not slow them down
    runtime.schedule("claims", Duration.ZERO, seconds(1), Duration.ZERO, () -> {
      runs.incrementAndGet();
      throw new IllegalStateException("database away");
    });
    runtime.schedule("capped", Duration.ZERO, seconds(2), seconds(5), () -> {
      throw new IllegalStateException("still away");
    });
    runtime.start();
    for (int i = 0; i < 4; i++) {
      assertThat(runtime.tick("claims")).isEqualTo(seconds(1));
    }
    assertThat(runs).hasValue(4);
    assertThat(runtime.tick("capped")).isEqualTo(seconds(2));
    assertThat(runtime.tick("capped")).isEqualTo(seconds(4));
    assertThat(runtime.tick("capped")).isEqualTo(seconds(5));
    assertThat(runtime.tick("capped")).isEqualTo(seconds(5));
    runtime.stop();
  }

  @Test
  void anEngineThatNeverStartedIsStillStopped() {
    SupervisingRuntime runtime = manual();
    runtime.supervise(new ScriptedEngine("pool"), Cadence.every(Duration.ZERO, seconds(1)));
    runtime.stop(Deadline.after(seconds(1), time::monotonicNanos));
    assertThat(calls).containsExactly("stop pool");
    assertThatThrownBy(runtime::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anEngineThatFailsToStopDoesNotKeepTheOthersRunning() {
    SupervisingRuntime runtime = manual();
    runtime.supervise(new ScriptedEngine("first"), Cadence.every(Duration.ZERO, seconds(1)));
    runtime.supervise(
        new ScriptedEngine("broken") {
          @Override
          public void stop(Deadline deadline) {
            calls.add("stop broken");
            throw new IllegalStateException("cannot");
          }
        },
        Cadence.every(Duration.ZERO, seconds(1)));
    runtime.start();
    runtime.stop(Deadline.after(seconds(1), time::monotonicNanos));
    assertThat(calls).endsWith("stop broken", "stop first");
  }

  @Test
  void hostTasksAreEnginesOfOneRunnableAndNamesAreChecked() {
    ManualRuntime runtime = HeldarRuntime.builder().clock(time).buildManual();
    AtomicInteger runs = new AtomicInteger();
    runtime.schedule("host", Duration.ZERO, seconds(30), runs::incrementAndGet);
    assertThatThrownBy(() -> runtime.tick("host")).isInstanceOf(IllegalStateException.class);
    runtime.start();
    assertThat(runtime.tick("host")).isEqualTo(seconds(30));
    assertThat(runs).hasValue(1);
    assertThatThrownBy(() -> runtime.tick("nobody"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host");
    assertThatThrownBy(() -> runtime.schedule("host", Duration.ZERO, seconds(1), () -> {}))
        .hasMessageContaining("already");
    runtime.stop();
  }

  @Test
  void aThreadedRuntimeIsNoManualOne() {
    HeldarRuntime threaded = HeldarRuntime.builder().clock(time).build();
    assertThat(threaded).isNotInstanceOf(ManualRuntime.class);
    SupervisingRuntime own = new SupervisingRuntime(
        time, Optional.empty(), RuntimeOptions.DEFAULTS, Optional.empty(), false);
    assertThatThrownBy(own::asManual)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("manual");
    own.start();
    try {
      assertThatThrownBy(() -> own.tick("any")).hasMessageContaining("manual");
    } finally {
      own.stop();
    }
  }

  static Duration seconds(long n) {
    return Duration.ofSeconds(n);
  }
}
