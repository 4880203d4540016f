package io.heldar.examples.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.model.Snapshot;
import io.heldar.core.snapshot.SnapshotScheduler;
import io.heldar.examples.cli.HeldarCli;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 and SIGTERM against real separate JVMs. */
class CrashAndSignalTest {
  @TempDir
  Path dir;

  /**
   * Fault 5: kill -9 while snapshots are being written, at moments drawn from a fixed seed, again
   * and again. After the restart's recovery, snapshot rows and JPEG files match one to one, and no
   * temp file is left.
   */
  @Test
  void killNineWhileSnapshottingLeavesRowsAndFilesMatchingAfterRestart() throws Exception {
    Path db = dir.resolve("heldar.db");
    Path rec = dir.resolve("rec");
    Path snaps = dir.resolve("snaps");
    Random random = new Random(20261122L);
    int kills = 8;
    for (int i = 0; i < kills; i++) {
      Path log = dir.resolve("child-" + i + ".log");
      Process child = ChildJvm.start(
          log, SnapshotCrashChild.class, db.toString(), rec.toString(), snaps.toString(), "40");
      awaitLine(log, "started", child);
      // Killed once it has written a number of files drawn from the seed: mid-stream, at a moment
      // set by its progress rather than by the wall clock.
      long target = snapshotFiles(snaps) + 20 + random.nextInt(120);
      io.heldar.core.testing.Await.until(
          Duration.ofSeconds(60),
          () -> !child.isAlive() || snapshotFiles(snaps) >= target,
          target + " snapshot files written");
      child.destroyForcibly(); // SIGKILL
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(snaps).as(Files.readString(dir.resolve("child-0.log"))).isDirectory();
    try (SqliteHeldarStore store = SqliteHeldarStore.open(db)) {
      SnapshotScheduler.RecoveryReport r = SnapshotScheduler.builder()
          .store(store)
          .snapshotsRoot(snaps)
          .source((c, t) -> new byte[0])
          .build()
          .recover();
      Set<String> rows = new HashSet<>();
      for (int c = 0; c < 40; c++) {
        store.snapshots().all("cam" + c).stream().map(Snapshot::path).forEach(rows::add);
      }
      Set<String> files = new HashSet<>();
      List<Path> temps;
      try (Stream<Path> all = Files.walk(snaps)) {
        List<Path> list = all.filter(Files::isRegularFile).toList();
        temps = list.stream()
            .filter(p -> p.getFileName().toString().endsWith(".tmp"))
            .toList();
        list.stream()
            .filter(p -> p.getFileName().toString().endsWith(".jpg"))
            .forEach(p -> files.add(snaps.relativize(p).toString().replace('\\', '/')));
      }
      assertThat(rows).as("snapshots taken across the runs").hasSizeGreaterThan(100);
      assertThat(temps).isEmpty();
      assertThat(r.missingFiles()).as("rows whose file is missing").isEmpty();
      assertThat(files).as("files without rows, or rows without files").isEqualTo(rows);
    }
  }

  /** Fault 15: `heldar index` stops on SIGTERM like `heldar run`: exit status 0. */
  @Test
  void heldarIndexExitsZeroOnSigterm() throws Exception {
    Path root = Files.createDirectories(dir.resolve("rec/cam"));
    Path log = dir.resolve("index.log");
    Process p = new ProcessBuilder(ChildJvm.command(
            HeldarCli.class,
            "index",
            "--db",
            dir.resolve("h.db").toString(),
            "--root",
            root.getParent().toString(),
            "--interval",
            "200ms",
            "--probe",
            "native"))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    awaitLine(log, "Ctrl-C to stop", p);
    p.destroy(); // SIGTERM
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
  }

  /**
   * Fault 14: a database in a read-only directory (here a read-only bind mount, which holds for
   * root too; plain permissions where the tests do not run as root) fails with a message that says
   * so and where, and status 2.
   */
  @Test
  void aReadOnlyDatabaseDirectoryIsNamed() throws Exception {
    Path dbDir = Files.createDirectories(dir.resolve("ro"));
    Path db = dbDir.resolve("heldar.db");
    SqliteHeldarStore.open(db).close();
    List<String> heldar = ChildJvm.command(
        HeldarCli.class,
        "index",
        "--once",
        "--db",
        db.toString(),
        "--root",
        Files.createDirectories(dir.resolve("rec")).toString());
    List<String> cmd = new java.util.ArrayList<>();
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      cmd.addAll(List.of(
          "unshare",
          "-m",
          "sh",
          "-c",
          "d=\"$1\"; shift; mount --bind -o ro \"$d\" \"$d\" && exec \"$@\"",
          "sh",
          dbDir.toString()));
    } else {
      Files.setPosixFilePermissions(
          dbDir, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
    }
    cmd.addAll(heldar);
    Path log = dir.resolve("ro.log");
    Process p = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isEqualTo(2);
    assertThat(out)
        .contains("read-only", dbDir.toString())
        .doesNotContain("Failed to clear transaction status");
    if (!root) {
      Files.setPosixFilePermissions(
          dbDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  static void awaitLine(Path log, String text, Process p) throws Exception {
    io.heldar.core.testing.Await.until(
        Duration.ofSeconds(60),
        () -> {
          if (!p.isAlive() && !logSays(log, text)) {
            throw new AssertionError("child ended early: " + read(log));
          }
          return logSays(log, text);
        },
        "the child to say '" + text + "'");
  }

  private static boolean logSays(Path log, String text) {
    return Files.exists(log) && read(log).contains(text);
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Files under the snapshots root, temp files included. */
  static long snapshotFiles(Path snaps) {
    if (!Files.isDirectory(snaps)) {
      return 0;
    }
    try (var files = Files.walk(snaps)) {
      return files.filter(Files::isRegularFile).count();
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return 0; // a directory vanished mid-walk: counted at the next poll
    }
  }
}
