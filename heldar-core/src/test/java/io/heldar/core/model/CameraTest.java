package io.heldar.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CameraTest {
  @ParameterizedTest
  @ValueSource(strings = {"a", "Z9", "front-door", "cam_01", "0"})
  void acceptsValidIds(String id) {
    assertThat(Camera.of(id, Instant.EPOCH).id()).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "..", ".", "a/b", "a\\b", "-a", "_a", "a b", "a\0b", "cam\n", "é", "a.b"})
  void refusesInvalidIds(String id) {
    assertThatThrownBy(() -> Camera.of(id, Instant.EPOCH))
        .isInstanceOf(InvalidCameraIdException.class)
        .hasMessageContaining("invalid camera id")
        .hasMessageNotContaining("\0");
  }

  @org.junit.jupiter.api.Test
  void refusesSixtyFiveCharactersButTakesSixtyFour() {
    assertThat(Camera.isValidId("a".repeat(64))).isTrue();
    assertThatThrownBy(() -> Camera.requireValidId("a".repeat(65)))
        .isInstanceOf(InvalidCameraIdException.class)
        .hasMessageContaining("65 chars");
    assertThatThrownBy(() -> Camera.requireValidId(null))
        .isInstanceOf(InvalidCameraIdException.class);
  }

  @org.junit.jupiter.api.Test
  void segmentPathsMustStayInsideTheCameraDirectory() {
    assertThatThrownBy(() -> RelativePaths.requireUnder("cam", "cam/../other/x.mp4"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RelativePaths.requireUnder("cam", "other/x.mp4"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RelativePaths.requireUnder("cam", "cam/"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RelativePaths.requireUnder("cam", "cam//x.mp4"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(RelativePaths.requireUnder("cam", "cam/2026/11/x.mp4"))
        .isEqualTo("cam/2026/11/x.mp4");
  }
}
