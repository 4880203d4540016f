package io.heldar.examples.bench;

import io.heldar.core.index.IndexingOptions;
import io.heldar.core.index.ScanReport;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.model.Camera;
import io.heldar.core.probe.MediaProbes;
import io.heldar.ffmpeg.ExternalProcess;
import io.heldar.ffmpeg.FfmpegBinaries;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An archive of N files over C cameras (hard links to a few small real MP4 files, so a million
 * files take little disk), indexed by the real indexer on SQLite: what a tick costs when nothing is
 * new, what a complete listing (reconciliation) costs per file, how fast a cold backlog is indexed,
 * how long a new segment takes once it settles, and the heap at each step.
 */
public final class ArchiveBench {
  /** What to build and measure. */
  public record Options(
      int files, int cameras, Layout layout, Path work, int idleTicks, int coldRuns) {}

  /** How the archive is laid out. */
  public enum Layout {
    /** Heldar's own: every file of a camera in its directory. */
    FLAT,
    /** A directory per camera, then per day. */
    DAYS,
    /** Frigate's: {@code <day>/<hour>/<camera>/MM.SS.mp4}, the camera in the middle (one walk of the whole root). */
    FRIGATE
  }

  /** The figures. */
  public record Result(
      int files,
      double coldSecondsTotal,
      double coldRate,
      double idleTickMillisMedian,
      double idleCpuSecondsPerMinuteAt2s,
      double completeListingMicrosPerFile,
      double newSegmentMillisAfterSettle,
      long heapAfterColdMb,
      long heapAfterIdleMb) {}

  private static final DateTimeFormatter FLAT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'.'mp4'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAYS =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/yyyyMMdd'T'HHmmss'Z'.'mp4'").withZone(ZoneOffset.UTC);
  /** Hard links per template inode: far below ext4's 65,000 links per inode. */
  private static final int LINKS_PER_TEMPLATE = 50_000;

  private final Options options;
  private final PrintWriter out;

