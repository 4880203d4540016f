package io.heldar.core.index;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one scan of one camera did: where each of its files went ({@link FileBucket}).
 *
 * @param cameraId the camera
 * @param files the camera's files by bucket, with examples
 * @param indexedPaths the paths indexed in this scan
 * @param failure why the scan could not run, if it could not
 */
public record CameraScanReport(
    String cameraId, FileTally files, List<String> indexedPaths, Optional<String> failure) {

  /** Validates and freezes. */
  public CameraScanReport {
    Objects.requireNonNull(cameraId, "cameraId");
    Objects.requireNonNull(files, "files");
    indexedPaths = List.copyOf(indexedPaths);
    Objects.requireNonNull(failure, "failure");
  }

  /** A scan that could not run. */
  public static CameraScanReport failed(String cameraId, String reason) {
    return new CameraScanReport(cameraId, FileTally.EMPTY, List.of(), Optional.of(reason));
  }

  /** Whether the scan ran. */
  public boolean succeeded() {
    return failure.isEmpty();
  }

  /** New segments written to the index. */
  public int indexed() {
    return (int) files.count(FileBucket.INDEXED);
  }

  /**
   * Files still being written, looked at again next scan: modified within the settle time, or
   * incomplete within the incomplete grace.
   */
  public int unsettled() {
    return (int) (files.count(FileBucket.UNSETTLED) + files.count(FileBucket.INCOMPLETE));
  }

  /** Files whose path does not match the naming pattern. */
  public int unparseable() {
    return (int) files.count(FileBucket.NAME_DOES_NOT_MATCH);
  }

  /** Files that failed to probe in this scan (each raised {@code segment_unreadable}). */
  public int unreadable() {
    return (int) files.count(FileBucket.UNREADABLE);
  }

  /** Files skipped because they failed before and have not changed since. */
  public int knownUnreadable() {
    return (int) files.count(FileBucket.KNOWN_UNREADABLE);
  }

  /** Hidden and temporary files, links and special files, directories too deep or unreadable. */
  public int ignored() {
    return (int) (files.count(FileBucket.HIDDEN_OR_TEMPORARY)
        + files.count(FileBucket.NOT_A_REGULAR_FILE)
        + files.count(FileBucket.TOO_DEEP)
        + files.count(FileBucket.UNLISTABLE));
  }

  /** Indexed files that changed on disk and were probed again, their rows replaced. */
  public int changed() {
    return (int) files.count(FileBucket.CHANGED);
  }

  /** Indexed files seen unchanged. */
  public int alreadyIndexed() {
    return (int) files.count(FileBucket.ALREADY_INDEXED);
  }
}
