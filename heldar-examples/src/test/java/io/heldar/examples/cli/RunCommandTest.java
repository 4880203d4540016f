package io.heldar.examples.cli;

import static io.heldar.examples.cli.IndexCommandTest.heldar;
import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.model.Snapshot;
import io.heldar.core.snapshot.Jpeg;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.ffmpeg.testing.TestMedia.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** camera, schedule and run commands end to end: real ffmpeg captures, real ffprobe, real SQLite. */
class RunCommandTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sqlite", "postgresql"})
  void camerasSchedulesAndTheWholeRuntime(String kind) throws Exception {
    String db = TimelineAndRetentionCommandTest.database(kind, dir);
    Path root = dir.resolve("rec");
    Path snaps = dir.resolve("snaps");
    Instant old = Instant.parse("2026-11-21T09:00:00Z");
    TestMedia.touch(TestMedia.make(root.resolve("lobby/20261121T100000Z.mp4"), Spec.plain()), old);
    TestMedia.touch(TestMedia.make(root.resolve("lobby/20261121T100010Z.mp4"), Spec.plain()), old);
    Path source = TestMedia.make(dir.resolve("source.mp4"), Spec.plain());

    assertThat(heldar("camera", "add", "--db", db, "--id", "lobby", "--source", source.toString())
            .out())
        .contains("added camera lobby");
    assertThat(heldar("camera", "add", "--db", db, "--id", "lobby", "--name", "Lobby")
            .out())
        .contains("updated camera lobby");
    assertThat(heldar("camera", "add", "--db", db, "--id", "../x").status()).isEqualTo(2);
    // The camera's own edge for healing gaps: checked, kept by later edits, shown redacted.
    assertThat(heldar(
                "camera",
                "add",
                "--db",
                db,
                "--id",
                "lobby",
                "--edge",
                "http://u:secret@10.0.0.9:9996/get?path={camera}&start={strat}")
            .err())
        .contains("unknown placeholder {strat}")
        .doesNotContain("secret");
    assertThat(heldar(
                "camera",
                "add",
                "--db",
                db,
                "--id",
                "lobby",
                "--edge",
                "http://u:secret@10.0.0.9:9996/get?path={camera}&start={start}")
            .out())
        .contains("updated camera lobby");
    assertThat(heldar("camera", "add", "--db", db, "--id", "lobby", "--name", "Lobby")
            .out())
        .contains("updated camera lobby");
    assertThat(heldar("camera", "list", "--db", db).out())
        .contains("edge http://***@10.0.0.9:9996/get?path={camera}&start={start}")
        .doesNotContain("secret");
    assertThat(
            heldar("camera", "add", "--db", db, "--id", "lobby", "--edge", "").out())
        .contains("updated camera lobby");
    assertThat(heldar("camera", "list", "--db", db).out()).doesNotContain("edge http");
    assertThat(heldar("camera", "list", "--db", db).out())
        .contains("lobby", "Lobby", source.toString());
    assertThat(heldar("schedule", "add", "--db", db, "--camera", "lobby", "--every", "1s")
            .out())
        .contains("added schedule 1");
    assertThat(heldar("schedule", "add", "--db", db, "--camera", "lobby", "--every", "1m")
            .out())
        .contains("added schedule 2");
    assertThat(heldar("schedule", "add", "--db", db, "--camera", "ghost", "--every", "1s")
            .err())
        .contains("unknown camera ghost");
    assertThat(heldar("schedule", "disable", "--db", db, "--id", "2").out())
        .contains("disabled schedule 2");
    assertThat(heldar("schedule", "list", "--db", db).out())
        .containsPattern("1\\s+lobby\\s+1s\\s+yes")
        .containsPattern("2\\s+lobby\\s+1m 00s\\s+no");
    assertThat(heldar("schedule", "delete", "--db", db, "--id", "2").out())
        .contains("deleted schedule 2");
    assertThat(heldar("schedule", "delete", "--db", db, "--id", "2").status()).isEqualTo(2);

    IndexCommandTest.Run run = heldar(
        "run",
        "--db",
        db,
        "--root",
        root.toString(),
        "--snapshots",
        snaps.toString(),
        "--for",
        "3500ms",
        "--interval",
        "200ms",
        "--allow-file-sources");
    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "heldar running: 1 camera(s), 1 schedule(s)",
            "recording_gap",
            "stopped.",
            "lobby: segments 2, open gaps 1");
    try (var store = io.heldar.store.HeldarStores.open(db)) {
      List<Snapshot> taken = store.snapshots().all("lobby");
      assertThat(taken.size()).isBetween(2, 5);
      for (Snapshot s : taken) {
        Path f = snaps.resolve(s.path());
        assertThat(Jpeg.isComplete(Files.readAllBytes(f))).isTrue();
        assertThat(Files.size(f)).isEqualTo(s.sizeBytes());
      }
      assertThat(store.snapshotSchedules().find(1).orElseThrow().lastFiredAt()).isPresent();
    }
    try (var files = Files.list(snaps.resolve("lobby"))) {
      assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
    }

    // Without --snapshots: indexing only, and the waiting schedule is named.
    IndexCommandTest.Run indexingOnly = heldar(
        "run", "--db", db, "--root", root.toString(), "--for", "500ms", "--interval", "200ms");
    assertThat(indexingOnly.status()).as(indexingOnly.err()).isZero();
    assertThat(indexingOnly.out()).contains("no snapshots (indexing only)", "stopped.");
    assertThat(indexingOnly.err())
        .contains(
            "no --snapshots directory: the 1 snapshot schedule(s) in the database take nothing");
  }
}
