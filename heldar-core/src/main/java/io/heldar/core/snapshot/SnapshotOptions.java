package io.heldar.core.snapshot;

import io.heldar.core.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SnapshotScheduler} captures: immutable, every value checked once, here. Start from
 * {@link #DEFAULTS} or {@link #builder()}, change one value of an existing configuration with
 * {@link #from(SnapshotOptions)}; pass it to {@link SnapshotScheduler.Builder#options} or {@code
 * Heldar.builder().snapshotOptions(…)}.
 *
 * @param misfirePolicy what a late slot does (default {@link MisfirePolicy#FIRE_ONCE})
 * @param misfireThreshold a slot noticed later than this is a misfire
 * @param captureTimeout wall-clock limit of one capture
 * @param captureParallelism captures running at once (Heldar's own pool; 1 to 1024)
 * @param refreshInterval how often schedules are re-read from the store
 * @param fsync whether snapshot files and their directory are fsynced (off only for benchmarks)
 */
public record SnapshotOptions(
    MisfirePolicy misfirePolicy,
    Duration misfireThreshold,
    Duration captureTimeout,
    int captureParallelism,
    Duration refreshInterval,
    boolean fsync) {
  /** Wall-clock limit of one capture: 10 s. */
  public static final Duration DEFAULT_CAPTURE_TIMEOUT = Duration.ofSeconds(10);
  /** Captures running at once: 16. */
  public static final int DEFAULT_CAPTURE_PARALLELISM = 16;
  /** How often schedules are re-read from the store (changes by other processes): 1 s. */
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(1);
  /** A slot is a misfire when noticed later than this (matters for {@link MisfirePolicy#SKIP_TO_NEXT}): 1 s. */
  public static final Duration DEFAULT_MISFIRE_THRESHOLD = Duration.ofSeconds(1);
  /** Every default. */
  public static final SnapshotOptions DEFAULTS = new SnapshotOptions(
      MisfirePolicy.FIRE_ONCE,
      DEFAULT_MISFIRE_THRESHOLD,
      DEFAULT_CAPTURE_TIMEOUT,
      DEFAULT_CAPTURE_PARALLELISM,
      DEFAULT_REFRESH_INTERVAL,
      true);

  /** Checks every value, each by its one rule below, with the value in the message. */
  public SnapshotOptions {
    Objects.requireNonNull(misfirePolicy, "misfirePolicy");
    checkMisfireThreshold(misfireThreshold);
    checkCaptureTimeout(captureTimeout);
    checkCaptureParallelism(captureParallelism);
    checkRefreshInterval(refreshInterval);
  }

  private static Duration checkMisfireThreshold(Duration d) {
    return Checks.notNegative("misfire threshold", d);
  }

  private static Duration checkCaptureTimeout(Duration d) {
    return Checks.positive("capture timeout", d);
  }

  private static int checkCaptureParallelism(int n) {
    return Checks.inRange("capture parallelism", n, 1, 1024);
  }

  private static Duration checkRefreshInterval(Duration d) {
    return Checks.positive("refresh interval", d);
  }

  /** A builder starting from {@link #DEFAULTS}. */
  public static Builder builder() {
    return new Builder(DEFAULTS);
  }

  /** A builder starting from {@code options}. */
  public static Builder from(SnapshotOptions options) {
    return new Builder(Objects.requireNonNull(options, "options"));
  }

  /** Builds {@link SnapshotOptions}; each setter checks its value at once, by the record's rule. */
  public static final class Builder {
    private MisfirePolicy misfirePolicy;
    private Duration misfireThreshold;
    private Duration captureTimeout;
    private int captureParallelism;
    private Duration refreshInterval;
    private boolean fsync;

    private Builder(SnapshotOptions start) {
      misfirePolicy = start.misfirePolicy;
      misfireThreshold = start.misfireThreshold;
      captureTimeout = start.captureTimeout;
      captureParallelism = start.captureParallelism;
      refreshInterval = start.refreshInterval;
      fsync = start.fsync;
    }

    /** See {@link MisfirePolicy}. */
    public Builder misfirePolicy(MisfirePolicy v) {
      misfirePolicy = Objects.requireNonNull(v, "misfirePolicy");
      return this;
    }

    /** See {@link #DEFAULT_MISFIRE_THRESHOLD}; zero or positive. */
    public Builder misfireThreshold(Duration v) {
      misfireThreshold = checkMisfireThreshold(v);
      return this;
    }

    /** See {@link #DEFAULT_CAPTURE_TIMEOUT}; positive. */
    public Builder captureTimeout(Duration v) {
      captureTimeout = checkCaptureTimeout(v);
      return this;
    }

    /** See {@link #DEFAULT_CAPTURE_PARALLELISM}; 1 to 1024. */
    public Builder captureParallelism(int v) {
      captureParallelism = checkCaptureParallelism(v);
      return this;
    }

    /** See {@link #DEFAULT_REFRESH_INTERVAL}; positive. */
    public Builder refreshInterval(Duration v) {
      refreshInterval = checkRefreshInterval(v);
      return this;
    }

    /** See {@link SnapshotOptions#fsync()}. */
    public Builder fsync(boolean v) {
      fsync = v;
      return this;
    }

    /** The options. */
    public SnapshotOptions build() {
      return new SnapshotOptions(
          misfirePolicy,
          misfireThreshold,
          captureTimeout,
          captureParallelism,
          refreshInterval,
          fsync);
    }
  }
}
