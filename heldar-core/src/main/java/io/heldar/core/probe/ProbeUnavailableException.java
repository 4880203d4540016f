package io.heldar.core.probe;

import io.heldar.core.HeldarException;

/**
 * The probe itself cannot run (its binary is missing, cannot start, or lacks a shared library) —
 * as opposed to {@link ProbeException}, which blames the file. The indexer does not mark files
 * unreadable for this; it fails the camera's scan and tries again at the next tick.
 */
public class ProbeUnavailableException extends HeldarException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public ProbeUnavailableException(String message) {
    super(message);
  }

  /** Creates an exception with a message and its cause. */
  public ProbeUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
