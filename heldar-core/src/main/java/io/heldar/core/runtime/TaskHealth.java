package io.heldar.core.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A point-in-time view of one supervised task.
 *
 * @param name the task's name
 * @param period delay between the end of one tick and the start of the next
 * @param runs ticks started
 * @param failures ticks that threw
 * @param consecutiveFailures failures since the last success
 * @param lastRun start of the latest tick
 * @param lastSuccess end of the latest successful tick
 * @param lastFailure end of the latest failed tick
 * @param lastFailureMessage what the latest failure said (its message; the exception's type and
 *     stack trace are logged, never carried here, so this can be shown to clients)
 * @param lastDuration how long the latest finished tick took
 */
public record TaskHealth(
    String name,
    Duration period,
    long runs,
    long failures,
    long consecutiveFailures,
    Optional<Instant> lastRun,
    Optional<Instant> lastSuccess,
    Optional<Instant> lastFailure,
    Optional<String> lastFailureMessage,
    Optional<Duration> lastDuration) {

  /** Validates every component. */
  public TaskHealth {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(lastRun, "lastRun");
    Objects.requireNonNull(lastSuccess, "lastSuccess");
    Objects.requireNonNull(lastFailure, "lastFailure");
    Objects.requireNonNull(lastFailureMessage, "lastFailureMessage");
    Objects.requireNonNull(lastDuration, "lastDuration");
  }

  /** Whether the latest finished tick succeeded (or none has finished yet). */
  public boolean healthy() {
    return consecutiveFailures == 0;
  }
}
