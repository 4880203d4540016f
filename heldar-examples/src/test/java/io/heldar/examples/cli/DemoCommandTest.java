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

/** The demo, on the path a machine without a working ffmpeg takes: pure-Java cameras. */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void theDemoRecordsFindsTheOutagesTakesSnapshotsAndWritesAReport() throws Exception {
    IndexCommandTest.Run run = heldar("demo", "--for", "30s", "--pure-java", "--keep", dir.toString());
    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("pure-Java MJPEG", "gap of", "report: " + dir.resolve("report.html").toAbsolutePath());
    String html = Files.readString(dir.resolve("report.html"));
    assertThat(html).contains("<h2>Camera front-door</h2>", "<h2>Camera yard</h2>", "<svg", "<td>missing</td>", "<img src=\"thumbs/");
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      for (String cam : new String[] {"front-door", "yard"}) {
        assertThat(store.segments().count(cam)).as(cam).isGreaterThan(5);
        assertThat(store.gaps().list(cam, Optional.of(GapStatus.OPEN))).as(cam + " outage").isNotEmpty();
        assertThat(store.snapshots().all(cam)).as(cam).hasSizeGreaterThan(3);
        assertThat(store.segments().touching(cam, java.time.Instant.EPOCH, java.time.Instant.now()))
            .allSatisfy(s -> assertThat(s.media().videoCodec()).isEqualTo("mjpeg"));
      }
    }
  }
}
