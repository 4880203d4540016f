package io.heldar.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A hole in a camera's recording.
 *
 * @param id the store's id
 * @param cameraId the camera
 * @param start the end of the footage before the hole
 * @param end the start of the footage after the hole
 * @param status open, or filled by late footage
 * @param cause why the hole exists
 * @param detectedAt when the hole was first seen
 * @param filledAt when late footage filled it, if it did
 */
public record RecordingGap(
    long id,
    String cameraId,
    Instant start,
    Instant end,
    GapStatus status,
    GapCause cause,
    Instant detectedAt,
    Optional<Instant> filledAt) {

  /** Validates every component. */
  public RecordingGap {
    Camera.requireValidId(cameraId);
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(detectedAt, "detectedAt");
    Objects.requireNonNull(filledAt, "filledAt");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("gap end " + end + " not after start " + start);
    }
    if (status == GapStatus.FILLED && filledAt.isEmpty()) {
      throw new IllegalArgumentException("a filled gap needs filledAt");
    }
  }

  /** {@code end - start}. */
  public Duration length() {
    return Duration.between(start, end);
  }

  /** The hole's length in (fractional) seconds. */
  public double gapSeconds() {
    return length().toMillis() / 1000.0;
  }
}
