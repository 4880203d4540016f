package io.heldar.core.tier;

import java.time.Duration;

/**
 * How tier moves run: how often, how fast, how many at once.
 *
 * @param interval how often the mover plans and moves (and finishes moves a crash interrupted)
 * @param bytesPerSecond the most bytes per second all moves together copy; {@code 0}: unbounded
 * @param concurrentFiles how many files are copied at once
 * @param maxFilesPerRound the most files one round moves; the rest wait for the next round, so a
 *     backlog after a long outage drains steadily instead of in one long round
 * @param checkInterval how often each further tier's files are checked against the index (a file
 *     gone from a tier that is there is marked missing, like one gone from the recordings root)
 */
public record TierMoveOptions(
    Duration interval,
    long bytesPerSecond,
    int concurrentFiles,
    int maxFilesPerRound,
    Duration checkInterval) {

  /** Default {@link #interval()}: one minute. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

  /** Default {@link #bytesPerSecond()}: 100 MiB/s, about a gigabit network to a NAS. */
  public static final long DEFAULT_BYTES_PER_SECOND = 100L << 20;

  /** Default {@link #concurrentFiles()}. */
  public static final int DEFAULT_CONCURRENT_FILES = 2;

  /** Default {@link #maxFilesPerRound()}. */
  public static final int DEFAULT_MAX_FILES_PER_ROUND = 2000;

  /** Default {@link #checkInterval()}: one hour. */
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofHours(1);

  /** The defaults. */
  public static final TierMoveOptions DEFAULTS = builder().build();

  /** Validates. */
  public TierMoveOptions {
    positive("interval", interval);
    positive("checkInterval", checkInterval);
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("bytesPerSecond must be 0 (unbounded) or positive");
    }
    if (concurrentFiles < 1 || concurrentFiles > 64) {
      throw new IllegalArgumentException("concurrentFiles must be in 1..64: " + concurrentFiles);
    }
    if (maxFilesPerRound < 1) {
      throw new IllegalArgumentException("maxFilesPerRound must be positive");
    }
  }

  private static void positive(String what, Duration d) {
    io.heldar.core.internal.Checks.positive(what, d);
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link TierMoveOptions}; setters validate. */
  public static final class Builder {
    private Duration interval = DEFAULT_INTERVAL;
    private long bytesPerSecond = DEFAULT_BYTES_PER_SECOND;
    private int concurrentFiles = DEFAULT_CONCURRENT_FILES;
    private int maxFilesPerRound = DEFAULT_MAX_FILES_PER_ROUND;
    private Duration checkInterval = DEFAULT_CHECK_INTERVAL;

    private Builder() {}

    /** See {@link TierMoveOptions#interval()}. */
    public Builder interval(Duration d) {
      positive("interval", d);
      this.interval = d;
      return this;
    }

    /** See {@link TierMoveOptions#bytesPerSecond()}. */
    public Builder bytesPerSecond(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("bytesPerSecond must be 0 (unbounded) or positive");
      }
      this.bytesPerSecond = bytes;
      return this;
    }

    /** See {@link TierMoveOptions#concurrentFiles()}. */
    public Builder concurrentFiles(int n) {
      if (n < 1 || n > 64) {
        throw new IllegalArgumentException("concurrentFiles must be in 1..64: " + n);
      }
      this.concurrentFiles = n;
      return this;
    }

    /** See {@link TierMoveOptions#maxFilesPerRound()}. */
    public Builder maxFilesPerRound(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxFilesPerRound must be positive");
      }
      this.maxFilesPerRound = n;
      return this;
    }

    /** See {@link TierMoveOptions#checkInterval()}. */
    public Builder checkInterval(Duration d) {
      positive("checkInterval", d);
      this.checkInterval = d;
      return this;
    }

    /** The options. */
    public TierMoveOptions build() {
      return new TierMoveOptions(
          interval, bytesPerSecond, concurrentFiles, maxFilesPerRound, checkInterval);
    }
  }
}
