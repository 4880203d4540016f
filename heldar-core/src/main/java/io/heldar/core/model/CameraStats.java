package io.heldar.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Per-camera figures refreshed after each scan.
 *
 * @param cameraId the camera
 * @param lastSegmentEnd the end of its latest footage
 * @param bitrateKbps average bit rate of its recent segments
 * @param fps average frame rate of its recent segments
 * @param segmentCount number of indexed segments
 * @param totalBytes bytes of indexed segments
 * @param updatedAt when the figures were computed
 */
public record CameraStats(
    String cameraId,
    Optional<Instant> lastSegmentEnd,
    OptionalDouble bitrateKbps,
    OptionalDouble fps,
    long segmentCount,
    long totalBytes,
    Instant updatedAt) {

  /** Validates every component. */
  public CameraStats {
    Camera.requireValidId(cameraId);
    Objects.requireNonNull(lastSegmentEnd, "lastSegmentEnd");
    Objects.requireNonNull(bitrateKbps, "bitrateKbps");
    Objects.requireNonNull(fps, "fps");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (segmentCount < 0 || totalBytes < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }
}
