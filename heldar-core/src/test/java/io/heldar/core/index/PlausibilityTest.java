package io.heldar.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.model.MediaInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What a probe may claim of a file: sizes and durations refused, frame rates dropped. */
class PlausibilityTest {
  static final Plausibility RULES = new Plausibility(Duration.ofHours(6));
  static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

  static MediaInfo media(double seconds, int width, int height, double fps) {
    return new MediaInfo(
        Duration.ofMillis(Math.round(seconds * 1000)),
        "mov,mp4,m4a,3gp,3g2,mj2",
        "h264",
        width,
        height,
        OptionalDouble.of(fps),
        OptionalLong.empty(),
        Optional.empty());
  }

  @Test
  void realFootagePasses() {
    assertThat(
            RULES.problem(media(10, 1920, 1080, 25), 2_000_000, T, Optional.of(T.plusSeconds(10))))
        .isEmpty();
    assertThat(RULES.problem(media(10, 16_384, 8_640, 30), 50_000_000, T, Optional.empty()))
        .isEmpty();
  }

  @Test
  void aPictureSizeFromACorruptHeaderIsRefused() {
    assertThat(RULES.problem(media(10, 320, 65_535, 25), 2_000_000, T, Optional.empty()))
        .hasValueSatisfying(p -> assertThat(p).contains("implausible picture size 320x65535"));
    assertThat(RULES.problem(media(10, 47_922, 240, 25), 2_000_000, T, Optional.empty()))
        .isPresent();
  }

  @Test
  void aFrameRateFromACorruptTimescaleIsDroppedAndTheFileKept() {
    MediaInfo fuzzed = media(10, 320, 240, 1_091_416);
    assertThat(RULES.problem(fuzzed, 2_000_000, T, Optional.empty())).isEmpty();
    MediaInfo kept = Plausibility.withoutImplausible(fuzzed);
    assertThat(kept.fps()).isEmpty();
    assertThat(kept.duration()).isEqualTo(fuzzed.duration());
    assertThat(kept.width()).isEqualTo(320);
    MediaInfo real = media(10, 320, 240, 1000);
    assertThat(Plausibility.withoutImplausible(real)).isSameAs(real);
  }

  @Test
  void durationsStillFollowTheirRules() {
    assertThat(RULES.problem(media(7 * 3600, 320, 240, 25), 2_000_000_000L, T, Optional.empty()))
        .hasValueSatisfying(p -> assertThat(p).contains("longer than the maximum"));
    assertThat(RULES.problem(media(3600, 320, 240, 25), 10, T, Optional.empty()))
        .hasValueSatisfying(p -> assertThat(p).contains("bit/s"));
    assertThat(RULES.problem(
            media(600, 320, 240, 25), 2_000_000_000L, T, Optional.of(T.plusSeconds(10))))
        .hasValueSatisfying(p -> assertThat(p).contains("the next file starts"));
  }
}
