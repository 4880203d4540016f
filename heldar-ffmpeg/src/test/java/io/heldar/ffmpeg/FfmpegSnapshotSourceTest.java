package io.heldar.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.model.Camera;
import io.heldar.core.snapshot.Jpeg;
import io.heldar.core.snapshot.SnapshotCaptureException;
import io.heldar.ffmpeg.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FfmpegSnapshotSourceTest {
  @TempDir
  Path dir;

  @Test
  void grabsARealJpegFromAVideoFile() {
    Path video = TestMedia.make(dir.resolve("cam source.mp4"), TestMedia.Spec.plain());
    FfmpegSnapshotSource source = FfmpegSnapshotSource.onPath().allowingFiles();
    byte[] jpeg = source.capture(
        Camera.of("cam", Instant.EPOCH).withSourceUrl(video.toString()), Duration.ofSeconds(20));
    assertThat(Jpeg.isComplete(jpeg)).isTrue();
    assertThat(jpeg.length).isGreaterThan(1000);
    byte[] viaUrl = source.capture(
        Camera.of("cam", Instant.EPOCH).withSourceUrl(video.toUri().toString()),
        Duration.ofSeconds(20));
    assertThat(Jpeg.isComplete(viaUrl)).isTrue();
  }

  @Test
  void localFilesAreNotCapturedUnlessAllowed() {
    Path video = TestMedia.make(dir.resolve("secret.mp4"), TestMedia.Spec.plain());
    FfmpegSnapshotSource source = FfmpegSnapshotSource.onPath();
    for (String url : new String[] {
      video.toString(), video.toUri().toString(), "concat:" + video, "subfile:" + video
    }) {
      assertThatThrownBy(() -> source.capture(
              Camera.of("cam", Instant.EPOCH).withSourceUrl(url), Duration.ofSeconds(10)))
          .as(url)
          .isInstanceOf(SnapshotCaptureException.class)
          .hasMessageMatching(
              "(?s).*(local file sources are disabled|unsupported source scheme).*");
    }
  }

  @Test
  void aMissingFileOrAnUnreachableStreamFailsClearly() {
    FfmpegSnapshotSource source = FfmpegSnapshotSource.onPath().allowingFiles();
    assertThatThrownBy(() -> source.capture(
            Camera.of("cam", Instant.EPOCH)
                .withSourceUrl(dir.resolve("none.mp4").toString()),
            Duration.ofSeconds(5)))
        .isInstanceOf(SnapshotCaptureException.class)
        .hasMessageContaining("no such file");
    assertThatThrownBy(() -> source.capture(
            Camera.of("cam", Instant.EPOCH).withSourceUrl("rtsp://user:pw@127.0.0.1:1/live"),
            Duration.ofSeconds(10)))
        .isInstanceOf(SnapshotCaptureException.class)
        .hasMessageContaining("cam")
        .hasMessageNotContaining("pw@");
  }

  @Test
  void aHangingFfmpegIsKilledAtTheTimeout() throws Exception {
    Path fake = dir.resolve("ffmpeg");
    Files.writeString(fake, "#!/bin/sh\nsleep 3600\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    FfmpegSnapshotSource source = FfmpegSnapshotSource.withBinary(fake);
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> source.capture(
            Camera.of("cam", Instant.EPOCH).withSourceUrl("http://127.0.0.1:1/x"),
            Duration.ofMillis(500)))
        .isInstanceOf(SnapshotCaptureException.class)
        .satisfies(e -> assertThat(((SnapshotCaptureException) e).timedOut()).isTrue());
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
  }
}
