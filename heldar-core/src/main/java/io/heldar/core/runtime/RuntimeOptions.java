package io.heldar.core.runtime;

import io.heldar.core.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link HeldarRuntime} runs its periodic work: immutable, every value checked once, here.
 * Start from {@link #DEFAULTS} or {@link #builder()}, change one value of an existing configuration
 * with {@link #from(RuntimeOptions)}; pass it to {@link HeldarRuntime.Builder#options} or {@code
 * Heldar.builder().runtime(…)}.
 *
 * @param threads threads of the runtime's own scheduler (ignored with a host executor; 1 to 256)
 * @param stopTimeout the one deadline of {@code stop()}: running work gets three quarters of it to
 *     end, is then interrupted and gets the rest; {@code stop()} returns by the deadline
 * @param maxBackoff the longest delay after consecutive failures of a task: a failing task runs
 *     again after its period doubled per consecutive failure, up to this (never less than its
 *     period)
 */
public record RuntimeOptions(int threads, Duration stopTimeout, Duration maxBackoff) {
  /** Threads of the runtime's own scheduler: 4 (indexing, snapshots, retention, cluster leases). */
  public static final int DEFAULT_THREADS = 4;
  /**
   * The one deadline of {@code stop()}: 10 s. Running work gets three quarters of it to end, is
   * then interrupted and gets the rest; {@code stop()} returns by the deadline.
   */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);
  /** The longest delay a failing task backs off to: 1 min. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(1);
  /** Every default. */
  public static final RuntimeOptions DEFAULTS =
      new RuntimeOptions(DEFAULT_THREADS, DEFAULT_STOP_TIMEOUT, DEFAULT_MAX_BACKOFF);

  /** Checks every value, each by its one rule below, with the value in the message. */
  public RuntimeOptions {
    checkThreads(threads);
    checkStopTimeout(stopTimeout);
    checkMaxBackoff(maxBackoff);
  }

  private static Duration checkMaxBackoff(Duration d) {
    return Checks.positive("maxBackoff", d);
  }

  private static int checkThreads(int n) {
    return Checks.inRange("threads", n, 1, 256);
  }

  private static Duration checkStopTimeout(Duration d) {
    return Checks.positive("stopTimeout", d);
  }

  /** A builder starting from {@link #DEFAULTS}. */
  public static Builder builder() {
    return new Builder(DEFAULTS);
  }

  /** A builder starting from {@code options}. */
  public static Builder from(RuntimeOptions options) {
    return new Builder(Objects.requireNonNull(options, "options"));
  }

  /** Builds {@link RuntimeOptions}; each setter checks its value at once, by the record's rule. */
  public static final class Builder {
    private int threads;
    private Duration stopTimeout;
    private Duration maxBackoff;

    private Builder(RuntimeOptions start) {
      threads = start.threads;
      stopTimeout = start.stopTimeout;
      maxBackoff = start.maxBackoff;
    }

    /** See {@link #DEFAULT_MAX_BACKOFF}; positive. */
    public Builder maxBackoff(Duration v) {
      maxBackoff = checkMaxBackoff(v);
      return this;
    }

    /** See {@link #DEFAULT_THREADS}; 1 to 256. */
    public Builder threads(int v) {
      threads = checkThreads(v);
      return this;
    }

    /** See {@link #DEFAULT_STOP_TIMEOUT}; positive. */
    public Builder stopTimeout(Duration v) {
      stopTimeout = checkStopTimeout(v);
      return this;
    }

    /** The configuration. */
    public RuntimeOptions build() {
      return new RuntimeOptions(threads, stopTimeout, maxBackoff);
    }
  }
}
