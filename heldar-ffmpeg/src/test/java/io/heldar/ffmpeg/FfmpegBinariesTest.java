package io.heldar.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FfmpegBinariesTest {
  @TempDir
  Path dir;

  @Test
  void extractsTheBundledExecutablesFromTheClasspath() {
    Path probe = FfmpegBinaries.bundled("ffprobe").orElseThrow();
    Path ffmpeg = FfmpegBinaries.bundled("ffmpeg").orElseThrow();
    assertThat(probe).isExecutable();
    assertThat(ffmpeg.getParent()).isEqualTo(probe.getParent());
    assertThat(probe.getParent().resolve("libavformat.so.61")).exists();
    // Extraction is done once: the second call reuses the same directory.
    assertThat(FfmpegBinaries.bundled("ffprobe")).contains(probe);
  }

  @Test
  void anExplicitPathMustBeAnExecutable() throws Exception {
    Path notExecutable = Files.writeString(dir.resolve("ffprobe"), "nope");
    assertThatThrownBy(() -> FfmpegBinaries.locate("ffprobe", Optional.of(notExecutable)))
        .isInstanceOf(BinaryNotFoundException.class)
        .hasMessageContaining(notExecutable.toString());
    assertThatThrownBy(() -> FfmpegBinaries.locate("ffprobe", Optional.of(dir.resolve("absent"))))
        .isInstanceOf(BinaryNotFoundException.class);
  }

  @Test
  void anUnknownProgramIsNotFound() {
    assertThatThrownBy(() -> FfmpegBinaries.locate("no-such-program-heldar", Optional.empty()))
        .isInstanceOf(BinaryNotFoundException.class)
        .hasMessageContaining("PATH");
  }
}
