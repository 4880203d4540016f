package io.heldar.core.clip;

import io.heldar.core.HeldarException;

/** A clip could not be made; nothing is left under the clip's name. */
public class ClipException extends HeldarException {
  private static final long serialVersionUID = 1L;

  /** With a message naming the camera, the range and the reason. */
  public ClipException(String message) {
    super(message);
  }

  /** With a message and its cause. */
  public ClipException(String message, Throwable cause) {
    super(message, cause);
  }
}
