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
    String shown = id.length() > 80 ? id.substring(0, 80) + "…" : id;
    return "\"" + PrintableText.of(shown).replace("\"", "\\u0022") + "\" (" + id.length()
        + " chars)";
  }
}
