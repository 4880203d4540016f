package io.heldar.core.heal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the healer did with one range of a camera's gap: one row of {@code gap_heals}, kept per
 * camera and range start and updated on each try. A gap's history is the attempts inside its
 * bounds, and stays after it closed.
 *
 * @param cameraId the camera
 * @param from the start of the range asked for
 * @param to its end (exclusive)
 * @param source where the footage was asked from ({@link EdgeSource#describe})
 * @param outcome the last try's outcome
 * @param tries the tries so far, at least 1
 * @param code the last failure's code ({@code edge_has_no_footage}, {@code edge_unreachable},
 *     {@code edge_footage_rejected}, {@code heal_error}), empty once healed
 * @param reason the last failure's reason, in words
 * @param healedSeconds the seconds of footage that landed ({@code 0} unless healed)
 * @param healedPath the healed file, relative to the recordings root
 * @param nextTryAt when the range may be tried again (empty when healed or given up)
 * @param firstTryAt the first try
 * @param updatedAt the last try
 */
public record HealAttempt(
    String cameraId,
    Instant from,
    Instant to,
    String source,
    Outcome outcome,
    int tries,
    Optional<String> code,
    Optional<String> reason,
    double healedSeconds,
    Optional<String> healedPath,
    Optional<Instant> nextTryAt,
    Instant firstTryAt,
    Instant updatedAt) {

  /** How a range's last try ended. */
  public enum Outcome {
    /** The footage landed and covers the range (within the tolerance). */
    HEALED("healed"),
    /** The footage landed but covers only the start of the range; the rest stays a gap. */
    PARTIAL("partial"),
    /** The try failed; it is tried again after {@link #nextTryAt()}. */
    FAILED("failed"),
    /** The try failed for the last time; the range is not asked for again. */
    GIVEN_UP("given_up");

    private final String code;

    Outcome(String code) {
      this.code = code;
    }

    /** The stored spelling. */
    public String code() {
      return code;
    }

    /** The outcome spelled {@code code}. */
    public static Outcome fromCode(String code) {
      for (Outcome o : values()) {
        if (o.code.equals(code)) {
          return o;
        }
      }
      throw new IllegalArgumentException("unknown heal outcome: " + code);
    }
  }

  /** Validates. */
  public HealAttempt {
    io.heldar.core.model.Camera.requireValidId(cameraId);
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(healedPath, "healedPath");
    Objects.requireNonNull(nextTryAt, "nextTryAt");
    Objects.requireNonNull(firstTryAt, "firstTryAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("heal range " + from + ".." + to + " is empty");
    }
    if (tries < 1) {
      throw new IllegalArgumentException("tries must be at least 1");
    }
    if (!(healedSeconds >= 0)) {
      throw new IllegalArgumentException("healedSeconds must be 0 or more");
    }
  }

  /** Whether the footage landed (whole or in part). */
  public boolean landed() {
    return outcome == Outcome.HEALED || outcome == Outcome.PARTIAL;
  }
}
