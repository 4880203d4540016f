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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** heldar index; also the helper that runs the CLI in-process for the other command tests. */
public class IndexCommandTest {
  @TempDir
  Path dir;

  /** A run of the command line: its status and what it printed. */
  public record Run(int status, String out, String err) {}

  /** Runs {@code heldar args} in this JVM. */
  public static Run heldar(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = HeldarCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(status, out.toString(), err.toString());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sqlite", "postgresql"})
  void indexesEveryCameraDirectoryOnceAndPrintsASummary(String kind) throws Exception {
    Path root = dir.resolve("rec");
    Instant old = Instant.parse("2026-11-21T09:00:00Z");
    for (String name :
        new String[] {"20261121T100000Z.mp4", "20261121T100002Z.mp4", "20261121T100030Z.mp4"}) {
      TestMedia.touch(TestMedia.make(root.resolve("front-door").resolve(name), Spec.plain()), old);
    }
    TestMedia.touch(
        TestMedia.make(root.resolve("yard").resolve("20261121T100000Z.mp4"), Spec.plain()), old);
    Files.createDirectories(root.resolve("not a camera"));
    String db = TimelineAndRetentionCommandTest.database(kind, dir);

    Run first = heldar("index", "--db", db, "--root", root.toString(), "--once");
    assertThat(first.status()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("front-door: indexed 3, skipped 0", "open gaps 1", "yard: indexed 1")
        .contains("recording_gap")
        .contains(
            "directory is not a camera (no file in it matches the naming pattern): 1 (not a camera/)");

    Run second =
        heldar("index", "--db", db, "--root", root.toString(), "--once", "--camera", "yard");
    assertThat(second.status()).isZero();
    assertThat(second.out())
        .contains("yard: indexed 0")
        .contains("front-door: indexed 0")
        .contains("total segments 3");
    try (var store = io.heldar.store.HeldarStores.open(db)) {
      assertThat(store.cameras().list()).hasSize(2);
    }
  }

  @Test
  void aFolderThatCannotBeACameraFailsOnlyItself() throws Exception {
    Path root = dir.resolve("rec");
    Instant old = Instant.parse("2026-11-21T09:00:00Z");
    for (String camera : new String[] {"good", "back\\slash", "new\nline", "also-good"}) {
      TestMedia.touch(
          TestMedia.make(root.resolve(camera).resolve("20261121T100000Z.mp4"), Spec.plain()), old);
    }
    String db = dir.resolve("h.db").toString();
    Run run = heldar("index", "--db", db, "--root", root.toString(), "--once");
    assertThat(run.status()).as("a rejected name is reported with status 1").isEqualTo(1);
    assertThat(run.out())
        .contains("good: indexed 1", "also-good: indexed 1")
        .contains("camera_name_rejected")
        .contains("back\\\\slash")
        .contains("new\\nline")
        .doesNotContain("new\nline");
    assertThat(run.out() + run.err()).doesNotContain("Exception").doesNotContain("java.");
    try (var store = io.heldar.store.HeldarStores.open(db)) {
      assertThat(store.cameras().list())
          .extracting(io.heldar.core.model.Camera::id)
          .containsExactly("also-good", "good");
      assertThat(store
              .events()
              .recent(
                  java.util.Optional.empty(), java.util.Optional.of("camera_name_rejected"), 100))
          .hasSize(2);
    }
    Run json = heldar("index", "--db", db, "--root", root.toString(), "--once", "--format", "json");
    assertThat(json.out()).contains("\"unusable_camera_name\"");
  }

  @Test
  void aDatabaseThatCannotBeWrittenFailsAtOnceWithTheReasonWhateverTheDiskHolds() throws Exception {
    Path root = dir.resolve("rec");
    TestMedia.touch(
        TestMedia.make(root.resolve("gate").resolve("20261121T100000Z.mp4"), Spec.plain()),
        Instant.parse("2026-11-21T09:00:00Z"));
    String admin = io.heldar.store.testing.TestPostgres.freshUrl();
    assertThat(
            heldar("index", "--db", admin, "--root", root.toString(), "--once").status())
        .isZero();
    // A role whose transactions are read-only (as on a standby, or a role granted SELECT only):
    // nothing new on disk, so nothing would be written, and it still fails at once.
    io.heldar.store.testing.CutOffRole role =
        io.heldar.store.testing.CutOffRole.create(admin, "readonly");
    String name = role.url().replaceFirst("^postgresql://([^@:]+)[@:].*$", "$1");
    try (java.sql.Connection c =
            io.heldar.store.postgres.PostgresLocation.parse(admin).connect();
        java.sql.Statement st = c.createStatement()) {
      st.execute("ALTER ROLE " + name + " SET default_transaction_read_only = on");
    }
    Run readOnly = heldar("index", "--db", role.url(), "--root", root.toString(), "--once");
    assertThat(readOnly.status()).as(readOnly.out() + readOnly.err()).isEqualTo(2);
    assertThat(readOnly.err()).contains("read-only transaction").doesNotContain("Exception");
    // the read-only commands still read it
    Run timeline =
        heldar("timeline", "--db", role.url(), "--camera", "gate", "--from", "2026-11-21");
    assertThat(timeline.status()).as(timeline.err()).isZero();
  }

  @Test
  void cannotRunGivesOneLineAndStatusTwo() {
    Run missingRoot = heldar(
        "index",
        "--db",
        dir.resolve("h.db").toString(),
        "--root",
        dir.resolve("nope").toString(),
        "--once");
    assertThat(missingRoot.status()).isEqualTo(2);
    assertThat(missingRoot.err().strip())
        .startsWith("heldar index: recordings root")
        .doesNotContain("\n");

    Run badCamera = heldar(
        "index",
        "--db",
        dir.resolve("h.db").toString(),
        "--root",
        dir.toString(),
        "--once",
        "--camera",
        "../etc");
    assertThat(badCamera.status()).isEqualTo(2);
    assertThat(badCamera.err()).contains("invalid camera name");

    Run badDuration = heldar(
        "index",
        "--db",
        dir.resolve("h.db").toString(),
        "--root",
        dir.toString(),
        "--once",
        "--settle",
        "soon");
    assertThat(badDuration.status()).isEqualTo(2);
    assertThat(badDuration.err()).contains("not a duration");
    Run noServer = heldar(
        "timeline", "--db", "postgresql://heldar:secret@127.0.0.1:1/heldar", "--camera", "yard");
    assertThat(noServer.status()).isEqualTo(2);
    assertThat(noServer.err())
        .startsWith(
            "heldar timeline: cannot open PostgreSQL postgresql://heldar@127.0.0.1:1/heldar: ")
        .doesNotContain("secret");
    assertThat(noServer.err().strip().lines()).hasSize(1);
  }

  @Test
  void aScanThatIgnoredEveryFileGivesStatusOneAndSaysWhy() throws Exception {
    Path root = dir.resolve("rec");
    TestMedia.touch(
        TestMedia.make(root.resolve("gate").resolve("20261121T100000Z.mp4"), Spec.plain()),
        Instant.parse("2026-11-21T09:00:00Z"));
    String db = dir.resolve("h.db").toString();
    Run wrong =
        heldar("index", "--db", db, "--root", root.toString(), "--once", "--naming", "frigate");
    assertThat(wrong.status()).isEqualTo(1);
    assertThat(wrong.err())
        .contains("every one of the 1 file(s) found was ignored", "check --naming (frigate)");
    Run right = heldar("index", "--db", db, "--root", root.toString(), "--once");
    assertThat(right.status()).as(right.err()).isZero();
  }

  @Test
  void aCameraWhoseScanFailsGivesStatusOne() throws Exception {
    Path root = Files.createDirectories(dir.resolve("rec"));
    Run r = heldar(
        "index",
        "--db",
        dir.resolve("h.db").toString(),
        "--root",
        root.toString(),
        "--once",
        "--camera",
        "ghost");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).contains("ghost: scan failed:", "does not exist");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sqlite", "postgresql"})
  void jsonOutputHasOneFixedShapeAndTextUsesHumanDurations(String kind) throws Exception {
    Path root = dir.resolve("rec");
    Instant old = Instant.parse("2026-11-21T09:00:00Z");
    for (String name : new String[] {"20261121T100000Z.mp4", "20261121T100030Z.mp4"}) {
      TestMedia.touch(TestMedia.make(root.resolve("gate").resolve(name), Spec.plain()), old);
    }
    Files.writeString(root.resolve("gate/notes.txt"), "x");
    String db = TimelineAndRetentionCommandTest.database(kind, dir);
    Run index =
        heldar("index", "--db", db, "--root", root.toString(), "--once", "--format", "json");
    assertThat(index.status()).as(index.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode report =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(index.out());
    assertThat(report.path("indexed").asInt()).isEqualTo(2);
    com.fasterxml.jackson.databind.JsonNode files =
        report.path("cameras").get(0).path("files");
    assertThat(java.util.stream.StreamSupport.stream(
                java.util.Spliterators.spliteratorUnknownSize(files.fieldNames(), 0), false)
            .toList())
        .as("every bucket, in order")
        .hasSize(io.heldar.core.index.FileBucket.values().length)
        .startsWith("indexed", "changed", "already_indexed");
    assertThat(files.path("name_does_not_match").path("examples").get(0).asText())
        .isEqualTo("gate/notes.txt");

    Run first = heldar("camera", "list", "--db", db, "--format", "json");
    Run second = heldar("camera", "list", "--db", db, "--format", "json");
    assertThat(first.out()).isEqualTo(second.out());
    assertThat(first.out().indexOf("\"id\""))
        .isLessThan(first.out().indexOf("\"name\""))
        .isLessThan(first.out().indexOf("\"recorder_name\""));
    assertThat(first.out()).contains("\"source_url\" : null");

    Run timeline = heldar(
        "timeline",
        "--db",
        db,
        "--camera",
        "gate",
        "--from",
        "2026-11-21T10:00:00Z",
        "--to",
        "2026-11-21T10:01:00Z");
    assertThat(timeline.status()).as(timeline.err()).isZero();
    assertThat(timeline.out()).contains("(28s, missing)").doesNotContain("PT");
    Run json1 = heldar(
        "timeline",
        "--db",
        db,
        "--camera",
        "gate",
        "--from",
        "2026-11-21T10:00:00Z",
        "--to",
        "2026-11-21T10:01:00Z",
        "--format",
        "json");
    Run json2 = heldar(
        "timeline",
        "--db",
        db,
        "--camera",
        "gate",
        "--from",
        "2026-11-21T10:00:00Z",
        "--to",
        "2026-11-21T10:01:00Z",
        "--format",
        "json");
    assertThat(json1.out()).isEqualTo(json2.out()).contains("\"cause\" : \"missing\"");
  }

  @Test
  void aBacklogShowsItsProgress() throws Exception {
    Path root = dir.resolve("rec");
    Instant old = Instant.parse("2026-11-21T09:00:00Z");
    for (int i = 0; i < 30; i++) {
      TestMedia.touch(
          TestMedia.make(
              root.resolve("cam").resolve(String.format("20261121T1000%02dZ.mp4", i * 2 % 60)),
              Spec.plain()),
          old);
    }
    Run r = heldar(
        "index", "--db", dir.resolve("h.db").toString(), "--root", root.toString(), "--once");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).containsPattern("indexing cam: 30/30 files, [0-9,]+ files/s");
    assertThat(r.out()).as("standard output holds the report only").doesNotContain("files/s");
  }

  @Test
  void humanDurations() {
    assertThat(Json.human(java.time.Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(Json.human(java.time.Duration.ofSeconds(185))).isEqualTo("3m 05s");
    assertThat(Json.human(java.time.Duration.ofSeconds(4000))).isEqualTo("1h 06m 40s");
    assertThat(Json.human(java.time.Duration.ofHours(51))).isEqualTo("2d 03h 00m");
    assertThat(Json.human(java.time.Duration.ofMillis(2500))).isEqualTo("2.5s");
  }

  @Test
  void changingACameraKeepsItsRecorderName() throws Exception {
    Path root = dir.resolve("rec");
    TestMedia.touch(
        TestMedia.make(root.resolve("cam2/main/2026-11-21_10-00-00-000000.mp4"), Spec.plain()),
        Instant.parse("2026-11-21T09:00:00Z"));
    Path db = dir.resolve("heldar.db");
    assertThat(heldar(
                "index",
                "--db",
                db.toString(),
                "--root",
                root.toString(),
                "--naming",
                "mediamtx",
                "--once")
            .status())
        .isZero();
    assertThat(heldar(
                "camera",
                "add",
                "--db",
                db.toString(),
                "--id",
                "cam2-main",
                "--source",
                "rtsp://10.0.0.9/main")
            .status())
        .isZero();
    try (SqliteHeldarStore store = SqliteHeldarStore.open(db)) {
      assertThat(
              store.cameras().find("cam2-main").flatMap(io.heldar.core.model.Camera::recorderName))
          .contains("cam2/main");
    }
  }
}
