package io.heldar.core.heal;

import java.time.Duration;
import java.util.Objects;

/**
 * How gaps are healed from the cameras' own storage.
 *
 * @param maxAge gaps that ended longer ago than this are not healed (edges keep days, not months)
 * @param chunk the longest range one fetch asks for
 * @param fetchTimeout the most one fetch may take
 * @param maxBytes the most bytes one fetch may write
 * @param tolerance how far footage may be off the asked range and still fit it
 * @param maxTries a range that failed this many times is given up, with the reason
 * @param backoff the wait after a range's first failure; it doubles with each further one
 * @param interval pause between rounds
 * @param bytesPerSecond the most bytes a second one fetch reads from the edge; {@code 0}: unbounded
 * @param concurrentFetches the most fetches at once over all cameras
 * @param fetchesPerCamera the most fetches at once from one camera (edges are small devices: one
 *     replay stream at a time is what most allow)
 */
public record HealOptions(
    Duration maxAge,
    Duration chunk,
    Duration fetchTimeout,
    long maxBytes,
    Duration tolerance,
    int maxTries,
    Duration backoff,
    Duration interval,
    long bytesPerSecond,
    int concurrentFetches,
    int fetchesPerCamera) {
  /** Default {@link #maxAge()}: 3 days. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(3);
  /** Default {@link #chunk()}: 5 minutes. */
  public static final Duration DEFAULT_CHUNK = Duration.ofMinutes(5);
  /** Default {@link #fetchTimeout()}: 2 minutes. */
  public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofMinutes(2);
  /** Default {@link #maxBytes()}: 2 GiB. */
  public static final long DEFAULT_MAX_BYTES = 2L << 30;
  /** Default {@link #tolerance()}: 2 seconds. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(2);
  /** Default {@link #maxTries()}. */
  public static final int DEFAULT_MAX_TRIES = 5;
  /** Default {@link #backoff()}: 1 minute. */
  public static final Duration DEFAULT_BACKOFF = Duration.ofMinutes(1);
  /** Default {@link #interval()}: 1 minute. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
  /** Default {@link #concurrentFetches()}. */
  public static final int DEFAULT_CONCURRENT_FETCHES = 4;
  /** Default {@link #fetchesPerCamera()}. */
  public static final int DEFAULT_FETCHES_PER_CAMERA = 1;
  /** The defaults. */
  public static final HealOptions DEFAULTS = builder().build();

  /** Validates. */
  public HealOptions {
    positive("maxAge", maxAge);
    positive("chunk", chunk);
    positive("fetchTimeout", fetchTimeout);
    positive("backoff", backoff);
    positive("interval", interval);
    Objects.requireNonNull(tolerance, "tolerance");
    if (tolerance.isNegative()) {
      throw new IllegalArgumentException("tolerance must not be negative");
    }
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
    if (maxTries < 1) {
      throw new IllegalArgumentException("maxTries must be at least 1");
    }
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("bytesPerSecond must be 0 (unbounded) or positive");
    }
    atLeastOne("concurrentFetches", concurrentFetches);
    atLeastOne("fetchesPerCamera", fetchesPerCamera);
  }

  private static void atLeastOne(String what, int n) {
    if (n < 1 || n > 256) {
      throw new IllegalArgumentException(what + " must be between 1 and 256, not " + n);
    }
  }

  private static void positive(String what, Duration d) {
    io.heldar.core.internal.Checks.positive(what, d);
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link HealOptions}; setters validate. */
  public static final class Builder {
    private Duration maxAge = DEFAULT_MAX_AGE;
    private Duration chunk = DEFAULT_CHUNK;
    private Duration fetchTimeout = DEFAULT_FETCH_TIMEOUT;
    private long maxBytes = DEFAULT_MAX_BYTES;
    private Duration tolerance = DEFAULT_TOLERANCE;
    private int maxTries = DEFAULT_MAX_TRIES;
    private Duration backoff = DEFAULT_BACKOFF;
    private Duration interval = DEFAULT_INTERVAL;
    private long bytesPerSecond;
    private int concurrentFetches = DEFAULT_CONCURRENT_FETCHES;
    private int fetchesPerCamera = DEFAULT_FETCHES_PER_CAMERA;

    private Builder() {}

    /** See {@link HealOptions#concurrentFetches()}. */
    public Builder concurrentFetches(int n) {
      atLeastOne("concurrentFetches", n);
      concurrentFetches = n;
      return this;
    }

    /** See {@link HealOptions#fetchesPerCamera()}. */
    public Builder fetchesPerCamera(int n) {
      atLeastOne("fetchesPerCamera", n);
      fetchesPerCamera = n;
      return this;
    }

    /** See {@link HealOptions#bytesPerSecond()}. */
    public Builder bytesPerSecond(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("bytesPerSecond must be 0 (unbounded) or positive");
      }
      bytesPerSecond = bytes;
      return this;
    }

    /** See {@link HealOptions#maxAge()}. */
    public Builder maxAge(Duration d) {
      positive("maxAge", d);
      maxAge = d;
      return this;
    }

    /** See {@link HealOptions#chunk()}. */
    public Builder chunk(Duration d) {
      positive("chunk", d);
      chunk = d;
      return this;
    }

    /** See {@link HealOptions#fetchTimeout()}. */
    public Builder fetchTimeout(Duration d) {
      positive("fetchTimeout", d);
      fetchTimeout = d;
      return this;
    }

    /** See {@link HealOptions#maxBytes()}. */
    public Builder maxBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxBytes must be positive");
      }
      maxBytes = bytes;
      return this;
    }

    /** See {@link HealOptions#tolerance()}. */
    public Builder tolerance(Duration d) {
      if (Objects.requireNonNull(d, "tolerance").isNegative()) {
        throw new IllegalArgumentException("tolerance must not be negative");
      }
      tolerance = d;
      return this;
    }

    /** See {@link HealOptions#maxTries()}. */
    public Builder maxTries(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxTries must be at least 1");
      }
      maxTries = n;
      return this;
    }

    /** See {@link HealOptions#backoff()}. */
    public Builder backoff(Duration d) {
      positive("backoff", d);
      backoff = d;
      return this;
    }

    /** See {@link HealOptions#interval()}. */
    public Builder interval(Duration d) {
      positive("interval", d);
      interval = d;
      return this;
    }

    /** The options. */
    public HealOptions build() {
      return new HealOptions(
          maxAge,
          chunk,
          fetchTimeout,
          maxBytes,
          tolerance,
          maxTries,
          backoff,
          interval,
          bytesPerSecond,
          concurrentFetches,
          fetchesPerCamera);
    }
  }
}
