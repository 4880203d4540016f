package io.heldar.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One stored JPEG.
 *
 * @param cameraId the camera it shows
 * @param scheduleId the schedule that took it, if a schedule did
 * @param path its path relative to the snapshots root ({@code <camera id>/<file>.jpg})
 * @param takenAt the instant of capture
 * @param sizeBytes the file size
 * @param createdAt when the row was written
 */
public record Snapshot(
    String cameraId,
    OptionalLong scheduleId,
    String path,
    Instant takenAt,
    long sizeBytes,
    Instant createdAt) {

  /** Validates every component. */
  public Snapshot {
    Camera.requireValidId(cameraId);
    Objects.requireNonNull(scheduleId, "scheduleId");
    Objects.requireNonNull(takenAt, "takenAt");
    Objects.requireNonNull(createdAt, "createdAt");
    RelativePaths.requireUnder(cameraId, path);
    if (sizeBytes <= 0) {
      throw new IllegalArgumentException("snapshot " + path + ": size must be positive");
    }
  }
}
