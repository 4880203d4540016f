package io.heldar.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.index.SegmentIndexer.VanishGuard;
import org.junit.jupiter.api.Test;

/**
 * When files vanishing at once are the storage's fault rather than the files': the rule that keeps a
 * lost mount from marking an archive missing.
 */
class VanishGuardTest {
  final VanishGuard guard = VanishGuard.DEFAULTS;

  @Test
  void nothingVanishedIsNoDisappearance() {
    assertThat(guard.refusal(0, 0)).isEmpty();
    assertThat(guard.refusal(0, 1_000_000)).isEmpty();
  }

  @Test
  void everyFileOfACameraVanishingIsOneUnlessItHadASingleFile() {
    assertThat(guard.refusal(2, 2)).hasValueSatisfying(r -> assertThat(r).contains("every one"));
    assertThat(guard.refusal(1, 1)).as("a camera's only file deleted by hand").isEmpty();
  }

  @Test
  void aShareAboveTheLimitCountsOnlyOnceMoreThanTenFilesVanished() {
    assertThat(guard.refusal(10, 20))
        .as("10 of 20: too few files for the share")
        .isEmpty();
    assertThat(guard.refusal(11, 50))
        .hasValueSatisfying(r -> assertThat(r).contains("11 of 50", "more than 20 %"));
    assertThat(guard.refusal(11, 56)).as("19.6 %").isEmpty();
  }

  @Test
  void tooManyFilesInOnePassIsOneWhateverTheShare() {
    assertThat(guard.refusal(1_001, 1_000_000))
        .hasValueSatisfying(r -> assertThat(r).contains("1001 files vanished in one pass"));
    assertThat(guard.refusal(1_000, 1_000_000)).isEmpty();
    assertThat(new VanishGuard(0, 1.0).refusal(1, 1_000)).isPresent();
  }

  @Test
  void itsLimitsAreChecked() {
    assertThatThrownBy(() -> new VanishGuard(-1, 0.2)).hasMessageContaining("-1");
    assertThatThrownBy(() -> new VanishGuard(1, 1.5)).hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> new VanishGuard(1, Double.NaN)).hasMessageContaining("NaN");
  }
}
