package io.heldar.core.snapshot.internal;

import io.heldar.core.snapshot.SnapshotCaptureException;

/**
 * A slot whose capture never started: every capture thread was busy until its timeout had passed.
 * Heldar's failure (saturated), not the camera's: reported with cause {@code saturated}.
 */
final class CaptureNotStartedException extends SnapshotCaptureException {
  private static final long serialVersionUID = 1L;

  CaptureNotStartedException(String cameraId, String reason) {
    super(cameraId, reason, false, null);
  }
}
