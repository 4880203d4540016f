package io.heldar.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanDurationTest {
  @Test
  void durationsForPeople() {
    assertThat(HumanDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(HumanDuration.format(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(HumanDuration.format(Duration.ofSeconds(185))).isEqualTo("3m 05s");
    assertThat(HumanDuration.format(Duration.parse("PT2H58M44.123S"))).isEqualTo("2h 58m 44s");
    assertThat(HumanDuration.format(Duration.parse("PT362H3M35S"))).isEqualTo("15d 02h 03m");
    assertThat(HumanDuration.format(Duration.ofSeconds(-5))).isEqualTo("-5s");
  }
}
