package io.heldar.core.clip;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One playable file of a clip: footage without a break in its format. A clip has one part unless
 * it was split at gaps ({@link GapPolicy#SPLIT}) or the recording's format changed (codec,
 * resolution, codec configuration).
 *
 * @param number 1 for the first part
 * @param file its name (a file name, no directory), or empty when it was not written to a file
 * @param start the wall-clock time of its first frame (the sync sample at or before the request's
 *     start, for the first part)
 * @param end the wall-clock time just after its last frame
 * @param duration how long it plays
 * @param frames its video frames
 * @param videoCodec its video codec ({@code h264}, {@code hevc})
 * @param width its picture width
 * @param height its picture height
 * @param audioCodec its audio codec, if it has sound
 * @param bytes its size, when it was written (a part only counted, not written, has none)
 * @param sha256 its SHA-256 (lower-case hex), when it was written
 */
public record ClipPart(
    int number,
    Optional<String> file,
    Instant start,
    Instant end,
    Duration duration,
    long frames,
    String videoCodec,
    int width,
    int height,
    Optional<String> audioCodec,
    Optional<Long> bytes,
    Optional<String> sha256) {
  /** Checks the fields. */
  public ClipPart {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(videoCodec, "videoCodec");
    Objects.requireNonNull(audioCodec, "audioCodec");
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(sha256, "sha256");
  }
}
