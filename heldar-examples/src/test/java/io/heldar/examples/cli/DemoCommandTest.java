package io.heldar.examples.cli;

import static io.heldar.examples.cli.IndexCommandTest.heldar;
import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.model.GapStatus;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo on every path a newcomer's machine may take: pure-Java cameras, the bundled ffmpeg, an
 * older ffmpeg that rejects options it does not know, and an ffmpeg that dies at once.
 */
class DemoCommandTest {
  @TempDir
  Path dir;

  @Test
  void theDemoRecordsFindsTheOutagesTakesSnapshotsAndWritesAReport() throws Exception {
    IndexCommandTest.Run run =
        heldar("demo", "--for", "30s", "--pure-java", "--keep", dir.toString());
    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "pure-Java MJPEG", "gap of", "report: " + dir.resolve("report.html").toAbsolutePath());
    String html = Files.readString(dir.resolve("report.html"));
    assertThat(html)
        .contains(
            "<h2>Camera front-door</h2>",
            "<h2>Camera yard</h2>",
            "<svg",
            "<td>missing</td>",
            "<img src=\"thumbs/");
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      for (String cam : new String[] {"front-door", "yard"}) {
        assertThat(store.segments().count(cam)).as(cam).isGreaterThan(5);
        assertThat(store.gaps().list(cam, Optional.of(GapStatus.OPEN)))
            .as(cam + " outage")
            .isNotEmpty();
        assertThat(store.snapshots().all(cam)).as(cam).hasSizeGreaterThan(3);
        assertThat(
                store
                    .segments()
                    .touching(cam, java.time.Instant.EPOCH, java.time.Instant.now())
                    .stream()
                    .map(sp -> store.segments().findByPath(sp.path()).orElseThrow())
                    .toList())
            .allSatisfy(s -> assertThat(s.media().videoCodec()).isEqualTo("mjpeg"));
      }
    }
  }

  /** A shell script in front of the real (bundled) ffmpeg. */
  Path wrapper(String name, String body) throws Exception {
    Path real = io.heldar.ffmpeg.FfmpegBinaries.ffmpeg();
    Path script = dir.resolve(name);
    Files.writeString(script, "#!/bin/sh\n" + body + "\nexec '" + real + "' \"$@\"\n");
    Files.setPosixFilePermissions(
        script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  void assertRecordedAndReported(IndexCommandTest.Run run, Path keep) throws Exception {
    assertThat(run.status()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("cameras record with").doesNotContain("pure-Java MJPEG");
    try (SqliteHeldarStore store = SqliteHeldarStore.open(keep.resolve("heldar.db"))) {
      for (String cam : new String[] {"front-door", "yard"}) {
        long n = store.segments().count(cam);
        assertThat(n).as(cam).isGreaterThan(3);
        assertThat(Files.readString(keep.resolve("report.html")))
            .contains(n + " segment(s) of " + cam);
      }
    }
  }

  @Test
  void withTheBundledFfmpegTheCamerasRecordAndTheReportSaysWhatWasMeasured() throws Exception {
    Path keep = dir.resolve("bundled");
    assertRecordedAndReported(heldar("demo", "--for", "20s", "--keep", keep.toString()), keep);
  }

  @Test
  void anFfmpegWithoutNewerOptionsStillRecords() throws Exception {
    Path old = wrapper(
        "ffmpeg-5.1",
        """
        for a in "$@"; do
          case "$a" in -readrate_initial_burst) echo "Unrecognized option 'readrate_initial_burst'." >&2; exit 8;; esac
        done""");
    Path keep = dir.resolve("old");
    IndexCommandTest.Run run =
        heldar("demo", "--for", "20s", "--ffmpeg", old.toString(), "--keep", keep.toString());
    assertRecordedAndReported(run, keep);
    assertThat(run.out()).contains("it has no -readrate_initial_burst, so it is not used");
  }

  @Test
  void aRecorderThatDiesIsReportedAtOnceWithItsExitCodeAndMessages() throws Exception {
    Path dying = wrapper(
        "ffmpeg-dying",
        """
        case "$*" in *segment*) echo "[segment @ 0x1] Could not write header: Permission denied" >&2; exit 1;; esac""");
    long t0 = System.nanoTime();
    IndexCommandTest.Run run = heldar(
        "demo",
        "--for",
        "60s",
        "--ffmpeg",
        dying.toString(),
        "--keep",
        dir.resolve("dying").toString());
    assertThat(run.status()).as(run.out()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "stopped recording", "exited with code 1", "Could not write header: Permission denied");
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0))
        .as("reported at once, not after the run")
        .isLessThan(java.time.Duration.ofSeconds(20));
    assertThat(dir.resolve("dying/report.html")).doesNotExist();
  }
}
