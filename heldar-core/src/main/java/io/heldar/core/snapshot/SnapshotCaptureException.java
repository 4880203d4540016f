package io.heldar.core.snapshot;

import io.heldar.core.HeldarException;

/** A snapshot could not be captured: the camera, the reason, and whether it timed out. */
public class SnapshotCaptureException extends HeldarException {
  private static final long serialVersionUID = 1L;
  private final String cameraId;
  private final String reason;
  private final boolean timedOut;

  /** A failure. */
  public SnapshotCaptureException(
      String cameraId, String reason, boolean timedOut, Throwable cause) {
    super("camera " + cameraId + ": snapshot capture failed: " + reason, cause);
    this.cameraId = cameraId;
    this.reason = reason;
    this.timedOut = timedOut;
  }

  /** A failure without a cause. */
  public SnapshotCaptureException(String cameraId, String reason) {
    this(cameraId, reason, false, null);
  }

  /** The camera. */
  public String cameraId() {
    return cameraId;
  }

  /** Why, without the camera. */
  public String reason() {
    return reason;
  }

  /** Whether the capture was stopped at its timeout. */
  public boolean timedOut() {
    return timedOut;
  }
}
