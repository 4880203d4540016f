package io.heldar.core.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One camera's figures since this process started (counters), or as last seen (gauges).
 *
 * @param cameraId the camera
 * @param segmentsIndexed segments indexed (counter)
 * @param unreadable files found unreadable (counter)
 * @param openGaps open gaps, as of the last scan that changed the camera (gauge)
 * @param newestFootageEnd the end of its newest indexed footage, if any (gauge)
 * @param footageAge now − {@code newestFootageEnd} (gauge)
 * @param snapshotsTaken snapshots committed (counter)
 * @param snapshotsFailed slots whose capture failed (counter)
 * @param snapshotsMissed slots passed without a capture (counter)
 * @param capturesNotStarted slots failed because their capture never started: every capture
 *     thread was busy past the capture timeout (Heldar saturated, not the camera; counter)
 * @param lastCaptureLatency from the last taken slot to its row committed (gauge)
 * @param status fresh, stale, failing or no footage, with the reason
 */
public record CameraMetrics(
    String cameraId,
    long segmentsIndexed,
    long unreadable,
    long openGaps,
    Optional<Instant> newestFootageEnd,
    Optional<Duration> footageAge,
    long snapshotsTaken,
    long snapshotsFailed,
    long snapshotsMissed,
    long capturesNotStarted,
    Optional<Duration> lastCaptureLatency,
    CameraStatus status) {
  /** Validates every component. */
  public CameraMetrics {
    Objects.requireNonNull(cameraId, "cameraId");
    Objects.requireNonNull(newestFootageEnd, "newestFootageEnd");
    Objects.requireNonNull(footageAge, "footageAge");
    Objects.requireNonNull(lastCaptureLatency, "lastCaptureLatency");
    Objects.requireNonNull(status, "status");
  }
}
