package io.heldar.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTextTest {
  @Test
  void plainNamesPassUnchanged() {
    assertThat(PrintableText.of("cam-1/20261206T080000Z.mp4"))
        .isEqualTo("cam-1/20261206T080000Z.mp4");
    assertThat(PrintableText.of("Kamera Süd – Einfahrt")).isEqualTo("Kamera Süd – Einfahrt");
    assertThat(PrintableText.of(null)).isEqualTo("null");
  }

  @Test
  void aNameCannotForgeALogLineOrHideWhatItIs() {
    String forged = "a.mp4\nERROR io.heldar.FAKE all footage deleted";
    assertThat(PrintableText.of(forged))
        .doesNotContain("\n")
        .isEqualTo("a.mp4\\nERROR io.heldar.FAKE all footage deleted");
    assertThat(PrintableText.of("x\r\ty")).isEqualTo("x\\r\\ty");
    // a right-to-left override would show "gepj.mp4" as "mp4.jpeg"
    assertThat(PrintableText.of("evil\u202egepj.mp4")).isEqualTo("evil\\u202egepj.mp4");
    assertThat(PrintableText.of("bell\u0007")).isEqualTo("bell\\u0007");
  }

  @Test
  void anEscapeInTheNameItselfCannotPassForOne() {
    assertThat(PrintableText.of("a\\nb")).isEqualTo("a\\\\nb");
    assertThat(PrintableText.of("a\\nb")).isNotEqualTo(PrintableText.of("a\nb"));
  }
}
