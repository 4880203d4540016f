package io.heldar.core.runtime;

import io.heldar.core.event.EventPublisher;
import io.heldar.core.runtime.internal.SupervisingRuntime;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs Heldar's periodic work on a {@link ScheduledExecutorService} and keeps it alive: a tick
 * that throws anything (an exception or an {@link Error}) is logged, counted, raised as a
 * {@code task_failed} event and the task runs again, after its period doubled per consecutive
 * failure up to {@link RuntimeOptions#maxBackoff()}; a failure that repeats is logged in one line,
 * its stack trace only with its first occurrence.
 *
 * <p>With a host executor ({@link Builder#executor}) Heldar schedules on it and never shuts it
 * down; otherwise it makes its own daemon threads named {@code heldar-N}. {@link #start()} and
 * {@link #stop()} are idempotent; {@code stop()} returns within {@link RuntimeOptions#stopTimeout()}:
 * running ticks get three quarters of it to end, are then interrupted and get the rest; a tick that
 * ignores interrupts is left to end on its own.
 */
public interface HeldarRuntime extends AutoCloseable {

  /**
   * Registers a periodic task: first tick after {@code initialDelay}, then {@code period} after
   * the end of each tick (ticks of one task never overlap). Before {@link #start()} the task waits
   * for it; after {@link #stop()} registering fails.
   *
   * @throws IllegalArgumentException when the name is taken or a duration is not positive
   * @throws IllegalStateException when the runtime is stopped
   */
  SupervisedTask schedule(String name, Duration initialDelay, Duration period, Runnable body);

  /**
   * {@link #schedule(String, Duration, Duration, Runnable)} with the task's own cap on the delay
   * after failures instead of {@link RuntimeOptions#maxBackoff()}: {@code period} or less retries at
   * the period (for work that must keep its pace, such as a cluster node's lease renewals).
   */
  SupervisedTask schedule(
      String name, Duration initialDelay, Duration period, Duration maxBackoff, Runnable body);

  /**
   * Registers a task that says when it is next due: after each tick it runs again after the delay
   * its body returns, clamped to {@code [minDelay, maxDelay]} ({@code maxDelay} after a tick that
   * failed). For work that knows its next deadline (snapshot slots): it wakes when there is work,
   * not a hundred times a second to find none. Supervised like {@link #schedule}.
   *
   * @throws IllegalArgumentException when the name is taken or a duration is not positive, or {@code minDelay > maxDelay}
   * @throws IllegalStateException when the runtime is stopped
   */
  SupervisedTask scheduleAdaptive(
      String name,
      Duration initialDelay,
      Duration minDelay,
      Duration maxDelay,
      java.util.function.Supplier<Duration> body);

  /**
   * Starts every registered task. Idempotent while running.
   *
   * @throws IllegalStateException after {@link #stop()}: a stopped runtime does not start again
   */
  void start();

  /** Stops every task, bounded by the stop timeout. Idempotent. */
  void stop();

  /**
   * Stops every task within {@code deadline}: no tick starts after this; running ticks get three
   * quarters of the time left to end, are then interrupted and get the rest; then the engines
   * Heldar runs are stopped, last registered first, in what is left. Idempotent.
   */
  void stop(Deadline deadline);

  /** Whether the runtime is started and not stopped. */
  boolean isRunning();

  /** Health of every task, by name. */
  List<TaskHealth> health();

  /** Health of one task. */
  Optional<TaskHealth> health(String name);

  /** Same as {@link #stop()}. */
  @Override
  default void close() {
    stop();
  }

  /** A builder with defaults: system UTC clock, own executor, {@link RuntimeOptions#DEFAULTS}. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Configures a {@link HeldarRuntime}; every setter validates its argument. Threads, the stop
   * deadline and the backoff cap are one {@link RuntimeOptions} record, set with {@link #options}.
   */
  final class Builder {
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService executor;
    private RuntimeOptions options = RuntimeOptions.DEFAULTS;
    private EventPublisher events;

    private Builder() {}

    /** The clock health timestamps and events are taken from. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Schedule on the host's executor; Heldar never shuts it down. */
    public Builder executor(ScheduledExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Threads and stop deadline at once; see {@link RuntimeOptions}. */
    public Builder options(RuntimeOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Where task failures are raised as {@code task_failed} events; optional. */
    public Builder events(EventPublisher events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /** Builds the runtime (not started). */
    public HeldarRuntime build() {
      return new SupervisingRuntime(
          clock, Optional.ofNullable(executor), options, Optional.ofNullable(events), false);
    }

    /**
     * Builds a runtime without threads, for tests: tasks run only when {@link ManualRuntime#tick}
     * says, on the caller's thread, supervised as they would be (health, backoff, {@code
     * task_failed} events). The executor set here is ignored.
     */
    public ManualRuntime buildManual() {
      return new SupervisingRuntime(
              clock, Optional.empty(), options, Optional.ofNullable(events), true)
          .asManual();
    }
  }
}
