package io.heldar.examples.it;

import static io.heldar.examples.cli.IndexCommandTest.heldar;
import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.index.IndexingOptions;
import io.heldar.core.index.ReconcileReport;
import io.heldar.core.index.ScanReport;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.index.SegmentNaming;
import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.GapCause;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.testing.MutableClock;
import io.heldar.examples.cli.HeldarCli;
import io.heldar.examples.cli.IndexCommandTest;
import io.heldar.examples.faults.ChildJvm;
import io.heldar.ffmpeg.FfprobeMediaProbe;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.ffmpeg.testing.TestMedia.Spec;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that vanish from under the index, with real files and directories: marked missing with a
 * lost gap, restored when they come back, and never marked when the storage rather than the files
 * seems gone.
 */
class VanishedFilesTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/yyyyMMdd'T'HHmmss'Z'.'mp4'").withZone(ZoneOffset.UTC);
  static final MediaProbe PROBE = MediaProbes.auto(FfprobeMediaProbe.onPath());
  static final SegmentNaming DAYS =
      SegmentNaming.pattern("%Y/%m/%d/%Y%m%dT%H%M%SZ.mp4", ZoneOffset.UTC);

  @TempDir
  Path dir;

  Path root;
  SqliteHeldarStore store;
  MutableClock clock;
  SegmentIndexer indexer;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(dir.resolve("recordings"));
    store = SqliteHeldarStore.open(dir.resolve("heldar.db"));
    clock = new MutableClock(T0.plus(Duration.ofDays(3)));
    store.cameras().add(Camera.of("cam", T0));
    // Reconciles at every scan, so each step shows at once; 2 s segments, so a 1 s gap threshold.
    indexer = SegmentIndexer.builder()
        .store(store)
        .probe(PROBE)
        .recordingsRoot(root)
        .options(IndexingOptions.builder()
            .naming(DAYS)
            .reconcileInterval(Duration.ofNanos(1))
            .gaps(io.heldar.core.gap.GapDetector.Options.DEFAULTS.withThreshold(
                Duration.ofSeconds(1)))
            .build())
        .clock(clock)
        .build();
  }

  @AfterEach
  void tearDown() {
    indexer.close();
    store.close();
  }

  /** {@code n} back-to-back 2 s segments of {@code camera} from {@code start}. */
  List<Path> segments(String camera, Instant start, int n) {
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant t = start.plusSeconds(2L * i);
      Path f = TestMedia.make(root.resolve(camera).resolve(NAME.format(t)), Spec.plain());
      TestMedia.touch(f, t.plusSeconds(2));
      out.add(f);
    }
    return out;
  }

  List<RecordingGap> openGaps() {
    return store.gaps().list("cam", Optional.of(GapStatus.OPEN));
  }

  @Test
  void theCompleteListingIsDueByTheInjectedTickerNotByWallTime() throws IOException {
    long[] nanos = {0};
    try (SegmentIndexer hourly = SegmentIndexer.builder()
        .store(store)
        .probe(PROBE)
        .recordingsRoot(root)
        .options(IndexingOptions.builder()
            .naming(DAYS)
            .reconcileInterval(Duration.ofHours(1))
            .build())
        .clock(clock)
        .ticker(() -> nanos[0])
        .build()) {
      List<Path> files = segments("cam", T0, 4);
      assertThat(hourly.scanOnce().indexed()).isEqualTo(4); // the first scan is a complete listing
      Files.delete(files.get(1));
      hourly.scanOnce();
      assertThat(store.segments().countMissing("cam"))
          .as("not due: the ticker has not moved")
          .isZero();
      nanos[0] += Duration.ofMinutes(59).toNanos();
      hourly.scanOnce();
      assertThat(store.segments().countMissing("cam"))
          .as("59 min on the ticker")
          .isZero();
      nanos[0] += Duration.ofMinutes(1).toNanos();
      hourly.scanOnce();
      assertThat(store.segments().countMissing("cam"))
          .as("an hour on the ticker: the complete listing sees the file gone")
          .isEqualTo(1);
    }
  }

  @Test
  void filesRetentionIsDeletingAreNeitherVanishedNorLost() throws IOException {
    List<Path> files = segments("cam", T0, 10);
    assertThat(indexer.scanOnce().indexed()).isEqualTo(10);
    // A sweep marked the oldest six rows and unlinked their files, then was killed before it
    // deleted the rows: six of ten files "gone at once" would trip the vanish guard.
    List<String> marked = new ArrayList<>();
    for (Path f : files.subList(0, 6)) {
      marked.add(root.relativize(f).toString());
      Files.delete(f);
    }
    store.segments().markDeletePending(marked);
    indexer.scanOnce();
    assertThat(store.events().count(Optional.empty(), "storage_unavailable"))
        .as("retention's deletions are not a storage outage")
        .isZero();
    assertThat(store.segments().countMissing("cam")).as("nor lost footage").isZero();
    assertThat(store.events().count(Optional.empty(), "segment_missing")).isZero();
    assertThat(store.segments().deletePendingPaths("cam")).hasSize(6);
    // A file that really vanishes meanwhile still does.
    Files.delete(files.get(8));
    indexer.scanOnce();
    assertThat(store.segments().countMissing("cam")).isEqualTo(1);
  }

  @Test
  void aVanishedFileIsMarkedMissingWithALostGapAndRestoredWhenItComesBack() throws IOException {
    List<Path> files = segments("cam", T0, 6);
    assertThat(indexer.scanOnce().indexed()).isEqualTo(6);
    Path middle = files.get(3);
    Path aside = Files.move(middle, dir.resolve("aside.mp4"));

    indexer.scanOnce();

    assertThat(store.segments().count("cam")).isEqualTo(5);
    assertThat(store.segments().countMissing("cam")).isEqualTo(1);
    assertThat(store.segments().missing("cam", 10))
        .singleElement()
        .satisfies(s -> assertThat(s.start()).isEqualTo(T0.plusSeconds(6)));
    assertThat(store.events().count(Optional.of("cam"), EventKinds.SEGMENT_MISSING))
        .isEqualTo(1);
    assertThat(openGaps()).singleElement().satisfies(g -> {
      assertThat(g.cause()).isEqualTo(GapCause.LOST);
      assertThat(g.start()).isEqualTo(T0.plusSeconds(6));
      assertThat(g.end()).isEqualTo(T0.plusSeconds(8));
    });

    // It comes back unchanged (same size and modification time): restored, its gap closed.
    Files.move(aside, middle);
    indexer.scanOnce();
    assertThat(store.segments().count("cam")).isEqualTo(6);
    assertThat(store.segments().countMissing("cam")).isZero();
    assertThat(store.events().count(Optional.of("cam"), EventKinds.SEGMENT_RESTORED))
        .isEqualTo(1);
    assertThat(openGaps()).isEmpty();
  }

  @Test
  void aFileMovedToAnotherCameraIsLostHereAndIndexedThere() throws IOException {
    store.cameras().add(Camera.of("other", T0));
    List<Path> files = segments("cam", T0, 4);
    segments("other", T0.plusSeconds(100), 1);
    indexer.scanOnce();
    Path moved = files.get(1);
    Path target = root.resolve("other").resolve(root.resolve("cam").relativize(moved));
    Files.createDirectories(target.getParent());
    Files.move(moved, target, StandardCopyOption.ATOMIC_MOVE);

    ScanReport r = indexer.scanOnce();

    assertThat(store.segments().countMissing("cam")).isEqualTo(1);
    assertThat(openGaps()).extracting(RecordingGap::cause).containsExactly(GapCause.LOST);
    assertThat(r.cameras().stream()
            .filter(c -> c.cameraId().equals("other"))
            .findFirst()
            .orElseThrow()
            .indexed())
        .isEqualTo(1);
  }

  @Test
  void aVanishedDayDirectoryIsAMassDisappearanceUntilConfirmed() throws Exception {
    segments("cam", T0, 12);
    segments("cam", T0.plus(Duration.ofDays(1)), 12);
    indexer.scanOnce();
    deleteTree(root.resolve("cam/2026/11/21"));

    indexer.scanOnce();
    indexer.scanOnce();

    assertThat(store.segments().count("cam")).as("nothing marked").isEqualTo(24);
    assertThat(store.events().count(Optional.of("cam"), EventKinds.STORAGE_UNAVAILABLE))
        .as("said once")
        .isEqualTo(1);
    assertThat(store.events().count(Optional.of("cam"), EventKinds.SEGMENT_MISSING))
        .isZero();

    // heldar check shows it and changes nothing; --apply still refuses; --apply --force marks.
    IndexCommandTest.Run check = heldar(
        "check",
        "--db",
        dir.resolve("heldar.db").toString(),
        "--root",
        root.toString(),
        "--naming",
        DAYS.pattern());
    assertThat(check.status()).isEqualTo(1);
    assertThat(check.out())
        .contains(
            "cam: 24 indexed, 12 file(s) on disk; 12 vanished (cam/2026/11/21/20261121T100000Z.mp4")
        .contains("refused: 12 of 24 indexed files vanished (more than 20 %)");
    IndexCommandTest.Run apply = heldar(
        "check",
        "--db",
        dir.resolve("heldar.db").toString(),
        "--root",
        root.toString(),
        "--naming",
        DAYS.pattern(),
        "--apply");
    assertThat(apply.status()).isEqualTo(1);
    assertThat(apply.out()).contains("--force to mark anyway");
    assertThat(store.segments().count("cam")).isEqualTo(24);
    IndexCommandTest.Run force = heldar(
        "check",
        "--db",
        dir.resolve("heldar.db").toString(),
        "--root",
        root.toString(),
        "--naming",
        DAYS.pattern(),
        "--apply",
        "--force");
    assertThat(force.status()).as(force.out() + force.err()).isZero();
    assertThat(store.segments().count("cam")).isEqualTo(12);
    assertThat(store.segments().countMissing("cam")).isEqualTo(12);
    List<ReconcileReport> after = indexer.check(false, false);
    assertThat(after).singleElement().satisfies(rep -> assertThat(rep.inSync()).isTrue());
  }

  @Test
  void aWholeCameraDirectoryGoneFailsTheScanAndMarksNothing() throws Exception {
    segments("cam", T0, 3);
    indexer.scanOnce();
    deleteTree(root.resolve("cam"));

    ScanReport r = indexer.scanOnce();

    assertThat(r.failedCameras())
        .singleElement()
        .satisfies(c -> assertThat(c.failure().orElseThrow()).contains("does not exist"));
    assertThat(store.segments().count("cam")).isEqualTo(3);
    assertThat(store.segments().countMissing("cam")).isZero();
    assertThat(indexer.check(true, false))
        .singleElement()
        .satisfies(rep -> assertThat(rep.refused()).isPresent());
    assertThat(store.segments().count("cam")).isEqualTo(3);
  }

  @Test
  void retentionDropsTheRowOfAFileAlreadyGone() throws IOException {
    List<Path> files = segments("cam", T0, 3);
    indexer.scanOnce();
    Files.delete(files.get(0));
    var sweeper = io.heldar.core.retention.RetentionSweeper.builder()
        .store(store)
        .recordingsRoot(root)
        .clock(clock)
        .policy(io.heldar.core.retention.RetentionPolicy.builder()
            .maxAge(Duration.ofHours(1))
            .build())
        .build();
    sweeper.sweep(
        true); // all of the camera's footage is old: past retention's safety share, hence force
    assertThat(store.segments().count("cam"))
        .as("the newest segment is always kept")
        .isEqualTo(1);
    assertThat(store
            .segments()
            .findByPath("cam/"
                + root.resolve("cam").relativize(files.get(0)).toString().replace('\\', '/')))
        .isEmpty();
    assertThat(store.events().count(Optional.of("cam"), EventKinds.RETENTION_FAILED))
        .isZero();
  }

  /**
   * An unmounted tmpfs: the camera directory becomes the empty mount point. Run as root in a private
   * mount namespace (a child JVM indexes with the tmpfs mounted, then again after unmounting it).
   */
  @Test
  void anUnmountedTmpfsMarksNothing() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "mounting a tmpfs needs root (CI runs as root)");
    Path source = Files.createDirectories(dir.resolve("source"));
    for (int i = 0; i < 12; i++) {
      Path f = TestMedia.make(
          source.resolve(String.format("20261121T1000%02dZ.mp4", 2 * i)), Spec.plain());
      TestMedia.touch(f, T0.plusSeconds(2L * i + 2));
    }
    Path cam = Files.createDirectories(root.resolve("mounted"));
    Path db = dir.resolve("tmpfs.db");
    String heldar = String.join(
        " ",
        ChildJvm.command(
                HeldarCli.class,
                "index",
                "--once",
                "--db",
                db.toString(),
                "--root",
                root.toString(),
                "--camera",
                "mounted")
            .stream()
            .map(a -> "'" + a + "'")
            .toList());
    String script = "set -e; mount -t tmpfs tmpfs '" + cam + "'; cp -p '" + source + "'/* '" + cam
        + "'/; " + heldar + "; umount '" + cam + "'; " + heldar + " || true";
    Path log = dir.resolve("tmpfs.log");
    Process p = new ProcessBuilder("unshare", "-m", "sh", "-c", script)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    try (SqliteHeldarStore s = SqliteHeldarStore.open(db)) {
      assertThat(s.segments().count("mounted")).as(out).isEqualTo(12);
      assertThat(s.segments().countMissing("mounted")).isZero();
      assertThat(s.events().count(Optional.of("mounted"), EventKinds.STORAGE_UNAVAILABLE))
          .as(out)
          .isEqualTo(1);
    }
  }

  static void deleteTree(Path p) throws IOException {
    try (var s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
