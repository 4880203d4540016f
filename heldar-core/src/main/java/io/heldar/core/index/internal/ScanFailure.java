package io.heldar.core.index.internal;

/** A camera-level scan failure with a one-line reason: the camera's scan fails, the others go on. */
final class ScanFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ScanFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
