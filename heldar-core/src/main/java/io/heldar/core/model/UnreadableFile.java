package io.heldar.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A segment file that could not be probed. It is probed again only when its size or
 * modification time changes.
 *
 * @param cameraId the camera directory it lies in
 * @param path its path relative to the recordings root
 * @param sizeBytes its size when it failed
 * @param fileModified its modification time when it failed
 * @param reason why it failed
 * @param detectedAt when it failed
 */
public record UnreadableFile(
    String cameraId,
    String path,
    long sizeBytes,
    Instant fileModified,
    String reason,
    Instant detectedAt) {

  /** Validates every component. */
  public UnreadableFile {
    Camera.requireValidId(cameraId);
    RelativePaths.requireRelative(path);
    Objects.requireNonNull(fileModified, "fileModified");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detectedAt, "detectedAt");
  }

  /** Whether a file of this size and modification time is the same version that failed. */
  public boolean sameVersion(long size, Instant modified) {
    return sizeBytes == size && fileModified.equals(modified);
  }
}
