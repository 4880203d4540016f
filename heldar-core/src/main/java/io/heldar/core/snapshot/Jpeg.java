package io.heldar.core.snapshot;

/** Checks that bytes are one complete JPEG: SOI ({@code FF D8 FF}) at the start, EOI ({@code FF D9}) at the end. */
public final class Jpeg {
  private Jpeg() {}

  /** Whether {@code bytes} look like a complete JPEG (trailing zero padding after EOI is tolerated). */
  public static boolean isComplete(byte[] bytes) {
    if (bytes == null || bytes.length < 4) {
      return false;
    }
    if ((bytes[0] & 0xff) != 0xff || (bytes[1] & 0xff) != 0xd8 || (bytes[2] & 0xff) != 0xff) {
      return false;
    }
    int end = bytes.length;
    while (end > 4 && bytes[end - 1] == 0) {
      end--;
    }
    return (bytes[end - 2] & 0xff) == 0xff && (bytes[end - 1] & 0xff) == 0xd9;
  }

  /** Why {@code bytes} are not a complete JPEG, for error messages. */
  public static String describeProblem(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return "no bytes";
    }
    if (bytes.length < 4 || (bytes[0] & 0xff) != 0xff || (bytes[1] & 0xff) != 0xd8) {
      return "not a JPEG (no SOI marker; " + bytes.length + " bytes)";
    }
    return "incomplete JPEG (no EOI marker; " + bytes.length + " bytes)";
  }
}
