package io.heldar.core.index;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one scan of one camera directory did.
 *
 * @param cameraId the camera
 * @param indexed new segments written to the index
 * @param unsettled files skipped because they changed within the settle time (still being written)
 * @param unparseable files whose name does not match the naming pattern
 * @param unreadable files that failed to probe in this scan (each raised {@code segment_unreadable})
 * @param knownUnreadable files skipped because they failed before and have not changed since
 * @param ignored hidden and temporary files ({@code .name}, {@code *.tmp}, {@code *.part})
 * @param changed indexed files that changed on disk and were probed again, their rows replaced
 * @param indexedPaths the paths indexed in this scan
 * @param failure why the scan could not run, if it could not
 */
public record CameraScanReport(
    String cameraId,
    int indexed,
    int unsettled,
    int unparseable,
    int unreadable,
    int knownUnreadable,
    int ignored,
    int changed,
    List<String> indexedPaths,
    Optional<String> failure) {

  /** Validates and freezes. */
  public CameraScanReport {
    Objects.requireNonNull(cameraId, "cameraId");
    indexedPaths = List.copyOf(indexedPaths);
    Objects.requireNonNull(failure, "failure");
  }

  /** A scan that could not run. */
  public static CameraScanReport failed(String cameraId, String reason) {
    return new CameraScanReport(cameraId, 0, 0, 0, 0, 0, 0, 0, List.of(), Optional.of(reason));
  }

  /** Whether the scan ran. */
  public boolean succeeded() {
    return failure.isEmpty();
  }
}
