package io.heldar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.ffmpeg.testing.TestMedia.Spec;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexCommandTest {
  @TempDir Path dir;

  record Run(int status, String out, String err) {}

  static Run heldar(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = HeldarCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void indexesEveryCameraDirectoryOnceAndPrintsASummary() throws Exception {
    Path root = dir.resolve("rec");
    Instant old = Instant.parse("2026-11-21T09:00:00Z");
    for (String name : new String[] {"20261121T100000Z.mp4", "20261121T100002Z.mp4", "20261121T100030Z.mp4"}) {
      TestMedia.touch(TestMedia.make(root.resolve("front-door").resolve(name), Spec.plain()), old);
    }
    TestMedia.touch(TestMedia.make(root.resolve("yard").resolve("20261121T100000Z.mp4"), Spec.plain()), old);
    Files.createDirectories(root.resolve("not a camera"));
    Path db = dir.resolve("heldar.db");

    Run first = heldar("index", "--db", db.toString(), "--root", root.toString(), "--once");
    assertThat(first.status()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("front-door: indexed 3, skipped 0", "open gaps 1", "yard: indexed 1")
        .contains("recording_gap")
        .contains("directory is not a camera (no file in it matches the naming pattern): 1 (not a camera/)");

    Run second = heldar("index", "--db", db.toString(), "--root", root.toString(), "--once", "--camera", "yard");
    assertThat(second.status()).isZero();
    assertThat(second.out()).contains("yard: indexed 0").contains("front-door: indexed 0").contains("total segments 3");
    try (SqliteHeldarStore store = SqliteHeldarStore.open(db)) {
      assertThat(store.cameras().list()).hasSize(2);
    }
  }

  @Test
  void cannotRunGivesOneLineAndStatusTwo() {
    Run missingRoot = heldar("index", "--db", dir.resolve("h.db").toString(), "--root", dir.resolve("nope").toString(), "--once");
    assertThat(missingRoot.status()).isEqualTo(2);
    assertThat(missingRoot.err().strip()).startsWith("heldar index: recordings root").doesNotContain("\n");

    Run badCamera = heldar("index", "--db", dir.resolve("h.db").toString(), "--root", dir.toString(), "--once", "--camera", "../etc");
    assertThat(badCamera.status()).isEqualTo(2);
    assertThat(badCamera.err()).contains("invalid camera name");

    Run badDuration = heldar("index", "--db", dir.resolve("h.db").toString(), "--root", dir.toString(), "--once", "--settle", "soon");
    assertThat(badDuration.status()).isEqualTo(2);
    assertThat(badDuration.err()).contains("not a duration");
  }

  @Test
  void aCameraWhoseScanFailsGivesStatusOne() throws Exception {
    Path root = Files.createDirectories(dir.resolve("rec"));
    Run r = heldar("index", "--db", dir.resolve("h.db").toString(), "--root", root.toString(), "--once", "--camera", "ghost");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).contains("ghost: scan failed:", "does not exist");
  }
}
