package io.heldar.core.model;

import io.heldar.core.HeldarException;

/** A camera id that does not match {@link Camera#ID_PATTERN}. */
public final class InvalidCameraIdException extends HeldarException {
  private static final long serialVersionUID = 1L;
  private final String printableId;

  InvalidCameraIdException(String id) {
    super("invalid camera id " + printable(id) + ": must match " + Camera.ID_PATTERN.pattern());
    this.printableId = printable(id);
  }

  /** The rejected id, quoted, with control characters escaped so it is safe to log. */
  public String printableId() {
    return printableId;
  }

  private static String printable(String id) {
    if (id == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder("\"");
    int shown = Math.min(id.length(), 80);
    for (int i = 0; i < shown; i++) {
      char c = id.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (id.length() > shown) {
      sb.append("…");
    }
    return sb.append("\" (").append(id.length()).append(" chars)").toString();
  }
}
