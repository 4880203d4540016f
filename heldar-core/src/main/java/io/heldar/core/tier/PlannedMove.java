package io.heldar.core.tier;

import java.time.Instant;
import java.util.Objects;

/**
 * One segment a tier's rules move on.
 *
 * @param cameraId the camera
 * @param path the segment's path
 * @param bytes its size
 * @param from the tier it lives on
 * @param to the next tier
 * @param reason the rule that moves it
 * @param start where its footage starts
 */
public record PlannedMove(
    String cameraId,
    String path,
    long bytes,
    String from,
    String to,
    Reason reason,
    Instant start) {
  /** Validates. */
  public PlannedMove {
    Objects.requireNonNull(cameraId, "cameraId");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(start, "start");
  }

  /** Which rule of the tier moves a segment on. */
  public enum Reason {
    /** Older than the tier's {@code moveAfter}. */
    AGE,
    /** Beyond the camera's byte budget on the tier. */
    BYTES,
    /** The tier's file system is below its free-space floor. */
    FREE_SPACE
  }
}
