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

  /**
   * The picture size a JPEG's frame header (SOF) states, as {width, height}; null when there is
   * none in the bytes.
   */
  public static int[] dimensions(byte[] bytes) {
    int p = 2;
    while (p + 9 < bytes.length) {
      if ((bytes[p] & 0xff) != 0xff) {
        return null;
      }
      int marker = bytes[p + 1] & 0xff;
      if (marker == 0xff) {
        p++; // fill byte
        continue;
      }
      int length = ((bytes[p + 2] & 0xff) << 8) | (bytes[p + 3] & 0xff);
      boolean frame =
          marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
      if (frame) {
        int height = ((bytes[p + 5] & 0xff) << 8) | (bytes[p + 6] & 0xff);
        int width = ((bytes[p + 7] & 0xff) << 8) | (bytes[p + 8] & 0xff);
        return width > 0 && height > 0 ? new int[] {width, height} : null;
      }
      if (marker == 0xda || length < 2) {
        return null; // the scan starts before any frame header
      }
      p += 2 + length;
    }
    return null;
  }
}
