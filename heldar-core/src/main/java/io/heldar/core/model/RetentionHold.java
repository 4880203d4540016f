package io.heldar.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A hold on a camera's time range (an incident): segments overlapping it are never deleted by
 * retention.
 *
 * @param id the store's id
 * @param cameraId the camera
 * @param start start of the held range
 * @param end end of the held range (exclusive)
 * @param reason why (an incident id, a case number)
 * @param createdAt when it was placed
 */
public record RetentionHold(
    long id, String cameraId, Instant start, Instant end, String reason, Instant createdAt) {
  /** Validates every component. */
  public RetentionHold {
    Camera.requireValidId(cameraId);
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(createdAt, "createdAt");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("hold end " + end + " not after start " + start);
    }
  }

  /** Whether {@code [from, to)} overlaps the held range. */
  public boolean overlaps(Instant from, Instant to) {
    return from.isBefore(end) && to.isAfter(start);
  }
}
