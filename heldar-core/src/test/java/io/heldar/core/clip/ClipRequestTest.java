package io.heldar.core.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.model.GapCause;
import io.heldar.core.model.InvalidCameraIdException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClipRequestTest {
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void defaultsAndCopies() {
    ClipRequest r = ClipRequest.of("gate", T0, T0.plusSeconds(1));
    assertThat(r.gaps()).isEqualTo(GapPolicy.SKIP);
    assertThat(r.format()).isEqualTo(ClipFormat.MP4);
    assertThat(r.sourceHashes()).isFalse();
    ClipRequest s =
        r.withGaps(GapPolicy.FAIL).withFormat(ClipFormat.FRAGMENTED_MP4).withSourceHashes();
    assertThat(s)
        .isEqualTo(new ClipRequest(
            "gate", T0, T0.plusSeconds(1), GapPolicy.FAIL, ClipFormat.FRAGMENTED_MP4, true));
  }

  @Test
  void badRequestsAreRefused() {
    assertThatThrownBy(() -> ClipRequest.of("gate", T0, T0))
        .hasMessageContaining("not after its start");
    assertThatThrownBy(() -> ClipRequest.of("../x", T0, T0.plusSeconds(1)))
        .isInstanceOf(InvalidCameraIdException.class);
    assertThatThrownBy(() -> new TimelapseRequest("gate", 1, T0, T0.plusSeconds(1), 0))
        .hasMessageContaining("fps");
  }

  @Test
  void everyGapCauseHasAClipCause() {
    for (GapCause c : GapCause.values()) {
      assertThat(ClipGap.Cause.of(c).jsonName()).isEqualTo(c.dbValue());
    }
    assertThat(ClipGap.Cause.ofJsonName("unreadable")).isEqualTo(ClipGap.Cause.UNREADABLE);
  }

  @Test
  void partFilesSitBesideTheFirst() {
    java.nio.file.Path f = java.nio.file.Path.of("/out/gate.mp4");
    assertThat(Clips.partFile(f, 1)).isEqualTo(f);
    assertThat(Clips.partFile(f, 3)).isEqualTo(java.nio.file.Path.of("/out/gate-3.mp4"));
    assertThat(Clips.partFile(java.nio.file.Path.of("clip"), 2))
        .isEqualTo(java.nio.file.Path.of("clip-2"));
  }
}
