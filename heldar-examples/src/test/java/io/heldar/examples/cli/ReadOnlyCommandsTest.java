package io.heldar.examples.cli;

import static io.heldar.examples.cli.IndexCommandTest.heldar;
import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.examples.faults.ChildJvm;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.ffmpeg.testing.TestMedia.Spec;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands that read never create a database; a host without ffprobe still indexes MP4 files. */
class ReadOnlyCommandsTest {
  @TempDir
  Path dir;

  @Test
  void readingCommandsNeverCreateADatabase() throws Exception {
    Path db = dir.resolve("nowhere/heldar.db");
    Path root = Files.createDirectories(dir.resolve("rec"));
    List<String[]> commands = List.of(
        new String[] {"timeline", "--db", db.toString(), "--camera", "cam"},
        new String[] {"camera", "list", "--db", db.toString()},
        new String[] {"schedule", "list", "--db", db.toString()},
        new String[] {"schedule", "disable", "--db", db.toString(), "--id", "1"},
        new String[] {
          "retention",
          "--db",
          db.toString(),
          "--root",
          root.toString(),
          "--max-age",
          "7d",
          "--dry-run"
        },
        new String[] {"check", "--db", db.toString(), "--root", root.toString()});
    for (String[] c : commands) {
      IndexCommandTest.Run r = heldar(c);
      assertThat(r.status()).as(String.join(" ", c) + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", c)).contains("no such database: " + db);
      assertThat(db.getParent()).as("%s created the database's directory", c[0]).doesNotExist();
    }
  }

  /** The same on PostgreSQL: a database without Heldar's tables is refused, and nothing is created. */
  @Test
  void readingCommandsNeverCreateTablesOnPostgres() throws Exception {
    String db = io.heldar.store.testing.TestPostgres.freshUrl();
    String schema = io.heldar.store.postgres.PostgresLocation.parse(db).schema().orElseThrow();
    Path root = Files.createDirectories(dir.resolve("rec"));
    List<String[]> commands = List.of(
        new String[] {"timeline", "--db", db, "--camera", "cam"},
        new String[] {"camera", "list", "--db", db},
        new String[] {"schedule", "list", "--db", db},
        new String[] {
          "retention", "--db", db, "--root", root.toString(), "--max-age", "7d", "--dry-run"
        },
        new String[] {"check", "--db", db, "--root", root.toString()});
    for (String[] c : commands) {
      IndexCommandTest.Run r = heldar(c);
      assertThat(r.status()).as(String.join(" ", c) + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", c)).contains("no Heldar database at postgresql://");
    }
    try (java.sql.Connection c = io.heldar.store.postgres.PostgresLocation.parse(
                io.heldar.store.testing.TestPostgres.baseUrl())
            .connect();
        java.sql.PreparedStatement ps =
            c.prepareStatement("SELECT count(*) FROM pg_namespace WHERE nspname = ?")) {
      ps.setString(1, schema);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).as("no schema created").isZero();
      }
    }
  }

