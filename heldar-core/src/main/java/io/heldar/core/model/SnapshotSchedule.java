package io.heldar.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A per-camera interval snapshot schedule.
 *
 * @param id the store's id
 * @param cameraId the camera
 * @param interval time between slots: whole seconds, at least one
 * @param enabled whether it fires
 * @param lastFiredAt the slot it last fired for, if any
 * @param createdAt creation time
 * @param updatedAt last change
 */
public record SnapshotSchedule(
    long id,
    String cameraId,
    Duration interval,
    boolean enabled,
    Optional<Instant> lastFiredAt,
    Instant createdAt,
    Instant updatedAt) {

  /** Validates every component. */
  public SnapshotSchedule {
    Camera.requireValidId(cameraId);
    requireValidInterval(interval);
    Objects.requireNonNull(lastFiredAt, "lastFiredAt");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** Checks that an interval is a whole number of seconds, at least one. */
  public static Duration requireValidInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.toNanosPart() != 0) {
      throw new IllegalArgumentException(
          "interval must be whole seconds, at least 1 s: " + interval);
    }
    return interval;
  }
}
