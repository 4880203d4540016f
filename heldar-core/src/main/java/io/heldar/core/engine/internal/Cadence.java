package io.heldar.core.engine.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * When the runtime ticks an engine: the first tick after {@code initialDelay}, then after the delay
 * the engine's tick asked for, clamped to {@code [minDelay, maxDelay]}. After a tick that failed, the
 * next comes after {@code maxDelay} doubled per consecutive failure, up to {@code maxBackoff} (the
 * runtime's {@link io.heldar.core.runtime.RuntimeOptions#maxBackoff()} when empty; never less than
 * {@code maxDelay}).
 *
 * @param initialDelay delay before the first tick; zero or positive
 * @param minDelay the shortest delay between ticks; positive
 * @param maxDelay the longest delay between ticks; at least {@code minDelay}
 * @param maxBackoff the cap of the delay after failures, when the engine's own
 */
public record Cadence(
    Duration initialDelay, Duration minDelay, Duration maxDelay, Optional<Duration> maxBackoff) {

  /** Checks the bounds. */
  public Cadence {
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(minDelay, "minDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (initialDelay.isNegative()) {
      throw new IllegalArgumentException("initialDelay must not be negative: " + initialDelay);
    }
    if (minDelay.isNegative() || minDelay.isZero() || minDelay.compareTo(maxDelay) > 0) {
      throw new IllegalArgumentException(
          "need 0 < minDelay <= maxDelay, not " + minDelay + " and " + maxDelay);
    }
    maxBackoff.ifPresent(b -> {
      if (b.isNegative() || b.isZero()) {
        throw new IllegalArgumentException("maxBackoff must be positive: " + b);
      }
    });
  }

  /** A fixed period: ticks {@code period} apart, the first after {@code initialDelay}. */
  public static Cadence every(Duration initialDelay, Duration period) {
    return new Cadence(initialDelay, period, period, Optional.empty());
  }

  /** Ticks when the engine says, within {@code [minDelay, maxDelay]}. */
  public static Cadence between(Duration initialDelay, Duration minDelay, Duration maxDelay) {
    return new Cadence(initialDelay, minDelay, maxDelay, Optional.empty());
  }

  /** This cadence with its own cap on the delay after failures ({@code maxDelay} or less: no backoff). */
  public Cadence withMaxBackoff(Duration cap) {
    return new Cadence(initialDelay, minDelay, maxDelay, Optional.of(cap));
  }

  /** The delay after a tick that asked for {@code wanted}: clamped to the bounds. */
  public Duration clamp(Duration wanted) {
    if (wanted == null || wanted.compareTo(minDelay) < 0) {
      return minDelay;
    }
    return wanted.compareTo(maxDelay) > 0 ? maxDelay : wanted;
  }

  /**
   * The delay after {@code consecutiveFailures} failed ticks in a row: {@code maxDelay} doubled per
   * failure after the first, capped at {@code cap} (or {@code maxDelay} when that is larger).
   */
  public Duration backoff(long consecutiveFailures, Duration cap) {
    Duration limit = cap.compareTo(maxDelay) > 0 ? cap : maxDelay;
    long n = Math.max(1, consecutiveFailures);
    Duration d = maxDelay.multipliedBy(1L << Math.min(n - 1, 20));
    return d.compareTo(limit) > 0 ? limit : d;
  }
}
