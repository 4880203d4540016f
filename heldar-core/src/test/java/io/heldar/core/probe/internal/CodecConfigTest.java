package io.heldar.core.probe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.probe.internal.CodecConfig.PictureSize;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Picture sizes from codec configurations, on configurations x264, x265 and GPAC wrote (taken from
 * files ffmpeg and MP4Box made; the heldar-ffmpeg corpus holds such files whole).
 */
class CodecConfigTest {
  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  /** x264, 1920x1080: coded as 1920x1088, cropped by 8 lines. */
  static final byte[] AVC_1080 =
      hex("01640028ffe1001b67640028acd940780227e5c044000003000400000300c8"
          + "3c60c65801000668ebe3cb22c0fdf8f800");
  /** x264 High, 642x362: odd sizes, cropped on both axes. */
  static final byte[] AVC_642X362 =
      hex("0164001effe1001b6764001eacd940a42fe224c044000003000400000300"
          + "c83c58b65801000668ebe3cb22c0fdf8f800");
  /** GPAC import of a 320x240 stream (the heldar-ffmpeg MP4Box corpus). */
  static final byte[] AVC_GPAC =
      hex("0164000dffe100196764000dacd94141fb011000000300100000030320f142"
          + "996001000668ebe3cb22c0fdf8f800");
  /** x265, 1280x720: VPS, SPS and PPS arrays. */
  static final byte[] HEVC_720 =
      hex("0101600000009000000000005df000fcfdf8f800000f03200001001840010c"
          + "01ffff01600000030090000003000003005d959809210001002b42010101600000030090000003000003005da0"
          + "0280802d165959a4932bc05a02000003000200000300321022000100074401c172b46240");

  @Test
  void h264SizesAreTheCroppedPicture() {
    assertThat(CodecConfig.avc(AVC_1080)).contains(new PictureSize(1920, 1080));
    assertThat(CodecConfig.avc(AVC_642X362)).contains(new PictureSize(642, 362));
    assertThat(CodecConfig.avc(AVC_GPAC)).contains(new PictureSize(320, 240));
  }

  @Test
  void h265SizesComeFromItsSps() {
    assertThat(CodecConfig.hevc(HEVC_720)).contains(new PictureSize(1280, 720));
  }

  @Test
  void aConfigurationCutShortOrEmptyGivesNoSizeAndNoException() {
    for (int cut = 0; cut < AVC_1080.length; cut++) {
      Optional<PictureSize> size = CodecConfig.avc(Arrays.copyOf(AVC_1080, cut));
      assertThat(size)
          .as("cut at %d", cut)
          .satisfiesAnyOf(s -> assertThat(s).isEmpty(), s -> assertThat(s)
              .contains(new PictureSize(1920, 1080)));
    }
    for (int cut = 0; cut < HEVC_720.length; cut++) {
      Optional<PictureSize> size = CodecConfig.hevc(Arrays.copyOf(HEVC_720, cut));
      assertThat(size)
          .as("cut at %d", cut)
          .satisfiesAnyOf(s -> assertThat(s).isEmpty(), s -> assertThat(s)
              .contains(new PictureSize(1280, 720)));
    }
    assertThat(CodecConfig.avc(new byte[0])).isEmpty();
    assertThat(CodecConfig.hevc(new byte[0])).isEmpty();
  }

  @Test
  void flippedBitsNeverThrowAndNeverGiveAnAbsurdSize() {
    for (byte[] config : new byte[][] {AVC_1080, AVC_642X362, HEVC_720}) {
      for (int i = 0; i < config.length * 8; i++) {
        byte[] mutated = config.clone();
        mutated[i / 8] ^= (byte) (1 << (i % 8));
        int bit = i;
        Optional<PictureSize> size =
            config == HEVC_720 ? CodecConfig.hevc(mutated) : CodecConfig.avc(mutated);
        size.ifPresent(s -> assertThat(
                s.width() > 0 && s.height() > 0 && s.width() <= 16_384 && s.height() <= 16_384)
            .as("bit %d gave %s", bit, s)
            .isTrue());
      }
    }
  }
}
