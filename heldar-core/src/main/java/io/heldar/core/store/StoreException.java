package io.heldar.core.store;

import io.heldar.core.HeldarException;

/** A store operation failed (I/O, constraint, incompatible schema, …). */
public class StoreException extends HeldarException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public StoreException(String message) {
    super(message);
  }

  /** Creates an exception with a message and its cause. */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
