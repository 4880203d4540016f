package io.heldar.core.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CadenceTest {
  static Duration s(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  @Test
  void aFixedCadenceTicksAtItsPeriodWhateverTheEngineAsks() {
    Cadence every10 = Cadence.every(s(0), s(10));
    assertThat(every10.clamp(Engine.AT_PACE)).isEqualTo(s(10));
    assertThat(every10.clamp(s(1))).isEqualTo(s(10));
    assertThat(every10.clamp(s(100))).isEqualTo(s(10));
    assertThat(every10.clamp(null)).isEqualTo(s(10));
  }

  @Test
  void anAdaptiveCadenceClampsTheEnginesAnswerIntoItsBounds() {
    Cadence c = Cadence.between(s(0), Duration.ofMillis(10), s(1));
    assertThat(c.clamp(Duration.ZERO)).isEqualTo(Duration.ofMillis(10));
    assertThat(c.clamp(Duration.ofMillis(250))).isEqualTo(Duration.ofMillis(250));
    assertThat(c.clamp(s(60))).isEqualTo(s(1));
  }

  @Test
  void failuresDoubleTheLongestDelayUpToTheCap() {
    Cadence c = Cadence.every(s(0), s(10));
    assertThat(c.backoff(1, s(60))).isEqualTo(s(10));
    assertThat(c.backoff(2, s(60))).isEqualTo(s(20));
    assertThat(c.backoff(3, s(60))).isEqualTo(s(40));
    assertThat(c.backoff(4, s(60))).isEqualTo(s(60));
    assertThat(c.backoff(1_000, s(60))).isEqualTo(s(60));
    // A cap below the period is no cap: never faster than the period.
    assertThat(c.backoff(5, s(1))).isEqualTo(s(10));
  }

  @Test
  void anEngineOwnCapReplacesTheRuntimes() {
    Cadence c = Cadence.every(s(0), s(5)).withMaxBackoff(s(5));
    assertThat(c.maxBackoff()).contains(s(5));
    assertThat(c.backoff(10, c.maxBackoff().orElseThrow())).isEqualTo(s(5));
  }

  @Test
  void badBoundsAreRefusedWithTheValues() {
    assertThatThrownBy(() -> Cadence.between(s(0), s(2), s(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT2S");
    assertThatThrownBy(() -> Cadence.every(s(-1), s(1))).hasMessageContaining("initialDelay");
    assertThatThrownBy(() -> Cadence.every(s(0), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cadence.every(s(0), s(1)).withMaxBackoff(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
