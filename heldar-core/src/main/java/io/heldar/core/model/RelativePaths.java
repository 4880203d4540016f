package io.heldar.core.model;

/** Checks for the root-relative paths stored in the index. */
public final class RelativePaths {
  private RelativePaths() {}

  /**
   * Checks that {@code path} is a normalised, {@code /}-separated relative path inside the
   * directory of {@code cameraId}: it starts with {@code cameraId/}, has no empty, {@code .} or
   * {@code ..} element, no backslash and no NUL.
   *
   * @throws IllegalArgumentException when it is not
   */
  public static String requireUnder(String cameraId, String path) {
    if (path == null
        || !path.startsWith(cameraId + "/")
        || path.length() == cameraId.length() + 1) {
      throw new IllegalArgumentException(
          "path " + path + " is not inside camera directory " + cameraId);
    }
    return requireRelative(path);
  }

  /**
   * Checks that {@code path} is a normalised, {@code /}-separated relative path: no leading
   * {@code /}, no empty, {@code .} or {@code ..} element, no backslash and no NUL. Segment paths are
   * relative to the recordings root and, in layouts that put the camera elsewhere than first
   * ({@code 2026-11-21/10/front/05.00.mp4}), need not start with the camera id.
   *
   * @throws IllegalArgumentException when it is not
   */
  public static String requireRelative(String path) {
    if (path == null || path.isEmpty() || path.startsWith("/")) {
      throw new IllegalArgumentException("path " + path + " is not a relative path");
    }
    if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("path " + path + " contains a forbidden character");
    }
    // Each element between slashes must be non-empty and neither "." nor "..".
    int start = 0;
    for (int i = 0; i <= path.length(); i++) {
      if (i == path.length() || path.charAt(i) == '/') {
        int len = i - start;
        if (len == 0
            || (len == 1 && path.charAt(start) == '.')
            || (len == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.')) {
          throw new IllegalArgumentException("path " + path + " is not normalised");
        }
        start = i + 1;
      }
    }
    return path;
  }
}
