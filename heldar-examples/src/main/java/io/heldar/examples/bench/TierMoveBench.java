package io.heldar.examples.bench;

import io.heldar.core.model.Camera;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.Segment;
import io.heldar.core.tier.MoveReport;
import io.heldar.core.tier.StorageTier;
import io.heldar.core.tier.StorageTiers;
import io.heldar.core.tier.TierMoveOptions;
import io.heldar.core.tier.TierMoves;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Tier moves against {@code cp}: the same files, indexed in SQLite, moved by a round of {@link
 * TierMoves} (verified: read back and compared by SHA-256, each file forced to disk) and copied by
 * {@code cp -r} (alone, and followed by {@code sync -f} of the target, since a move is durable and
 * {@code cp} alone is not). Each size fresh, three times; the median.
 */
public final class TierMoveBench {
  /**
   * What to measure.
   *
   * @param files file counts, one run each
   * @param sizeBytes the size of each file
   * @param from the directory the hot tier is made in
   * @param to the directory the cold tier (and cp's target) is made in
   * @param concurrentFiles files copied at once by the mover
   * @param repeats runs per count (the median is reported)
   */
  public record Options(
      List<Integer> files, long sizeBytes, Path from, Path to, int concurrentFiles, int repeats) {}

  private final Options options;
  private final PrintWriter out;

  /** A bench of {@code options}, printing to {@code out}. */
  public TierMoveBench(Options options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  /** Runs it. */
  public void run() throws Exception {
    out.println(BenchMachine.describe());
    out.printf(
        Locale.ROOT,
        "from %s to %s, files of %.1f MB, %d at once, median of %d%n",
        options.from(),
        options.to(),
        options.sizeBytes() / 1e6,
        options.concurrentFiles(),
        options.repeats());
    out.println("files | MB | cp MB/s | cp+sync MB/s | moves MB/s | moves/cp | moves/(cp+sync)");
    for (int n : options.files()) {
      List<double[]> runs = new ArrayList<>();
      for (int r = 0; r < options.repeats(); r++) {
        runs.add(once(n, r));
      }
      double mb = n * options.sizeBytes() / 1e6;
      String moves =
          BenchMachine.each("%.0f", runs.stream().mapToDouble(x -> mb / x[2]).toArray());
      runs.sort((a, b) -> Double.compare(a[2], b[2]));
      double[] m = runs.get(runs.size() / 2);
      out.printf(
          Locale.ROOT,
          "%d | %.0f | %.0f | %.0f | %.0f (runs: %s) | %.0f %% | %.0f %%%n",
          n,
          mb,
          mb / m[0],
          mb / m[1],
          mb / m[2],
          moves,
          100 * m[0] / m[2],
          100 * m[1] / m[2]);
      out.flush();
    }
    out.println("load average after: " + BenchMachine.loadAverage());
    out.flush();
  }

  /** One run of {@code n} files: seconds of cp, cp + sync, and the mover. */
  private double[] once(int n, int run) throws Exception {
    Path hot = Files.createDirectories(options.from().resolve("hot-" + n + "-" + run));
    Path cold = Files.createDirectories(options.to().resolve("cold-" + n + "-" + run));
    Path cpTarget = Files.createDirectories(options.to().resolve("cp-" + n + "-" + run));
    Path db = options.from().resolve("tiers-" + n + "-" + run + ".db");
    try {
      Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
      List<Segment> rows = new ArrayList<>();
      Random random = new Random(n * 31L + run);
      byte[] block = new byte[(int) Math.min(options.sizeBytes(), 1 << 20)];
      Path cam = Files.createDirectories(hot.resolve("cam"));
      for (int i = 0; i < n; i++) {
        Instant start = t0.plusSeconds(10L * i);
        String name = "cam/" + start.getEpochSecond() + ".mp4";
        Path f = hot.resolve(name);
        try (var ch = java.nio.channels.FileChannel.open(
            f,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
          for (long left = options.sizeBytes(); left > 0; left -= block.length) {
            random.nextBytes(block);
            ch.write(java.nio.ByteBuffer.wrap(block, 0, (int) Math.min(left, block.length)));
          }
        }
        Files.setLastModifiedTime(f, FileTime.from(start.plusSeconds(10)));
        rows.add(new Segment(
            "cam",
            name,
            start,
            start.plusSeconds(10),
            media(),
            options.sizeBytes(),
            start.plusSeconds(10),
            false,
            Optional.empty(),
            t0));
      }
      double cp = seconds("cp", "-r", cam.toString(), cpTarget.toString());
      double sync = seconds("sync", "-f", cpTarget.toString());
      try (SqliteHeldarStore store = SqliteHeldarStore.open(db)) {
        store.cameras().add(Camera.of("cam", t0));
        store.useTransaction(
            () -> store.cameraStats().addIndexed("cam", store.segments().insertAll(rows), t0));
        TierMoves moves = TierMoves.builder()
            .store(store)
            .storageTiers(StorageTiers.of(
                StorageTier.builder("hot", hot).moveAfter(Duration.ofDays(1)).build(),
                StorageTier.builder("cold", cold).build()))
            .clock(Clock.fixed(t0.plus(Duration.ofDays(30)), ZoneOffset.UTC))
            .options(TierMoveOptions.builder()
                .bytesPerSecond(0)
                .concurrentFiles(options.concurrentFiles())
                .maxFilesPerRound(Math.max(n, 1))
                .build())
            .build();
        long s0 = System.nanoTime();
        MoveReport r = moves.round();
        double moved = (System.nanoTime() - s0) / 1e9;
        moves.close();
        if (r.moved() != n || r.failed() != 0) {
          throw new IllegalStateException(
              "moved " + r.moved() + " of " + n + ", " + r.failed() + " failed");
        }
        return new double[] {cp, cp + sync, moved};
      }
    } finally {
      deleteTree(hot);
      deleteTree(cold);
      deleteTree(cpTarget);
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        Files.deleteIfExists(Path.of(db + suffix));
      }
    }
  }

  private static MediaInfo media() {
    return new MediaInfo(
        Duration.ofSeconds(10),
        "mov,mp4,m4a,3gp,3g2,mj2",
        "h264",
        1920,
        1080,
        OptionalDouble.of(25),
        OptionalLong.empty(),
        Optional.empty());
  }

  private static double seconds(String... command) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " failed");
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
