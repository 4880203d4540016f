package io.heldar.core.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What a probe learned about one media file. Codec names follow ffprobe's ({@code h264},
 * {@code hevc}, {@code mjpeg}, {@code av1}, …) whichever probe produced them.
 *
 * @param duration playable duration, strictly positive and finite
 * @param container container format name (for example {@code mov,mp4,m4a,3gp,3g2,mj2} or {@code mp4})
 * @param videoCodec video codec name
 * @param width video width in pixels
 * @param height video height in pixels
 * @param fps average frame rate, when known
 * @param bitRateBps overall bit rate in bits per second, when known
 * @param audioCodec audio codec name, when the file has an audio stream
 */
public record MediaInfo(
    Duration duration,
    String container,
    String videoCodec,
    int width,
    int height,
    OptionalDouble fps,
    OptionalLong bitRateBps,
    Optional<String> audioCodec) {

  /** Validates every component. */
  public MediaInfo {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(videoCodec, "videoCodec");
    Objects.requireNonNull(fps, "fps");
    Objects.requireNonNull(bitRateBps, "bitRateBps");
    Objects.requireNonNull(audioCodec, "audioCodec");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive: " + duration);
    }
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("dimensions must be positive: " + width + "x" + height);
    }
    if (fps.isPresent() && !(Double.isFinite(fps.getAsDouble()) && fps.getAsDouble() > 0)) {
      throw new IllegalArgumentException("fps must be positive and finite: " + fps);
    }
    if (bitRateBps.isPresent() && bitRateBps.getAsLong() <= 0) {
      throw new IllegalArgumentException("bit rate must be positive: " + bitRateBps);
    }
  }

  /** Duration in (fractional) seconds. */
  public double durationSeconds() {
    return duration.toNanos() / 1e9;
  }

  /**
   * Whether {@code codec} (an ffprobe codec name) stores pictures rather than video: a one-frame
   * track of one is cover art or a thumbnail, a one-frame track of a video codec is footage.
   */
  public static boolean isPictureCodec(String codec) {
    return switch (codec) {
      case "mjpeg", "png", "bmp", "gif", "tiff", "webp", "jpeg2000", "jpegls" -> true;
      default -> false;
    };
  }
}
