package io.heldar.core.index;

/**
 * Where a scan put one file or directory under the recordings root. Every entry the scan sees lands
 * in exactly one bucket: nothing under the root is skipped without a reason.
 */
public enum FileBucket {
  /** Indexed in this scan: a new segment row. */
  INDEXED("indexed"),
  /** Indexed before, changed on disk, probed again and its row replaced. */
  CHANGED("re-indexed (changed on disk)"),
  /** Indexed before and unchanged. */
  ALREADY_INDEXED("already indexed"),
  /** Modified within the settle time: still being written, looked at again next scan. */
  UNSETTLED("waiting: modified within the settle time"),
  /** Found incomplete (no moov yet, data past the end) within the incomplete grace: looked at again. */
  INCOMPLETE("waiting: incomplete, within the grace period"),
  /** Failed to probe in this scan; recorded in {@code unreadable_files} with one event. */
  UNREADABLE("unreadable"),
  /** Failed before and unchanged since; not probed again. */
  KNOWN_UNREADABLE("unreadable (unchanged since it failed)"),
  /** A hidden ({@code .name}) or temporary ({@code *.tmp}, {@code *.part}) file or directory. */
  HIDDEN_OR_TEMPORARY("ignored: hidden or temporary"),
  /** The path does not match the naming pattern (or names an impossible date). */
  NAME_DOES_NOT_MATCH("ignored: name does not match the naming pattern"),
  /** A file directly under the root, where the layout has camera directories. */
  NOT_UNDER_A_CAMERA("ignored: not under a camera"),
  /** A directory under the root in which no file matches the naming pattern: not registered as a camera. */
  NOT_A_CAMERA("ignored: directory is not a camera (no file in it matches the naming pattern)"),
  /** A camera's files or directory, when the camera is not registered and discovery is off. */
  CAMERA_NOT_REGISTERED("ignored: camera not registered"),
  /** A camera whose name maps to the id of another camera: an error, see {@link ScanReport#conflicts()}. */
  CAMERA_ID_CONFLICT("ignored: camera name maps to another camera's id"),
  /**
   * A camera directory (or the camera part of a path) whose name cannot be a camera: a backslash,
   * a control character such as a line break, a {@code .} or {@code ..} element, more than 1,024
   * characters. Raised once as {@code camera_name_rejected}; every other camera is indexed.
   */
  UNUSABLE_CAMERA_NAME(
      "ignored: name cannot be a camera (a backslash, a control character, . or .., too long)"),
  /** A symbolic link or special file: never followed, never indexed. */
  NOT_A_REGULAR_FILE("ignored: symbolic link or special file"),
  /** A directory deeper than the naming pattern reaches: its contents are not listed. */
  TOO_DEEP("ignored: directory deeper than the naming pattern"),
  /** A directory that cannot be listed (permissions). */
  UNLISTABLE("ignored: directory cannot be read");

  private final String description;

  FileBucket(String description) {
    this.description = description;
  }

  /** A short description for reports. */
  public String description() {
    return description;
  }

  /** Whether files in this bucket are in the index after the scan (indexed now or before). */
  public boolean inIndex() {
    return this == INDEXED || this == CHANGED || this == ALREADY_INDEXED;
  }
}
