package io.heldar.core;

/**
 * Root of every exception Heldar throws. Subclasses carry the context of the failure (the file,
 * the camera, the exit code, …) so callers and logs can say exactly what went wrong.
 */
public class HeldarException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public HeldarException(String message) {
    super(message);
  }

  /** Creates an exception with a message and its cause. */
  public HeldarException(String message, Throwable cause) {
    super(message, cause);
  }
}
