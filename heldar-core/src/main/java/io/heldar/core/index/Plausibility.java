package io.heldar.core.index;

import io.heldar.core.internal.Checks;
import io.heldar.core.model.MediaInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Refuses probe results a file cannot hold, whichever probe produced them. A refused file is
 * recorded as unreadable with the reason; it never becomes a row that hides a real gap.
 *
 * <ul>
 *   <li>a duration under {@link #MIN_DURATION} (the index stores milliseconds: a shorter segment
 *       would have no extent);
 *   <li>a duration over the configured maximum ({@link IndexingOptions#DEFAULT_MAX_SEGMENT_DURATION});
 *   <li>a duration far longer than the file's bytes allow: less than {@link #MIN_BIT_RATE_BPS}
 *       bits per second of footage, which no real recording reaches;
 *   <li>a duration far longer than the spacing to the next file's name allows: more than twice
 *       the spacing plus {@link #NEIGHBOUR_SLACK};
 *   <li>a picture wider or taller than {@link #MAX_DIMENSION} pixels (no camera records that: a
 *       corrupt header).
 * </ul>
 *
 * <p>A frame rate above {@link #MAX_FPS} is not refused but dropped ({@link #withoutImplausible}):
 * the file is footage, the rate a corrupt timescale, and the row says "unknown" rather than a
 * number no camera makes.
 *
 * @param maxDuration the longest duration accepted
 */
public record Plausibility(Duration maxDuration) {
  /** Shortest duration indexed: one millisecond. */
  public static final Duration MIN_DURATION = Duration.ofMillis(1);
  /** Lowest overall bit rate accepted: 1,000 bits per second. */
  public static final long MIN_BIT_RATE_BPS = 1_000;
  /** The widest or tallest picture accepted: 16,384 pixels (16K). */
  public static final int MAX_DIMENSION = 16_384;
  /** The highest frame rate kept: 1,000 frames per second (high-speed cameras stay below). */
  public static final double MAX_FPS = 1_000;
  /** Slack added to twice the spacing of neighbouring file names: one minute. */
  public static final Duration NEIGHBOUR_SLACK = Duration.ofMinutes(1);

  /** Validates. */
  public Plausibility {
    Checks.positive("max segment duration", maxDuration);
  }

  /**
   * Why {@code media} cannot describe a file of {@code sizeBytes} starting at {@code start}, when
   * the next file of the camera starts at {@code nextStart}; empty when it is plausible.
   */
  public Optional<String> problem(
      MediaInfo media, long sizeBytes, Instant start, Optional<Instant> nextStart) {
    if (media.width() > MAX_DIMENSION || media.height() > MAX_DIMENSION) {
      return Optional.of("implausible picture size " + media.width() + "x" + media.height()
          + ": more than " + MAX_DIMENSION + " pixels");
    }
    Duration d = media.duration();
    if (d.compareTo(MIN_DURATION) < 0) {
      return Optional.of("implausible duration " + d.toNanos() / 1e6 + " ms: shorter than "
          + MIN_DURATION.toMillis() + " ms");
    }
    if (d.compareTo(maxDuration) > 0) {
      return Optional.of("implausible duration " + d + ": longer than the maximum segment duration "
          + maxDuration);
    }
    double bps = sizeBytes * 8.0 / (d.toNanos() / 1e9);
    if (bps < MIN_BIT_RATE_BPS) {
      return Optional.of(String.format(
          java.util.Locale.ROOT,
          "implausible duration %s: %d bytes would be %.1f bit/s, below %d bit/s",
          d,
          sizeBytes,
          bps,
          MIN_BIT_RATE_BPS));
    }
    if (nextStart.isPresent() && nextStart.get().isAfter(start)) {
      Duration spacing = Duration.between(start, nextStart.get());
      if (d.compareTo(spacing.multipliedBy(2).plus(NEIGHBOUR_SLACK)) > 0) {
        return Optional.of(
            "implausible duration " + d + ": the next file starts " + spacing + " after this one");
      }
    }
    return Optional.empty();
  }

  /** {@code media} with a frame rate above {@link #MAX_FPS} (or not above 0) dropped. */
  public static MediaInfo withoutImplausible(MediaInfo media) {
    if (media.fps().isPresent()
        && (media.fps().getAsDouble() > MAX_FPS || !(media.fps().getAsDouble() > 0))) {
      return new MediaInfo(
          media.duration(),
          media.container(),
          media.videoCodec(),
          media.width(),
          media.height(),
          java.util.OptionalDouble.empty(),
          media.bitRateBps(),
          media.audioCodec());
    }
    return media;
  }
}
