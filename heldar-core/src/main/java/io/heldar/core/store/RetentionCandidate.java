package io.heldar.core.store;

import io.heldar.core.model.Segment;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What retention planning reads of a segment: which file, its place in time, its size, whether it
 * is locked and the tier it lives on. Seven columns instead of a whole {@link Segment}'s sixteen:
 * a plan reads one of these per segment it looks at, up to every segment of the store.
 *
 * @param cameraId the camera
 * @param path the segment's path, relative to its tier's root
 * @param start where the footage starts
 * @param end where it ends
 * @param sizeBytes the file's size
 * @param locked whether the segment is locked (never deleted)
 * @param tier the storage tier it was moved to; empty: the recordings root
 */
public record RetentionCandidate(
    String cameraId,
    String path,
    Instant start,
    Instant end,
    long sizeBytes,
    boolean locked,
    Optional<String> tier) {
  /** Validates as {@link Segment} does for these fields. */
  public RetentionCandidate {
    io.heldar.core.model.Camera.requireValidId(cameraId);
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(tier, "tier").ifPresent(Segment::requireTierName);
    io.heldar.core.model.RelativePaths.requireRelative(path);
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException(
          "segment " + path + ": end " + end + " not after start " + start);
    }
    if (sizeBytes <= 0) {
      throw new IllegalArgumentException("segment " + path + ": size must be positive");
    }
  }

  /** The candidate of a whole segment. */
  public static RetentionCandidate of(Segment s) {
    return new RetentionCandidate(
        s.cameraId(), s.path(), s.start(), s.end(), s.sizeBytes(), s.locked(), s.tier());
  }
}