  /** A benchmark writing its progress and figures to {@code out}. */
  public ArchiveBench(Options options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  /** Builds the archive, measures, and returns the figures. */
  public Result run() throws IOException, InterruptedException {
    Path root = Files.createDirectories(options.work().resolve("root"));
    Path template = template(options.work());
    long t0 = System.nanoTime();
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    FileTime old = FileTime.from(Instant.now().minus(Duration.ofDays(1)));
    DateTimeFormatter names =
        switch (options.layout()) {
          case FLAT -> FLAT;
          case DAYS -> DAYS;
          case FRIGATE -> FRIGATE_NAMES;
        };
    Path source = null;
    for (int i = 0; i < options.files(); i++) {
      if (i % LINKS_PER_TEMPLATE == 0) {
        source = Files.copy(
            template, options.work().resolve("template-" + (i / LINKS_PER_TEMPLATE) + ".mp4"));
        Files.setLastModifiedTime(source, old);
      }
      int cam = i % options.cameras();
      Path f = path(root, names, cam, start.plusSeconds(2L * (i / options.cameras())));
      try {
        Files.createLink(f, source);
      } catch (java.nio.file.NoSuchFileException e) {
        Files.createDirectories(f.getParent());
        Files.createLink(f, source);
      } catch (FileAlreadyExistsException e) {
        // a rerun in the same directory
      }
    }
    ageDirectories(root, old);
    out.printf(
        Locale.ROOT,
        "bench archive: %,d files over %d cameras (%s layout) made in %.1f s, in %s%n",
        options.files(),
        options.cameras(),
        options.layout().name().toLowerCase(Locale.ROOT),
        (System.nanoTime() - t0) / 1e9,
        root);
    out.println(BenchMachine.describe());
    out.flush();

    try (SqliteHeldarStore store = SqliteHeldarStore.open(options.work().resolve("bench.db"))) {
      for (int c = 0; c < options.cameras(); c++) {
        store.cameras().add(Camera.of("cam" + c, Instant.now()));
      }
      String pattern =
          switch (options.layout()) {
            case FLAT -> "%Y%m%dT%H%M%SZ.mp4";
            case DAYS -> "%Y/%m/%d/%Y%m%dT%H%M%SZ.mp4";
            case FRIGATE -> io.heldar.core.index.SegmentNaming.FRIGATE_PATTERN;
          };
      SegmentIndexer.Builder builder = SegmentIndexer.builder()
          .store(store)
          .probe(MediaProbes.nativeMp4())
          .recordingsRoot(root)
          .options(IndexingOptions.builder()
              .naming(io.heldar.core.index.SegmentNaming.pattern(pattern, ZoneOffset.UTC))
              .settleTime(Duration.ofSeconds(1))
              .build());
      // Cold backlog: the first scan lists everything (and reconciles), probing and committing
      // every file.
      double coldSeconds;
      int indexed;
      double[] idleResult;
      try (SegmentIndexer indexer = builder.build()) {
        long c0 = System.nanoTime();
        indexed = indexer
            .scanOnce()
            .indexed(); // the report (every indexed path) is not kept: the heap figure is the
        // indexer's
        coldSeconds = (System.nanoTime() - c0) / 1e9;
        long heapCold = heapMb();
        out.printf(
            Locale.ROOT,
            "cold index: %,d segments in %.1f s = %,.0f segments/s; heap in use %d MB%n",
            indexed,
            coldSeconds,
            indexed / coldSeconds,
            heapCold);
        out.flush();

        // Idle ticks: nothing new; directories unchanged, so nothing is listed.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] ticks = new double[options.idleTicks()];
        long cpu0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < ticks.length; i++) {
          long s0 = System.nanoTime();
          ScanReport idle = indexer.scanOnce();
          ticks[i] = (System.nanoTime() - s0) / 1e6;
          if (idle.indexed() != 0) {
            throw new IllegalStateException("an idle tick indexed " + idle.indexed());
          }
        }
        double cpuPerTick = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9 / ticks.length;
        Arrays.sort(ticks);
        double median = ticks[ticks.length / 2];
        long heapIdle = heapMb();
        out.printf(
            Locale.ROOT,
            "idle tick (nothing new): median %.1f ms, max %.1f ms over %d ticks; CPU %.2f ms a tick = %.2f CPU-s a minute at 2 s;"
                + " heap in use %d MB%n",
            median,
            ticks[ticks.length - 1],
            ticks.length,
            cpuPerTick * 1000,
            cpuPerTick * 30,
            heapIdle);
        out.flush();

        // A new segment: written now, settles after 1 s; ticks every 200 ms until it is indexed.
        Path last =
            path(root, names, 0, start.plusSeconds(2L * (options.files() / options.cameras() + 1)));
        Files.createDirectories(last.getParent());
        Files.copy(template, last);
        Instant settles = Files.getLastModifiedTime(last).toInstant().plusSeconds(1);
        double latency = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
          if (indexer.scanOnce().indexed() == 1) {
            latency = Duration.between(settles, Instant.now()).toMillis();
            break;
          }
          Thread.sleep(200);
        }
        out.printf(
            Locale.ROOT,
            "new segment: indexed %.0f ms after it settled (ticks every 200 ms)%n",
            latency);

        out.flush();
        idleResult = new double[] {median, cpuPerTick * 30, latency, heapCold, heapIdle};
      }
      // A complete listing, as at start and at every reconciliation: every directory listed, every
      // file compared with its row, every row with the disk (a restarted indexer's first scan).
      double perFile;
      try (SegmentIndexer fresh = builder.build()) {
        long r0 = System.nanoTime();
        ScanReport complete = fresh.scanOnce();
        perFile = (System.nanoTime() - r0) / 1e3 / (options.files() + 1);
        if (complete.indexed() != 0) {
          throw new IllegalStateException("a complete listing indexed " + complete.indexed());
        }
        out.printf(
            Locale.ROOT,
            "complete listing and reconciliation (a restart's first scan): %.2f µs per file; heap in use %d MB%n",
            perFile,
            heapMb());
        out.flush();
      }
      // Further cold indexes of the same files into fresh databases: the first ran on a cold JIT;
      // the figure is the median of all.
      double[] rates = new double[Math.max(1, options.coldRuns())];
      rates[0] = indexed / coldSeconds;
      for (int r = 1; r < rates.length; r++) {
        Path db = options.work().resolve("bench-" + (r + 1) + ".db");
        try (SqliteHeldarStore again = SqliteHeldarStore.open(db)) {
          for (int c = 0; c < options.cameras(); c++) {
            again.cameras().add(Camera.of("cam" + c, Instant.now()));
          }
          try (SegmentIndexer cold = builder.store(again).build()) {
            long c0 = System.nanoTime();
            int n = cold.scanOnce().indexed();
            rates[r] = n / ((System.nanoTime() - c0) / 1e9);
          }
        } finally {
          for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(db.resolveSibling(db.getFileName() + suffix));
          }
        }
      }
      double coldRate = BenchMachine.median(rates);
      out.printf(
          Locale.ROOT,
          "cold index, median of %d run(s) into empty databases: %,.0f segments/s (runs: %s)%n",
          rates.length,
          coldRate,
          BenchMachine.each("%,.0f", rates));
      out.println("load average after: " + BenchMachine.loadAverage());
      out.flush();
      return new Result(
          indexed,
          coldSeconds,
          coldRate,
          idleResult[0],
          idleResult[1],
          perFile,
          idleResult[2],
          (long) idleResult[3],
          (long) idleResult[4]);
    }
  }

  private static final DateTimeFormatter FRIGATE_NAMES =
      DateTimeFormatter.ofPattern("yyyy-MM-dd/HH/'CAM'/mm.ss'.mp4'").withZone(ZoneOffset.UTC);

  private static Path path(Path root, DateTimeFormatter names, int camera, Instant at) {
    String name = names.format(at);
    return name.contains("CAM")
        ? root.resolve(name.replace("CAM", "cam" + camera))
        : root.resolve("cam" + camera).resolve(name);
  }

  /** Heap in use after a collection, in MB. */
  private static long heapMb() {
    System.gc();
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        used += pool.getUsage().getUsed();
      }
    }
    return used / (1024 * 1024);
  }

  private static void ageDirectories(Path root, FileTime old) throws IOException {
    try (var dirs = Files.walk(root)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        Files.setLastModifiedTime(d, old);
      }
    }
  }

  /** A small real 2 s MP4 (64×36 MPEG-4 at 5 fps), made by the ffmpeg Heldar finds. */
  private static Path template(Path work) throws IOException {
    Path out = work.resolve("template.mp4");
    ExternalProcess.Result r = ExternalProcess.run(
        List.of(
            FfmpegBinaries.ffmpeg().toString(),
            "-nostdin",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=64x36:rate=5",
            "-t",
            "2",
            "-c:v",
            "mpeg4",
            "-f",
            "mp4",
            out.toString()),
        Duration.ofSeconds(120),
        1 << 16,
        4096);
    if (r.exitCode() != 0) {
      throw new IOException("ffmpeg could not make the template: " + r.stderrTail());
    }
    return out;
  }
}