  @Test
  void clusterStatusShowsNodesAndLeasesOnPostgresAndRefusesSqlite() throws Exception {
    String db = io.heldar.store.testing.TestPostgres.freshUrl();
    try (var store = io.heldar.store.HeldarStores.open(db)) {
      store.cameras().add(io.heldar.core.model.Camera.of("gate", java.time.Instant.now()));
      io.heldar.core.store.LeaseStore leases = store.leases().orElseThrow();
      leases.heartbeat("box-1", 40);
      leases.claim(
          "gate",
          io.heldar.core.store.LeaseStore.Duty.CAPTURE,
          "box-1",
          java.time.Duration.ofMinutes(5));
      leases.claim(
          "gate",
          io.heldar.core.store.LeaseStore.Duty.FILES,
          "box-1",
          java.time.Duration.ofMinutes(5));
      java.time.Instant now = leases.databaseNow();
      long schedule = store
          .snapshotSchedules()
          .create("gate", java.time.Duration.ofSeconds(10), true, now.minusSeconds(3600))
          .id();
      store.snapshotSchedules().markFired(schedule, now.minusSeconds(90), now);
    }
    IndexCommandTest.Run text = heldar("cluster", "status", "--db", db);
    assertThat(text.status()).as(text.err()).isZero();
    assertThat(text.out())
        .contains("1 node(s), 2 lease(s)")
        .containsPattern("node\\s+box-1\\s+capacity 40")
        .containsPattern(
            "lease\\s+gate\\s+capture\\s+box-1\\s+epoch 1\\s+expires in .*lag 1m \\d\\ds")
        .containsPattern("lease\\s+gate\\s+files\\s+box-1\\s+epoch 1\\s+expires in .*lag -");
    IndexCommandTest.Run json = heldar("cluster", "status", "--db", db, "--format", "json");
    com.fasterxml.jackson.databind.JsonNode tree =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    assertThat(tree.path("leases").get(0).path("epoch").asLong()).isEqualTo(1);
    assertThat(tree.path("leases").get(0).path("expired").asBoolean()).isFalse();
    for (com.fasterxml.jackson.databind.JsonNode lease : tree.path("leases")) {
      if (lease.path("duty").asText().equals("capture")) {
        assertThat(lease.path("lag").asDouble()).isBetween(90.0, 120.0);
      } else {
        assertThat(lease.path("lag").isNull()).as("no footage indexed: no lag").isTrue();
      }
    }
    assertThat(tree.path("nodes").get(0).path("node_id").asText()).isEqualTo("box-1");

    Path sqlite = dir.resolve("single.db");
    io.heldar.store.HeldarStores.open(sqlite.toString()).close();
    IndexCommandTest.Run refused = heldar("cluster", "status", "--db", sqlite.toString());
    assertThat(refused.status()).isEqualTo(2);
    assertThat(refused.err()).contains("cluster mode needs PostgreSQL");
  }

  /**
   * A JVM without ffprobe (no bundled binaries on the classpath, none on PATH) indexes MP4 files
   * natively; the camera with a Matroska file fails with the reason, the MP4 camera does not.
   */
  @Test
  void withoutFfprobeMp4FilesAreStillIndexedAndTheMissingProbeIsNamedWhenNeeded() throws Exception {
    Path root = dir.resolve("rec");
    Instant old = Instant.parse("2026-11-21T09:00:00Z");
    TestMedia.touch(TestMedia.make(root.resolve("mp4cam/20261121T100000Z.mp4"), Spec.plain()), old);
    Path mkv = root.resolve("mkvcam/20261121T100000Z.mkv");
    Files.createDirectories(mkv.getParent());
    byte[] notMp4 = new byte[4096];
    new java.util.Random(1).nextBytes(notMp4);
    Files.write(mkv, notMp4); // not MP4 by name or first box: only ffprobe could say what it is
    TestMedia.touch(mkv, old);
    Path db = dir.resolve("heldar.db");
    List<String> cmd = new ArrayList<>(ChildJvm.command(
        HeldarCli.class,
        "index",
        "--once",
        "--db",
        db.toString(),
        "--root",
        root.toString(),
        "--naming",
        "%Y%m%dT%H%M%SZ"));
    // The same JVM command, without org.bytedeco on the class path.
    int cp = cmd.indexOf("-cp") + 1;
    cmd.set(
        cp,
        Arrays.stream(cmd.get(cp).split(File.pathSeparator))
            .filter(e -> !e.contains("bytedeco"))
            .collect(Collectors.joining(File.pathSeparator)));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("child.log").toFile());
    pb.environment()
        .put("PATH", Files.createDirectories(dir.resolve("empty-bin")).toString());
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(dir.resolve("child.log"));
    assertThat(p.exitValue()).as(out).isEqualTo(1);
    assertThat(out)
        .contains("mp4cam: indexed 1")
        .contains("mkvcam: scan failed: probe unavailable")
        .contains("ffprobe");
    try (SqliteHeldarStore s = SqliteHeldarStore.open(db)) {
      assertThat(s.segments().count("mp4cam")).isEqualTo(1);
      assertThat(s.unreadableFiles().among(List.of("mkvcam/20261121T100000Z.mkv")))
          .as("no file blamed")
          .isEmpty();
    }
  }
}
