package io.heldar.core;

/**
 * Root of every exception Heldar throws. It is abstract: what is thrown is always a specific
 * subclass ({@link io.heldar.core.store.StoreException}, {@link io.heldar.core.probe.ProbeException},
 * {@link io.heldar.core.snapshot.SnapshotCaptureException}, …), carrying the context of the failure
 * (the file, the camera, the exit code, …) so callers and logs can say exactly what went wrong.
 */
public abstract class HeldarException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  protected HeldarException(String message) {
    super(message);
  }

  /** Creates an exception with a message and its cause. */
  protected HeldarException(String message, Throwable cause) {
    super(message, cause);
  }
}
