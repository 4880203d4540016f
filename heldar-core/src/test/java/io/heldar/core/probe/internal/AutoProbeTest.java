package io.heldar.core.probe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.model.MediaInfo;
import io.heldar.core.probe.IncompleteMediaException;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.MediaProbes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The automatic probe's routing: MP4 natively, the rest (and MP4 the native probe does not read)
 * to the fallback, and a native verdict of "incomplete" never second-guessed.
 */
class AutoProbeTest {
  @TempDir
  Path dir;

  final List<Path> fallbackCalls = new ArrayList<>();
  final MediaProbe fallback = file -> {
    fallbackCalls.add(file);
    return new MediaInfo(
        Duration.ofSeconds(7),
        "matroska",
        "vp9",
        320,
        240,
        OptionalDouble.empty(),
        OptionalLong.empty(),
        Optional.empty());
  };
  final MediaProbe auto = MediaProbes.auto(fallback);

  @Test
  void mp4GoesToTheNativeProbeByExtensionOrByItsFirstBox() throws Exception {
    byte[] mp4 = new Mp4Bytes().build();
    assertThat(auto.probe(Files.write(dir.resolve("a.mp4"), mp4)).videoCodec()).isEqualTo("h264");
    assertThat(auto.probe(Files.write(dir.resolve("no-extension"), mp4)).videoCodec())
        .isEqualTo("h264");
    assertThat(MediaProbes.looksLikeMp4(dir.resolve("no-extension"))).isTrue();
    assertThat(fallbackCalls).isEmpty();
  }

  @Test
  void otherContainersAndUnreadMp4GoToTheFallback() throws Exception {
    Path mkv = Files.write(dir.resolve("a.mkv"), new byte[] {0x1a, 0x45, (byte) 0xdf, (byte) 0xa3});
    assertThat(auto.probe(mkv).container()).isEqualTo("matroska");
    Mp4Bytes odd = new Mp4Bytes();
    odd.videoEntry = "zzz1"; // a codec the native probe does not name
    Path unread = Files.write(dir.resolve("odd.mp4"), odd.build());
    auto.probe(unread);
    assertThat(fallbackCalls).containsExactly(mkv, unread);
  }

  @Test
  void anIncompleteMp4IsNotPassedOn() throws Exception {
    byte[] whole = new Mp4Bytes().build();
    Path cut = Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(whole, whole.length - 40));
    assertThatThrownBy(() -> auto.probe(cut)).isInstanceOf(IncompleteMediaException.class);
    assertThat(fallbackCalls).isEmpty();
  }

  @Test
  void aFileTooShortOrUnreadableIsNotMp4ByItsBytes() throws Exception {
    assertThat(MediaProbes.looksLikeMp4(Files.write(dir.resolve("short"), new byte[] {0, 0})))
        .isFalse();
    assertThat(MediaProbes.looksLikeMp4(dir.resolve("absent"))).isFalse();
    assertThat(MediaProbes.looksLikeMp4(dir.resolve("CAPS.MOV"))).isTrue();
  }
}
