package io.heldar.core.retention;

import java.time.Instant;
import java.util.Objects;

/**
 * One file retention plans to delete.
 *
 * @param cameraId the camera
 * @param path root-relative path (segments: recordings root; snapshots: snapshots root)
 * @param bytes its size
 * @param reason why
 * @param time its start (segments) or capture time (snapshots)
 * @param tier the storage tier a segment lives on (empty: the recordings root, and snapshots)
 */
public record PlannedDeletion(
    String cameraId,
    String path,
    long bytes,
    DeletionReason reason,
    Instant time,
    java.util.Optional<String> tier) {
  /** Validates. */
  public PlannedDeletion {
    Objects.requireNonNull(cameraId, "cameraId");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(tier, "tier");
  }

  /** A deletion in the recordings root (or of a snapshot). */
  public PlannedDeletion(
      String cameraId, String path, long bytes, DeletionReason reason, Instant time) {
    this(cameraId, path, bytes, reason, time, java.util.Optional.empty());
  }
}
