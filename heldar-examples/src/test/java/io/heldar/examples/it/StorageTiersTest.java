package io.heldar.examples.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.Heldar;
import io.heldar.core.clip.ClipReport;
import io.heldar.core.clip.ClipRequest;
import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.Segment;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.retention.RetentionPolicy;
import io.heldar.core.runtime.ManualRuntime;
import io.heldar.core.testing.MutableClock;
import io.heldar.core.tier.StorageTier;
import io.heldar.core.tier.StorageTiers;
import io.heldar.core.tier.TierMoveOptions;
import io.heldar.core.tier.TierMoves;
import io.heldar.examples.cli.HeldarCli;
import io.heldar.examples.faults.ChildJvm;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage tiers end to end: real MP4s indexed by a whole Heldar, moved hot → cold → gone by the
 * rules while the timeline and clips do not notice (a clip even across segments that move while it
 * is being written); then two real file systems in a private mount namespace, the cold one
 * unmounted mid-round and mounted again, with nothing lost and nothing left behind.
 */
class StorageTiersTest {
  static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir
  Path dir;

  private static List<Path> footage(Path cameraDir, Instant from, int n) {
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant start = from.plusSeconds(4L * i);
      Path f = TestMedia.make(
          cameraDir.resolve(NAME.format(start) + ".mp4"), TestMedia.Spec.plain().seconds(4));
      TestMedia.touch(f, start.plusSeconds(5));
      out.add(f);
    }
    return out;
  }

  @Test
  void footageFlowsHotToColdToGoneWhileTimelineAndClipsDoNotNotice() throws Exception {
    Path hot = Files.createDirectories(dir.resolve("hot"));
    Path cold = Files.createDirectories(dir.resolve("cold"));
    footage(hot.resolve("gate"), T0, 8);
    MutableClock clock = new MutableClock(T0.plus(Duration.ofMinutes(10)));
    StorageTiers tiers = StorageTiers.of(
        StorageTier.builder("ssd", hot).moveAfter(Duration.ofHours(1)).build(),
        StorageTier.builder("nas", cold).build());
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      store.cameras().add(Camera.of("gate", T0));
      Heldar heldar = Heldar.builder()
          .store(store)
          .clock(clock)
          .ticker(clock::monotonicNanos)
          .storageTiers(tiers)
          .tierMoves(TierMoveOptions.builder().bytesPerSecond(0).build())
          .probe(MediaProbes.nativeMp4())
          .probeExecutor(Runnable::run)
          .retention(RetentionPolicy.builder()
              .maxAge(Duration.ofDays(2))
              .maxDeleteShare(1)
              .build())
          .manualRuntime()
          .build();
      ManualRuntime runtime = heldar.manualRuntime();
      heldar.start();
      runtime.tick("segment-indexer");
      assertThat(store.segments().count("gate")).isEqualTo(8);
      ClipRequest range = ClipRequest.of("gate", T0, T0.plusSeconds(32));
      ClipReport before = heldar.clips().write(range, dir.resolve("before.mp4"));
      String coverageBefore = heldar
          .client()
          .timeline()
          .coverage("gate", T0, T0.plusSeconds(40), Duration.ofSeconds(1))
          .toString();

      clock.advance(Duration.ofHours(2));
      runtime.tick("tier-moves");

      assertThat(heldar.lastTierMoves().orElseThrow().moved()).isEqualTo(8);
      assertThat(heldar.metrics().retention().segmentsMoved()).isEqualTo(8);
      try (var files = Files.list(hot.resolve("gate"))) {
        assertThat(files).isEmpty();
      }
      for (Segment s : store.segments().oldestFirst(Optional.of("gate"), 100, Optional.empty())) {
        assertThat(s.tier()).contains("nas");
        assertThat(cold.resolve(s.path())).isRegularFile();
      }
      // The timeline reads rows only; a clip reads the files where they live now: the same bytes.
      assertThat(heldar
              .client()
              .timeline()
              .coverage("gate", T0, T0.plusSeconds(40), Duration.ofSeconds(1))
              .toString())
          .isEqualTo(coverageBefore);
      ClipReport after = heldar.clips().write(range, dir.resolve("after.mp4"));
      assertThat(after.gaps()).isEqualTo(before.gaps());
      assertThat(after.leftOut()).isEmpty();
      assertThat(Files.readAllBytes(dir.resolve("after.mp4")))
          .isEqualTo(Files.readAllBytes(dir.resolve("before.mp4")));

      // A clip across segments that move while it is being written: rows read, then moved.
      Instant later = T0.plus(Duration.ofHours(2));
      footage(hot.resolve("gate"), later, 6);
      clock.advance(Duration.ofMinutes(10));
      runtime.tick("segment-indexer");
      ClipRequest second = ClipRequest.of("gate", later, later.plusSeconds(24));
      heldar.clips().write(second, dir.resolve("second-before.mp4"));
      clock.advance(Duration.ofHours(2));
      TierMoves moves = TierMoves.builder()
          .store(store)
          .storageTiers(tiers)
          .clock(clock)
          .options(TierMoveOptions.builder().bytesPerSecond(0).build())
          .build();
      AtomicBoolean movedMidway = new AtomicBoolean();
      ClipReport moving = heldar
          .clips()
          .write(second, dir.resolve("second-moving.mp4"), (segments, bytes) -> {
            if (movedMidway.compareAndSet(false, true)) {
              assertThat(moves.round().moved()).isEqualTo(6);
            }
          });
      moves.close();
      assertThat(movedMidway).isTrue();
      assertThat(moving.leftOut()).isEmpty();
      assertThat(moving.gaps()).isEmpty();
      assertThat(Files.readAllBytes(dir.resolve("second-moving.mp4")))
          .isEqualTo(Files.readAllBytes(dir.resolve("second-before.mp4")));

      // Gone: retention deletes from the cold tier, where the footage lives now.
      clock.advance(Duration.ofDays(3));
      runtime.tick("retention");
      assertThat(store.segments().count("gate")).isEqualTo(1); // the newest is always kept
      try (var files = Files.walk(cold)) {
        assertThat(files.filter(Files::isRegularFile).map(cold::relativize).map(Path::toString))
            .containsExactlyInAnyOrder(
                StorageTiers.MARKER, "gate/" + NAME.format(later.plusSeconds(20)) + ".mp4");
      }
      heldar.stop();
    }
  }

  /**
   * Two tmpfs file systems in a private mount namespace (root only, as CI runs): the NAS tier is a
   * bind mount of the second, so it can go away and come back with its files. {@code heldar
   * retention --tier} moves across file systems; the NAS is unmounted (lazily) in the middle of a
   * slow round and again before the next; it is mounted again and a last round settles everything.
   * Then every row's file is on the tier its row names with the bytes it was recorded with, and no
   * other file is anywhere.
   */
  @Test
  void twoMountsTheColdOneUnmountedMidRoundLoseNothingAndLeaveNothingBehind() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "mounting a tmpfs needs root (CI runs as root)");
    Path source = Files.createDirectories(dir.resolve("source"));
    List<Path> made = footage(source, T0, 16);
    Map<String, String> sha = new HashMap<>();
    for (Path f : made) {
      sha.put("gate/" + f.getFileName(), sha256(f));
    }
    Path hot = Files.createDirectories(dir.resolve("hot"));
    Path nasDisk = Files.createDirectories(dir.resolve("nas-disk"));
    Path cold = Files.createDirectories(dir.resolve("cold"));
    Path db = dir.resolve("tiers.db");
    Path listing = dir.resolve("listing.txt");
    String index =
        cli("index", "--once", "--db", db.toString(), "--root", hot.toString(), "--camera", "gate");
    // The age rule moves everything recorded before an hour ago; 64 KB/s makes a round take
    // seconds.
    String moves = cli(
        "retention",
        "--db",
        db.toString(),
        "--root",
        hot.toString(),
        "--tier",
        "nas=" + cold,
        "--move-after",
        "hot=1h",
        "--move-rate",
        "64KB");
    String script = String.join(
        "\n",
        "set -e",
        "mount -t tmpfs tmpfs '" + hot + "'",
        "mount -t tmpfs tmpfs '" + nasDisk + "'",
        "mount --bind '" + nasDisk + "' '" + cold + "'",
        "mkdir -p '" + hot + "/gate'",
        "cp -p '" + source + "'/*.mp4 '" + hot + "/gate/'",
        index,
        // a slow round, the NAS lazily unmounted in its middle
        "(" + moves + " || true) &",
        "sleep 2",
        "umount -l '" + cold + "'",
        "wait",
        "echo '--- nothing written to the bare mount point:'; ls -A '" + cold + "'",
        "test -z \"$(ls -A '" + cold + "')\"",
        // a whole round with the NAS away: moves wait
        moves + " || true",
        "test -z \"$(ls -A '" + cold + "')\"",
        // back; a last round (fast) settles and moves everything
        "mount --bind '" + nasDisk + "' '" + cold + "'",
        cli(
            "retention",
            "--db",
            db.toString(),
            "--root",
            hot.toString(),
            "--tier",
            "nas=" + cold,
            "--move-after",
            "hot=1h",
            "--move-rate",
            "0"),
        "cd '" + hot + "' && find . -type f | sort | xargs -r sha256sum | sed 's/^/hot /' > '"
            + listing + "'",
        "cd '" + cold + "' && find . -type f | sort | xargs -r sha256sum | sed 's/^/nas /' >> '"
            + listing + "'");
    Path log = dir.resolve("mounts.log");
    Process p = new ProcessBuilder("unshare", "-m", "sh", "-c", script)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    assertThat(p.waitFor(240, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();

    Map<String, String> found = new HashMap<>(); // "tier path" -> sha
    for (String line : Files.readAllLines(listing)) {
      String[] f = line.split("\\s+", 3);
      found.put(f[0] + " " + f[2].replaceFirst("^\\./", ""), f[1]);
    }
    try (SqliteHeldarStore s = SqliteHeldarStore.open(db)) {
      List<Segment> rows = s.segments().oldestFirst(Optional.of("gate"), 100, Optional.empty());
      assertThat(rows).as(out).hasSize(16);
      assertThat(s.segments().moving(10)).as(out).isEmpty();
      Map<String, String> expected = new HashMap<>();
      for (Segment r : rows) {
        assertThat(r.tier()).as(r.path() + "\n" + out).contains("nas");
        expected.put("nas " + r.path(), sha.get(r.path()));
      }
      found.remove("nas " + StorageTiers.MARKER);
      assertThat(found).as(out).isEqualTo(expected);
      assertThat(s.events().count(Optional.empty(), EventKinds.STORAGE_TIER_UNAVAILABLE))
          .as(out)
          .isGreaterThanOrEqualTo(1);
      assertThat(s.segments().countMissing("gate")).isZero();
      // The NAS going away is one event per outage, not one failure per file.
      assertThat(s.events().count(Optional.of("gate"), EventKinds.TIER_MOVE_FAILED))
          .as(out)
          .isZero();
    }
  }

  private static String cli(String... args) {
    return String.join(
        " ",
        ChildJvm.command(HeldarCli.class, args).stream().map(a -> "'" + a + "'").toList());
  }

  private static String sha256(Path f) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
  }
}
