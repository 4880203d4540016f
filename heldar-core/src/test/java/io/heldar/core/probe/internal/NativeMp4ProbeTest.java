package io.heldar.core.probe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.model.MediaInfo;
import io.heldar.core.probe.IncompleteMediaException;
import io.heldar.core.probe.ProbeException;
import io.heldar.core.probe.UnsupportedMediaException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native probe on files built box by box: what it reads, and a typed verdict — never a wrong
 * duration — for what it cannot.
 */
class NativeMp4ProbeTest {
  final NativeMp4Probe probe = new NativeMp4Probe();

  @TempDir
  Path dir;

  Path write(byte[] bytes) throws Exception {
    return Files.write(dir.resolve("f" + System.nanoTime() + ".mp4"), bytes);
  }

  MediaInfo probe(Mp4Bytes m) throws Exception {
    return probe.probe(write(m.build()));
  }

  @Test
  void aPlainMovieGivesItsDurationCodecSizeAndRate() throws Exception {
    MediaInfo info = probe(new Mp4Bytes());
    assertThat(info.duration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(info.videoCodec()).isEqualTo("h264");
    assertThat(info.width()).isEqualTo(640);
    assertThat(info.height()).isEqualTo(480);
    assertThat(info.fps().orElseThrow()).isEqualTo(25.0);
    assertThat(info.audioCodec()).isEmpty();
    assertThat(info.container()).isEqualTo(NativeMp4Probe.CONTAINER);
  }

  @Test
  void anAudioTrackIsNamedAndTheDurationIsTheLongerTrack() throws Exception {
    Mp4Bytes m = new Mp4Bytes();
    m.audio = true;
    MediaInfo info = probe(m);
    assertThat(info.audioCodec()).isEqualTo(Optional.of("pcm_s16le"));
    assertThat(info.duration()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void anEditListCutsThePresentation() throws Exception {
    Mp4Bytes m = new Mp4Bytes();
    m.edits = new long[][] {{12_800 * 4, 0}}; // the first 4 s of the media
    assertThat(probe(m).duration()).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void otherCodecsAreNamedAsFfprobeNamesThem() throws Exception {
    Mp4Bytes hevc = new Mp4Bytes();
    hevc.videoEntry = "hvc1";
    assertThat(probe(hevc).videoCodec()).isEqualTo("hevc");
    Mp4Bytes av1 = new Mp4Bytes();
    av1.videoEntry = "av01";
    assertThat(probe(av1).videoCodec()).isEqualTo("av1");
  }

  @Test
  void aFileCutInsideItsMediaIsIncompleteNotShorter() throws Exception {
    Mp4Bytes m = new Mp4Bytes();
    m.audio = false;
    byte[] whole = m.build();
    // cut where the moov (last) is: the movie header is gone
    Path cut = write(Arrays.copyOf(whole, whole.length - 40));
    assertThatThrownBy(() -> probe.probe(cut)).isInstanceOf(IncompleteMediaException.class);
  }

  @Test
  void aFileThatIsNotIsoBmffIsUnsupportedSoAnotherProbeMayTryIt() throws Exception {
    Path mkv = write(new byte[] {0x1a, 0x45, (byte) 0xdf, (byte) 0xa3, 1, 2, 3, 4, 5, 6, 7, 8});
    assertThatThrownBy(() -> probe.probe(mkv))
        .isInstanceOf(UnsupportedMediaException.class)
        .hasMessageContaining("not an ISO BMFF file");
    Mp4Bytes unknown = new Mp4Bytes();
    unknown.videoEntry = "zzz1";
    Path f = write(unknown.build());
    assertThatThrownBy(() -> probe.probe(f)).isInstanceOf(UnsupportedMediaException.class);
  }

  @Test
  void aSinglePictureIsNotFootage() throws Exception {
    Mp4Bytes cover = new Mp4Bytes();
    cover.videoEntry = "jpeg";
    cover.frames = 1;
    Path f = write(cover.build());
    assertThatThrownBy(() -> probe.probe(f))
        .isInstanceOf(UnsupportedMediaException.class)
        .hasMessageContaining("still picture");
    Mp4Bytes oneFrame = new Mp4Bytes();
    oneFrame.frames = 1; // one H.264 frame is a (short) segment
    assertThat(probe(oneFrame).duration()).isEqualTo(Duration.ofMillis(40));
  }

  @Test
  void tablesThatContradictThemselvesAreMalformedWithTheReason() throws Exception {
    Mp4Bytes badIndex = new Mp4Bytes();
    badIndex.description = 2; // of one description
    Path f = write(badIndex.build());
    assertThatThrownBy(() -> probe.probe(f))
        .isInstanceOf(ProbeException.class)
        .isNotInstanceOf(UnsupportedMediaException.class)
        .hasMessageContaining("sample description 2 of 1");

    Mp4Bytes greedy = new Mp4Bytes();
    greedy.claimedSizes = 1_000_000_000L; // fixed-size samples: more bytes than the mdat holds
    Path g = write(greedy.build());
    assertThatThrownBy(() -> probe.probe(g)).isInstanceOf(ProbeException.class);
  }

  @Test
  void whatIsNotARegularFileWithBytesIsRefusedByName() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.mp4"));
    assertThatThrownBy(() -> probe.probe(empty)).hasMessageContaining("empty file");
    Path link = Files.createSymbolicLink(dir.resolve("link.mp4"), write(new Mp4Bytes().build()));
    assertThatThrownBy(() -> probe.probe(link)).hasMessageContaining("not a regular file");
    assertThatThrownBy(() -> probe.probe(dir)).hasMessageContaining("not a regular file");
  }
}
