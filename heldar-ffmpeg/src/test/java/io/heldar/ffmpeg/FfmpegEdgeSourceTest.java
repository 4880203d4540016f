package io.heldar.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.heal.EdgeFetch;
import io.heldar.core.heal.EdgeSource;
import io.heldar.core.model.Camera;
import io.heldar.core.probe.MediaProbes;
import io.heldar.ffmpeg.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ffmpeg edge adapter on real inputs: a range copied out of a camera's footage (a local file
 * stands in for the RTSP replay stream), footage that is not there, an input that never answers
 * (timed out, ffmpeg killed), a refused RTSP connection.
 */
class FfmpegEdgeSourceTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  @TempDir
  Path dir;

  private EdgeSource.Request request(String camera, Duration timeout) {
    return new EdgeSource.Request(
        Camera.of(camera, T0), T0, T0.plusSeconds(10), timeout, 100L << 20, 0);
  }

  @Test
  void aRangeIsCopiedOutAsAnMp4() throws Exception {
    TestMedia.make(dir.resolve("gate.mp4"), TestMedia.Spec.plain().seconds(30));
    FfmpegEdgeSource edge = FfmpegEdgeSource.of("file:" + dir + "/{camera}.mp4");
    Path sink = Files.createFile(dir.resolve("sink.mp4"));

    EdgeFetch r = edge.fetch(request("gate", Duration.ofSeconds(30)), sink);

    assertThat(r).isInstanceOf(EdgeFetch.Written.class);
    double seconds = MediaProbes.nativeMp4().probe(sink).duration().toMillis() / 1000.0;
    assertThat(seconds).isBetween(9.0, 11.0);
  }

  @Test
  void missingFootageIsNoFootageAndRefusedOrSilentInputsAreUnreachable() throws Exception {
    Path sink = Files.createFile(dir.resolve("sink.mp4"));
    EdgeFetch none = FfmpegEdgeSource.of("file:" + dir + "/{camera}.mp4")
        .fetch(request("nope", Duration.ofSeconds(30)), sink);
    assertThat(none).isInstanceOf(EdgeFetch.NoFootage.class);

    EdgeFetch refused = FfmpegEdgeSource.of("rtsp://127.0.0.1:1/{camera}?starttime={start}")
        .fetch(request("gate", Duration.ofSeconds(30)), sink);
    assertThat(refused).isInstanceOf(EdgeFetch.Unreachable.class);

    // An input that never answers: a FIFO nobody writes. The timeout ends ffmpeg and its children.
    Path fifo = dir.resolve("silent.mp4");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mk.waitFor()).isZero();
    long t0 = System.nanoTime();
    EdgeFetch silent = FfmpegEdgeSource.of("file:" + dir + "/{camera}.mp4")
        .fetch(request("silent", Duration.ofSeconds(1)), sink);
    assertThat(silent).isInstanceOf(EdgeFetch.Unreachable.class);
    assertThat(((EdgeFetch.Unreachable) silent).reason()).contains("within");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(ProcessHandle.allProcesses()
            .filter(ProcessHandle::isAlive)
            .filter(h -> h.info().commandLine().orElse("").contains(fifo.toString())))
        .isEmpty();
  }
}
