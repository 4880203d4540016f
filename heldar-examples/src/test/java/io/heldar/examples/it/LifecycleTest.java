package io.heldar.examples.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.Heldar;
import io.heldar.core.model.Camera;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.runtime.RuntimeOptions;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a host relies on: nothing runs before start(), and stop() keeps to its one deadline. */
class LifecycleTest {
  @TempDir
  Path dir;

  static Set<String> heldarThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("heldar-") && !n.startsWith("heldar-sqlite"))
        .collect(Collectors.toSet());
  }

  /** A camera that never answers and ignores interrupts until released. */
  static final class HungSource implements io.heldar.core.snapshot.SnapshotSource {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public byte[] capture(Camera camera, Duration timeout) {
      entered.countDown();
      while (true) {
        try {
          if (release.await(50, TimeUnit.MILLISECONDS)) {
            throw new io.heldar.core.snapshot.SnapshotCaptureException(camera.id(), "released");
          }
        } catch (InterruptedException ignored) {
          // a source that ignores interrupts: the worst a host can plug in
        }
      }
    }
  }

  @Test
  void buildStartsNothingAndStopKeepsToItsDeadline() throws Exception {
    HungSource source = new HungSource();
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      store.cameras().add(new Camera("gate", "gate", Optional.of("memory://gate"), Instant.now()));
      store.snapshotSchedules().create("gate", Duration.ofSeconds(1), true, Instant.now());
      Set<String> before = heldarThreads();
      Heldar heldar = Heldar.builder()
          .store(store)
          .recordingsRoot(Files.createDirectories(dir.resolve("rec")))
          .probe(MediaProbes.nativeMp4())
          .snapshotsRoot(Files.createDirectories(dir.resolve("snaps")))
          .snapshotSource(source)
          .snapshotOptions(io.heldar.core.snapshot.SnapshotOptions.builder()
              .captureTimeout(Duration.ofMillis(500))
              .build())
          .runtime(RuntimeOptions.builder().stopTimeout(Duration.ofSeconds(1)).build())
          .build();
      assertThat(heldarThreads()).as("threads after build(), before start()").isEqualTo(before);

      heldar.start();
      assertThat(source.entered.await(10, TimeUnit.SECONDS))
          .as("a capture started")
          .isTrue();
      long t0 = System.nanoTime();
      heldar.stop();
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(took)
          .as("stop() with a hung capture and stopTimeout 1 s")
          .isLessThan(Duration.ofMillis(2500));
      heldar.stop(); // idempotent
      org.assertj.core.api.Assertions.assertThatThrownBy(heldar::start)
          .as("a second start() after stop() fails clearly")
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("stopped");

      source.release.countDown();
      io.heldar.core.testing.Await.until(
          Duration.ofSeconds(10),
          () -> heldarThreads().equals(before),
          "no Heldar thread left once the hung source returns (left: " + heldarThreads() + ")");
    }
  }

  @Test
  void capturesAndProbesRunOnTheHostsExecutorsWhichHeldarNeverShutsDown() throws Exception {
    HungSource source = new HungSource();
    java.util.concurrent.ExecutorService hostCaptures =
        java.util.concurrent.Executors.newCachedThreadPool(r -> new Thread(r, "host-capture"));
    java.util.concurrent.ExecutorService hostProbes =
        java.util.concurrent.Executors.newFixedThreadPool(2, r -> new Thread(r, "host-probe"));
    Set<String> captureThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      store.cameras().add(new Camera("gate", "gate", Optional.of("memory://gate"), Instant.now()));
      store.snapshotSchedules().create("gate", Duration.ofSeconds(1), true, Instant.now());
      Set<String> before = heldarThreads();
      Heldar heldar = Heldar.builder()
          .store(store)
          .recordingsRoot(Files.createDirectories(dir.resolve("rec")))
          .probe(MediaProbes.nativeMp4())
          .probeExecutor(hostProbes)
          .snapshotsRoot(Files.createDirectories(dir.resolve("snaps")))
          .snapshotSource((camera, timeout) -> {
            captureThreads.add(Thread.currentThread().getName());
            return source.capture(camera, timeout);
          })
          .captureExecutor(hostCaptures)
          .snapshotOptions(io.heldar.core.snapshot.SnapshotOptions.builder()
              .captureTimeout(Duration.ofMillis(500))
              .build())
          .runtime(RuntimeOptions.builder().stopTimeout(Duration.ofSeconds(1)).build())
          .build();
      heldar.start();
      assertThat(source.entered.await(10, TimeUnit.SECONDS))
          .as("a capture started")
          .isTrue();
      assertThat(captureThreads).containsExactly("host-capture");
      long t0 = System.nanoTime();
      heldar.stop();
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .as("stop() with a hung capture on the host's executor")
          .isLessThan(Duration.ofMillis(2500));
      assertThat(hostCaptures.isShutdown())
          .as("the host's capture executor is the host's to shut down")
          .isFalse();
      assertThat(hostProbes.isShutdown()).isFalse();
      assertThat(heldarThreads())
          .as("no heldar-snapshot-N or heldar-probe-N pool was made")
          .noneMatch(n -> n.startsWith("heldar-snapshot-")
                  && !n.startsWith("heldar-snapshot-write")
                  && !n.equals("heldar-snapshot-commit")
              || n.startsWith("heldar-probe-"));
      source.release.countDown();
      io.heldar.core.testing.Await.until(
          Duration.ofSeconds(10),
          () -> heldarThreads().equals(before),
          "no Heldar thread left once the hung source returns (left: " + heldarThreads() + ")");
    } finally {
      source.release.countDown();
      hostCaptures.shutdownNow();
      hostProbes.shutdownNow();
    }
  }

  /**
   * A capture that never returns and an ffprobe that never exits (with a child of its own), at
   * once: stop() keeps to its deadline and leaves no child process behind, without waiting for the
   * probe's own 60 s timeout.
   */
  @Test
  void stopWithAHungCaptureAndAHungFfprobeLeavesNoThreadAndNoProcess() throws Exception {
    HungSource source = new HungSource();
    Path pids = dir.resolve("ffprobe.pids");
    Path ffprobe = dir.resolve("hung-ffprobe");
    Files.writeString(
        ffprobe,
        "#!/bin/sh\necho $$ >> '" + pids + "'\nsleep 3600 &\necho $! >> '" + pids + "'\nwait\n");
    assertThat(ffprobe.toFile().setExecutable(true)).isTrue();
    Path root = Files.createDirectories(dir.resolve("rec/gate"));
    Path mkv = Files.write(root.resolve("20261121T100000Z.mkv"), new byte[4096]);
    Files.setLastModifiedTime(
        mkv, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(3600)));
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      store.cameras().add(new Camera("gate", "gate", Optional.of("memory://gate"), Instant.now()));
      store.snapshotSchedules().create("gate", Duration.ofSeconds(1), true, Instant.now());
      Set<String> before = heldarThreads();
      Heldar heldar = Heldar.builder()
          .store(store)
          .recordingsRoot(dir.resolve("rec"))
          // no extension in the pattern: every video extension, .mkv included (ffprobe's)
          .indexing(io.heldar.core.index.IndexingOptions.builder()
              .naming(io.heldar.core.index.SegmentNaming.pattern(
                  "%Y%m%dT%H%M%SZ", java.time.ZoneOffset.UTC))
              .build())
          .probe(MediaProbes.auto(io.heldar.ffmpeg.FfprobeMediaProbe.builder()
              .binary(ffprobe)
              .timeout(Duration.ofSeconds(60))
              .build()))
          .snapshotsRoot(Files.createDirectories(dir.resolve("snaps")))
          .snapshotSource(source)
          .snapshotOptions(io.heldar.core.snapshot.SnapshotOptions.builder()
              .captureTimeout(Duration.ofMillis(500))
              .build())
          .runtime(RuntimeOptions.builder().stopTimeout(Duration.ofSeconds(1)).build())
          .build();
      heldar.start();
      try {
        assertThat(source.entered.await(10, TimeUnit.SECONDS))
            .as("a capture started")
            .isTrue();
        io.heldar.core.testing.Await.until(
            Duration.ofSeconds(10),
            () -> pidsIn(pids).size() == 2,
            "ffprobe and its child running");
        List<Long> children = pidsIn(pids);
        assertThat(children)
            .allSatisfy(pid ->
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true));

        long t0 = System.nanoTime();
        heldar.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
            .as("stop() with a hung capture and a hung ffprobe, stopTimeout 1 s")
            .isLessThan(Duration.ofMillis(2000));
        io.heldar.core.testing.Await.until(
            Duration.ofSeconds(2),
            () -> children.stream()
                .noneMatch(
                    pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)),
            "ffprobe and its child killed by stop(), not by their 60 s timeout");
      } finally {
        heldar.stop(); // idempotent; stops it too when an assertion above failed
      }
      source.release.countDown();
      io.heldar.core.testing.Await.until(
          Duration.ofSeconds(10),
          () -> heldarThreads().equals(before),
          "no Heldar thread left (left: " + heldarThreads() + ")");
    } finally {
      source.release.countDown();
    }
  }

  /** Whether a Heldar thread is waiting inside the SQLite driver (a write the database holds up). */
  static boolean aHeldarThreadWaitsOnTheDatabase() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().getName().startsWith("heldar-")
            && !e.getKey().getName().startsWith("heldar-sqlite"))
        .anyMatch(e -> java.util.Arrays.stream(e.getValue())
            .anyMatch(f -> f.getClassName().startsWith("org.sqlite")));
  }

  /**
   * Storage that does not complete writes: another process holds the database file's write lock,
   * so every commit of the indexer and the snapshot committer waits in the driver (up to the
   * store's 30 s busy timeout), as on a disk that stopped answering. stop() keeps to its 1 s
   * deadline all the same; once the storage answers again no Heldar thread is left.
   */
  @Test
  void stopWithStorageThatDoesNotCompleteWritesKeepsToItsDeadline() throws Exception {
    byte[] jpeg = {
      (byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 1, 2, (byte) 0xff, (byte) 0xd9
    };
    Path db = dir.resolve("heldar.db");
    Path cam = Files.createDirectories(dir.resolve("rec/gate"));
    Instant footage = Instant.parse("2026-11-21T10:00:00Z");
    java.time.format.DateTimeFormatter name = java.time.format.DateTimeFormatter.ofPattern(
            "yyyyMMdd'T'HHmmss'Z'")
        .withZone(java.time.ZoneOffset.UTC);
    try (SqliteHeldarStore store = SqliteHeldarStore.open(
        db,
        SqliteHeldarStore.Options.builder().busyTimeout(Duration.ofSeconds(30)).build())) {
      store.cameras().add(new Camera("gate", "gate", Optional.of("memory://gate"), Instant.now()));
      store.snapshotSchedules().create("gate", Duration.ofSeconds(1), true, Instant.now());
      io.heldar.ffmpeg.testing.TestMedia.touch(
          io.heldar.ffmpeg.testing.TestMedia.make(
              cam.resolve(name.format(footage) + ".mp4"),
              io.heldar.ffmpeg.testing.TestMedia.Spec.plain().seconds(2)),
          Instant.now().minusSeconds(60));
      Set<String> before = heldarThreads();
      Heldar heldar = Heldar.builder()
          .store(store)
          .recordingsRoot(dir.resolve("rec"))
          .probe(MediaProbes.nativeMp4())
          .indexing(io.heldar.core.index.IndexingOptions.builder()
              .settleTime(Duration.ofSeconds(1))
              .build())
          .scanInterval(Duration.ofMillis(200))
          .snapshotsRoot(Files.createDirectories(dir.resolve("snaps")))
          .snapshotSource((camera, timeout) -> jpeg)
          .runtime(RuntimeOptions.builder().stopTimeout(Duration.ofSeconds(1)).build())
          .build();
      heldar.start();
      java.sql.Connection locker = null;
      try {
        io.heldar.core.testing.Await.until(
            Duration.ofSeconds(15),
            () -> store.segments().count("gate") == 1
                && !store.snapshots().all("gate").isEmpty(),
            "indexing and snapshots running");
        locker = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
        try (java.sql.Statement st = locker.createStatement()) {
          st.execute("BEGIN EXCLUSIVE");
        }
        io.heldar.ffmpeg.testing.TestMedia.touch(
            io.heldar.ffmpeg.testing.TestMedia.make(
                cam.resolve(name.format(footage.plusSeconds(2)) + ".mp4"),
                io.heldar.ffmpeg.testing.TestMedia.Spec.plain().seconds(2)),
            Instant.now().minusSeconds(60));
        io.heldar.core.testing.Await.until(
            Duration.ofSeconds(10),
            LifecycleTest::aHeldarThreadWaitsOnTheDatabase,
            "a Heldar write held up by the locked database");

        long t0 = System.nanoTime();
        heldar.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
            .as("stop() while the storage does not complete writes, stopTimeout 1 s")
            .isLessThan(Duration.ofMillis(2000));
      } finally {
        heldar.stop();
        if (locker != null) {
          try (java.sql.Statement st = locker.createStatement()) {
            st.execute("ROLLBACK");
          }
          locker.close();
        }
      }
      io.heldar.core.testing.Await.until(
          Duration.ofSeconds(10),
          () -> heldarThreads().equals(before),
          "no Heldar thread left once the storage answers (left: " + heldarThreads() + ")");
    }
  }

  private static List<Long> pidsIn(Path file) {
    try {
      return Files.exists(file)
          ? Files.readAllLines(file).stream()
              .filter(l -> !l.isBlank())
              .map(l -> Long.parseLong(l.trim()))
              .toList()
          : List.of();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }
}
