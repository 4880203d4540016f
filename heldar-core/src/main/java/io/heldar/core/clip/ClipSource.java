package io.heldar.core.clip;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A source segment and the footage the clip took from it.
 *
 * @param path the segment's path under the recordings root, as indexed
 * @param sizeBytes the file's size when it was read
 * @param sha256 the file's SHA-256 (lower-case hex); empty when the clip was only sized
 * @param part the part (1-based) its footage is in
 * @param start the wall-clock time of the first frame taken
 * @param end the wall-clock time just after the last frame taken
 * @param clipOffset where that first frame plays in its part
 * @param frames the video frames taken
 */
public record ClipSource(
    String path,
    long sizeBytes,
    Optional<String> sha256,
    int part,
    Instant start,
    Instant end,
    Duration clipOffset,
    long frames) {
  /** Checks the fields. */
  public ClipSource {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(clipOffset, "clipOffset");
  }

  /** How much footage was taken. */
  public Duration length() {
    return Duration.between(start, end);
  }
}
