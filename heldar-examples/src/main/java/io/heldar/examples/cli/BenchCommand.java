package io.heldar.examples.cli;

import io.heldar.core.index.ScanReport;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.model.Camera;
import io.heldar.core.model.Snapshot;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.runtime.HeldarRuntime;
import io.heldar.core.snapshot.SnapshotOptions;
import io.heldar.core.snapshot.SnapshotScheduler;
import io.heldar.examples.WorkDir;
import io.heldar.examples.bench.BenchMachine;
import io.heldar.ffmpeg.ExternalProcess;
import io.heldar.ffmpeg.FfmpegBinaries;
import io.heldar.ffmpeg.FfprobeMediaProbe;
import io.heldar.store.jdbi.JdbiHeldarStore;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heldar bench}: benchmarks anyone can rerun. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measure snapshots, indexing, timeline queries and the probe at scale (figures in docs/performance.md).",
    subcommands = {
      BenchCommand.Snapshots.class,
      BenchCommand.Index.class,
      BenchCommand.TimelineBench.class,
      BenchCommand.Fuzz.class,
      BenchCommand.Archive.class,
      BenchCommand.Http.class,
      BenchCommand.Cluster.class,
      BenchCommand.ClipsBench.class,
      BenchCommand.PageLoad.class,
      BenchCommand.Tiers.class,
      BenchCommand.Heal.class
    })
final class BenchCommand {

  /** {@code heldar bench snapshots}: many cameras on short schedules with an in-memory source. */
  @Command(
      name = "snapshots",
      mixinStandardHelpOptions = true,
      description = {
        "Snapshot N cameras on interval schedules and report slots fired, missed and how late.",
        "An in-memory JPEG source on the real scheduler, runtime, SQLite store and file writes (temp + fsync + rename +",
        "directory fsync); lateness of each capture's start behind its slot, and of its committed row."
      })
  static final class Snapshots implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
        names = "--cameras",
        paramLabel = "N",
        defaultValue = "1000",
        description = "Cameras, one schedule each (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(
        names = "--every",
        paramLabel = "DURATION",
        defaultValue = "1s",
        converter = DurationConverter.class,
        description = "Interval (default: ${DEFAULT-VALUE}).")
    Duration every;

    @Option(
        names = "--for",
        paramLabel = "DURATION",
        defaultValue = "60s",
        converter = DurationConverter.class,
        description = "Run time (default: ${DEFAULT-VALUE}).")
    Duration runFor;

    @Option(
        names = "--jpeg-bytes",
        paramLabel = "BYTES",
        defaultValue = "20000",
        description = "Size of each snapshot (default: ${DEFAULT-VALUE}).")
    int jpegBytes;

    @Option(
        names = "--capture-threads",
        paramLabel = "N",
        defaultValue = "16",
        description = "Capture parallelism (default: ${DEFAULT-VALUE}).")
    int threads;

    /** Heldar's snapshot write threads (its scheduler's internal constant): the floor's second line. */
    private static final int WRITE_THREADS = 16;

    @Option(
        names = "--no-fsync",
        description = "Skip file and directory fsyncs (to see what they cost; not crash-safe).")
    boolean noFsync;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Work directory (default: a new temp directory, deleted afterwards).")
    Path dir;

    @Option(
        names = "--runs",
        paramLabel = "N",
        defaultValue = "3",
        description =
            "Runs, each on a fresh database and directory; each figure is their median (default: ${DEFAULT-VALUE}).")
    int runs;

    /** One run's figures, in milliseconds behind the slot. */
    private record Run(
        long due,
        long fired,
        long missed,
        long stored,
        long failed,
        long firstSlotWorst,
        long startP50,
        long startP99,
        long startMax,
        long commitP50,
        long commitP99,
        long commitMax,
        long firstSlotCommitWorst) {}

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      WorkDir workDir = WorkDir.of(java.util.Optional.ofNullable(dir), "heldar-bench-");
      Path work = workDir.path();
      byte[] jpeg = new byte[Math.max(4, jpegBytes)];
      jpeg[0] = (byte) 0xff;
      jpeg[1] = (byte) 0xd8;
      jpeg[2] = (byte) 0xff;
      jpeg[jpeg.length - 2] = (byte) 0xff;
      jpeg[jpeg.length - 1] = (byte) 0xd9;
      try {
        out.printf(
            "bench snapshots: %d cameras every %s for %s, %d-byte JPEGs, %d capture threads, fsync %s, in %s, %d run(s)%n",
            cameras, every, runFor, jpeg.length, threads, noFsync ? "off" : "on", work, runs);
        out.println(BenchMachine.describe());
        for (int floorThreads : new int[] {4, WRITE_THREADS}) {
          double[] floor =
              fileSystemFloor(work.resolve("floor" + floorThreads), jpeg, floorThreads);
          out.printf(
              java.util.Locale.ROOT,
              "file system floor, %d threads: %d x (create a temp file in the camera's directory,"
                  + " write %d bytes%s) in %.0f ms; then renamed%s, all in %.0f ms%n",
              floorThreads,
              cameras,
              jpeg.length,
              noFsync ? "" : ", fsync",
              floor[0],
              noFsync ? "" : " and the directory fsynced",
              floor[1]);
        }
        out.flush();
        List<Run> all = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
          Run run = runOnce(java.nio.file.Files.createDirectories(work.resolve("run" + r)), jpeg);
          all.add(run);
          out.printf(
              "run %d: slots due %d, fired %d, missed %d, stored %d, failed %d; capture start p50 %d,"
                  + " p99 %d, max %d ms (first slot %d ms); row committed p50 %d, p99 %d, max %d ms"
                  + " (first slot %d ms)%n",
              r + 1,
              run.due(),
              run.fired(),
              run.missed(),
              run.stored(),
              run.failed(),
              run.startP50(),
              run.startP99(),
              run.startMax(),
              run.firstSlotWorst(),
              run.commitP50(),
              run.commitP99(),
              run.commitMax(),
              run.firstSlotCommitWorst());
          out.flush();
        }
        java.util.function.ToLongFunction<java.util.function.ToLongFunction<Run>> median = f -> {
          long[] v = all.stream().mapToLong(f).sorted().toArray();
          return v[v.length / 2];
        };
        out.printf(
            "capture start behind slot (ms, median of %d runs; every slot after the first, which"
                + " starts with a cold JIT): p50 %d, p99 %d, max %d; the first slot's latest %d%n",
            runs,
            median.applyAsLong(Run::startP50),
            median.applyAsLong(Run::startP99),
            median.applyAsLong(Run::startMax),
            median.applyAsLong(Run::firstSlotWorst));
        out.printf(
            "row committed behind slot (ms, median of %d runs; every slot after the first): p50 %d,"
                + " p99 %d, max %d; the first slot's latest %d%n",
            runs,
            median.applyAsLong(Run::commitP50),
            median.applyAsLong(Run::commitP99),
            median.applyAsLong(Run::commitMax),
            median.applyAsLong(Run::firstSlotCommitWorst));
        out.printf(
            "missed slots: %d of %d%n",
            all.stream().mapToLong(Run::missed).sum(),
            all.stream().mapToLong(Run::due).sum());
        out.println("load average after: " + BenchMachine.loadAverage());
        out.flush();
      } finally {
        workDir.close();
      }
      return 0;
    }

    /**
     * What the disk takes for one second's files without Heldar: {@code cameras} files created,
     * written and (unless --no-fsync) forced, on {@code threads} threads, in ms.
     */
    private double[] fileSystemFloor(Path floorDir, byte[] jpeg, int threads) throws Exception {
      // One directory per camera, made first (untimed), as Heldar's are by the second slot.
      List<Path> dirs = new ArrayList<>();
      for (int i = 0; i < cameras; i++) {
        dirs.add(java.nio.file.Files.createDirectories(floorDir.resolve("cam" + i)));
      }
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(threads);
      try {
        long t0 = System.nanoTime();
        List<java.util.concurrent.Future<Path>> written = new ArrayList<>();
        for (Path d : dirs) {
          written.add(pool.submit(() -> {
            Path temp = d.resolve(".f.jpg.tmp");
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(
                temp,
                java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
              ch.write(java.nio.ByteBuffer.wrap(jpeg));
              if (!noFsync) {
                ch.force(true);
              }
            }
            return temp;
          }));
        }
        List<Path> temps = new ArrayList<>();
        for (java.util.concurrent.Future<Path> w : written) {
          temps.add(w.get());
        }
        double writtenMs = (System.nanoTime() - t0) / 1e6;
        List<java.util.concurrent.Future<?>> renamed = new ArrayList<>();
        for (Path temp : temps) {
          renamed.add(pool.submit(() -> {
            java.nio.file.Files.move(
                temp, temp.resolveSibling("f.jpg"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            if (!noFsync) {
              try (java.nio.channels.FileChannel dir = java.nio.channels.FileChannel.open(
                  temp.getParent(), java.nio.file.StandardOpenOption.READ)) {
                dir.force(true);
              }
            }
            return null;
          }));
        }
        for (java.util.concurrent.Future<?> r : renamed) {
          r.get();
        }
        return new double[] {writtenMs, (System.nanoTime() - t0) / 1e6};
      } finally {
        pool.shutdown();
      }
    }

    private Run runOnce(Path work, byte[] jpeg) throws Exception {
      AtomicLong fired = new AtomicLong();
      AtomicLong missed = new AtomicLong();
      // Each capture's slot and how late it started, in ms.
      java.util.concurrent.ConcurrentLinkedQueue<long[]> starts =
          new java.util.concurrent.ConcurrentLinkedQueue<>();
      SnapshotScheduler.SlotObserver observer = new SnapshotScheduler.SlotObserver() {
        @Override
        public void fired(long id, Instant slot, Instant at) {
          fired.incrementAndGet();
          starts.add(new long[] {
            slot.toEpochMilli(), Math.max(0, Duration.between(slot, at).toMillis())
          });
        }

        @Override
        public void missed(long id, int count, String why) {
          missed.addAndGet(count);
        }
      };
      try (SqliteHeldarStore store = SqliteHeldarStore.open(work.resolve("bench.db"))) {
        Instant now = Instant.now();
        store.useTransaction(() -> {
          for (int i = 0; i < cameras; i++) {
            String id = String.format("cam%05d", i);
            store.cameras().add(Camera.of(id, now));
            store.snapshotSchedules().create(id, every, true, now);
          }
        });
        SnapshotScheduler scheduler = SnapshotScheduler.builder()
            .store(store)
            .source((cam, t) -> jpeg)
            .snapshotsRoot(work.resolve("snapshots"))
            .observer(observer)
            .options(SnapshotOptions.builder()
                .captureParallelism(threads)
                .fsync(!noFsync)
                .build())
            .build();
        HeldarRuntime runtime = HeldarRuntime.builder().build();
        // As Heldar runs it: a tick when the next slot is due (at least the tick interval apart),
        // not a poll every 10 ms.
        runtime.scheduleAdaptive(
            "snapshot-scheduler",
            Duration.ZERO,
            io.heldar.core.Heldar.Builder.DEFAULT_SNAPSHOT_TICK,
            Duration.ofSeconds(1),
            () -> {
              scheduler.fireDue();
              return scheduler.untilNextDue();
            });
        runtime.start();
        Thread.sleep(runFor.toMillis()); // a benchmark runs for a fixed wall time by definition
        runtime.stop();
        Instant stopped = Instant.now();
        scheduler.awaitIdle(Duration.ofSeconds(60));
        scheduler.close();

        long everyMs = every.toMillis();
        // Slots on the grid from the first slot at or after creation up to the stop instant, per
        // schedule.
        long first = Math.floorDiv(now.toEpochMilli() + everyMs - 1, everyMs);
        long last = Math.floorDiv(stopped.toEpochMilli(), everyMs);
        long slotsDue = Math.max(0, last - first + 1) * cameras;
        List<long[]> commitLag = new ArrayList<>(); // {slot, ms behind it}
        for (Camera c : store.cameras().list()) {
          for (Snapshot s : store.snapshots().all(c.id())) {
            long slot = Math.floorDiv(s.takenAt().toEpochMilli(), everyMs) * everyMs;
            commitLag.add(new long[] {slot, s.createdAt().toEpochMilli() - slot});
          }
        }
        // As for capture starts: the first slot's rows (cold JIT, every directory made) are
        // reported apart; with 1,000 cameras they are over 1 % of a minute's rows, so they would
        // be the p99 themselves.
        long firstCommitSlot = commitLag.stream().mapToLong(x -> x[0]).min().orElse(0);
        boolean laterSlots = commitLag.stream().anyMatch(x -> x[0] != firstCommitSlot);
        long firstSlotCommitWorst = commitLag.stream()
            .filter(x -> x[0] == firstCommitSlot)
            .mapToLong(x -> x[1])
            .max()
            .orElse(0);
        long[] lag = commitLag.stream()
            .filter(x -> !laterSlots || x[0] != firstCommitSlot)
            .mapToLong(x -> x[1])
            .sorted()
            .toArray();
        // The first slot runs every capture path for the first time: kept apart, not hidden.
        long firstSlotAt = starts.stream().mapToLong(x -> x[0]).min().orElse(0);
        long firstSlot = starts.stream()
            .filter(x -> x[0] == firstSlotAt)
            .mapToLong(x -> x[1])
            .max()
            .orElse(0);
        boolean more = starts.stream().anyMatch(x -> x[0] != firstSlotAt);
        AtomicLongArray h = new AtomicLongArray(60_001);
        starts.stream()
            .filter(x -> !more || x[0] != firstSlotAt)
            .forEach(x -> h.incrementAndGet((int) Math.min(60_000, x[1])));
        SnapshotScheduler.Stats st = scheduler.stats();
        return new Run(
            slotsDue,
            fired.get(),
            missed.get(),
            st.stored(),
            st.failed(),
            firstSlot,
            percentile(h, 0.50),
            percentile(h, 0.99),
            percentile(h, 1.0),
            lag.length == 0
                ? 0
                : lag[(int) Math.min(lag.length - 1, Math.floor(lag.length * 0.50))],
            lag.length == 0
                ? 0
                : lag[(int) Math.min(lag.length - 1, Math.floor(lag.length * 0.99))],
            lag.length == 0 ? 0 : lag[lag.length - 1],
            firstSlotCommitWorst);
      }
    }

    static long percentile(AtomicLongArray histogram, double q) {
      long total = 0;
      for (int i = 0; i < histogram.length(); i++) {
        total += histogram.get(i);
      }
      if (total == 0) {
        return 0;
      }
      long rank = Math.max(1, (long) Math.ceil(q * total));
      long seen = 0;
      for (int i = 0; i < histogram.length(); i++) {
        seen += histogram.get(i);
        if (seen >= rank) {
          return i;
        }
      }
      return (long) histogram.length() - 1;
    }
  }

  /** {@code heldar bench index}: cold index, rescan and the ffprobe comparison. */
  @Command(
      name = "index",
      mixinStandardHelpOptions = true,
      description = {
        "Index N real segment files cold, rescan them, and compare with ffprobe on a sample.",
        "Copies of one file made by ffmpeg across cameras, indexed with the native MP4 probe; a rescan, a scan of an",
        "empty root, and a sample indexed with one ffprobe per file."
      })
  static final class Index implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
        names = "--segments",
        paramLabel = "N",
        defaultValue = "20000",
        description = "Segment files (default: ${DEFAULT-VALUE}).")
    int segments;

    @Option(
        names = "--cameras",
        paramLabel = "N",
        defaultValue = "4",
        description = "Cameras they are spread over (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(
        names = "--ffprobe-sample",
        paramLabel = "N",
        defaultValue = "400",
        description = "Files indexed with ffprobe for the ratio (default: ${DEFAULT-VALUE}).")
    int ffprobeSample;

    @picocli.CommandLine.Mixin
    BenchDatabases.Option database;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Work directory (default: a new temp directory, deleted afterwards).")
    Path dir;

    @Option(
        names = "--runs",
        paramLabel = "N",
        defaultValue = "3",
        description =
            "Cold indexes of the files, each into a fresh database; the figure is their median (default: ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      WorkDir workDir = WorkDir.of(java.util.Optional.ofNullable(dir), "heldar-bench-index-");
      Path work = workDir.path();
      try (BenchDatabases databases = BenchDatabases.of(database.url(), work)) {
        byte[] template = makeTemplate(work);
        out.printf(
            "bench index: %d segments over %d cameras (copies of a %d-byte 2 s H.264 MP4), in %s; database: %s%n",
            segments, cameras, template.length, work, databases.describe());
        out.flush();
        Path root = Files.createDirectories(work.resolve("root"));
        writeSegments(root, template, segments, cameras, "cam");
        Path emptyRoot = Files.createDirectories(work.resolve("empty"));
        for (int c = 0; c < cameras; c++) {
          Files.createDirectories(emptyRoot.resolve("cam" + c));
        }
        Path sampleRoot = Files.createDirectories(work.resolve("sample"));
        writeSegments(sampleRoot, template, ffprobeSample, 1, "cam");

        out.println(BenchMachine.describe());
        double[] coldRates = new double[runs];
        // Every run indexes the same files into a fresh database, after an untimed one (the JIT's
        // warm-up): the figure a long-running indexer sees, as a median with every run printed.
        for (int run = 1; run < runs; run++) {
          try (JdbiHeldarStore fresh = databases.open("bench" + run)) {
            for (int c = 0; c < cameras; c++) {
              fresh.cameras().add(Camera.of("cam" + c, Instant.now()));
            }
          }
        }
        try (JdbiHeldarStore store = databases.open("bench");
            JdbiHeldarStore emptyStore = databases.open("empty");
            JdbiHeldarStore sampleStore = databases.open("sample");
            JdbiHeldarStore warmStore = databases.open("warm")) {
          for (int c = 0; c < cameras; c++) {
            store.cameras().add(Camera.of("cam" + c, Instant.now()));
            emptyStore.cameras().add(Camera.of("cam" + c, Instant.now()));
          }
          sampleStore.cameras().add(Camera.of("cam0", Instant.now()));
          for (int c = 0; c < cameras; c++) {
            warmStore.cameras().add(Camera.of("cam" + c, Instant.now()));
          }
          // JIT warm-up: the same files indexed once into a database of its own, untimed; the
          // figure below is the indexer's, not the JIT's.
          try (SegmentIndexer warm = indexer(warmStore, root, MediaProbes.nativeMp4())) {
            long w0 = System.nanoTime();
            int n = warm.scanOnce().indexed();
            out.printf(
                "warm-up: the %d segments indexed once into a database of its own in %.2f s"
                    + " (%.0f segments/s, not counted)%n",
                n, (System.nanoTime() - w0) / 1e9, n / ((System.nanoTime() - w0) / 1e9));
          }
          try (SegmentIndexer indexer = indexer(store, root, MediaProbes.nativeMp4());
              SegmentIndexer empty = indexer(emptyStore, emptyRoot, MediaProbes.nativeMp4());
              SegmentIndexer sample =
                  indexer(sampleStore, sampleRoot, FfprobeMediaProbe.onPath())) {
            long t0 = System.nanoTime();
            ScanReport cold = indexer.scanOnce();
            double coldSeconds = (System.nanoTime() - t0) / 1e9;
            coldRates[0] = cold.indexed() / coldSeconds;
            for (int run = 1; run < runs; run++) {
              try (JdbiHeldarStore fresh = databases.open("bench" + run);
                  SegmentIndexer again = indexer(fresh, root, MediaProbes.nativeMp4())) {
                long r0 = System.nanoTime();
                int n = again.scanOnce().indexed();
                if (n != segments) {
                  out.println("ERROR: run " + (run + 1) + " indexed " + n);
                  return 1;
                }
                coldRates[run] = n / ((System.nanoTime() - r0) / 1e9);
              }
            }
            double coldRate = BenchMachine.median(coldRates);
            out.printf(
                "cold index (native probe), %d files into an empty database: median %.0f segments/s"
                    + " (runs: %s, after the warm-up)%n",
                cold.indexed(), coldRate, BenchMachine.each("%.0f", coldRates));
            out.flush();

            t0 = System.nanoTime();
            ScanReport withFfprobe = sample.scanOnce();
            double ffSeconds = (System.nanoTime() - t0) / 1e9;
            double ffRate = withFfprobe.indexed() / ffSeconds;
            out.printf(
                "cold index (one ffprobe per file): %d indexed in %.2f s = %.0f segments/s; native is %.0fx faster%n",
                withFfprobe.indexed(), ffSeconds, ffRate, coldRate / ffRate);

            double rescan = medianSeconds(indexer, 5);
            double emptyScan = medianSeconds(empty, 5);
            out.printf(
                "rescan with no new files: %.3f s (median of 5); empty root: %.3f s; difference %.3f s%n",
                rescan, emptyScan, rescan - emptyScan);
            out.println("load average after: " + BenchMachine.loadAverage());
            out.flush();
            if (cold.indexed() != segments) {
              out.println("ERROR: expected " + segments + " indexed");
              return 1;
            }
          }
        }
      } finally {
        workDir.close();
      }
      return 0;
    }

    private static SegmentIndexer indexer(
        JdbiHeldarStore store, Path root, io.heldar.core.probe.MediaProbe probe) {
      return SegmentIndexer.builder()
          .store(store)
          .probe(probe)
          .recordingsRoot(root)
          .build();
    }

    private static double medianSeconds(SegmentIndexer indexer, int runs) {
      double[] t = new double[runs];
      for (int i = 0; i < runs; i++) {
        long t0 = System.nanoTime();
        ScanReport r = indexer.scanOnce();
        t[i] = (System.nanoTime() - t0) / 1e9;
        if (r.indexed() != 0) {
          throw new IllegalStateException("a rescan indexed " + r.indexed());
        }
      }
      java.util.Arrays.sort(t);
      return t[runs / 2];
    }

    private static void writeSegments(Path root, byte[] template, int n, int cameras, String prefix)
        throws IOException {
      Instant start = Instant.parse("2026-01-01T00:00:00Z");
      java.nio.file.attribute.FileTime old =
          java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(3600));
      for (int i = 0; i < n; i++) {
        int cam = i % cameras;
        Instant at = start.plusSeconds(2L * (i / cameras));
        Path f = root.resolve(prefix + cam).resolve(NAME.format(at));
        Files.createDirectories(f.getParent());
        Files.write(f, template);
        Files.setLastModifiedTime(f, old);
      }
    }

    private static final java.time.format.DateTimeFormatter NAME =
        java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'.'mp4'")
            .withZone(java.time.ZoneOffset.UTC);

    /** One real 2 s segment from the ffmpeg Heldar finds (system or bundled), with the first H.264 encoder it has. */
    static byte[] makeTemplate(Path work) throws IOException {
      Path out = work.resolve("template.mp4");
      String ffmpeg = FfmpegBinaries.ffmpeg().toString();
      for (String encoder : List.of("libx264", "libopenh264", "mpeg4")) {
        ExternalProcess.Result r = ExternalProcess.run(
            List.of(
                ffmpeg,
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=320x240:rate=25",
                "-t",
                "2",
                "-c:v",
                encoder,
                "-b:v",
                "300k",
                "-pix_fmt",
                "yuv420p",
                "-f",
                "mp4",
                out.toString()),
            Duration.ofSeconds(120),
            1 << 16,
            4096);
        if (r.exitCode() == 0 && Files.size(out) > 0) {
          return Files.readAllBytes(out);
        }
      }
      throw new IOException("ffmpeg could not encode a test segment");
    }
  }

  /** {@code heldar bench timeline}: range queries, day summaries and retention planning on a large index. */
  @Command(
      name = "timeline",
      mixinStandardHelpOptions = true,
      description = {
        "Time timeline queries and retention planning on one camera with N segments.",
        "N 2 s segments (1,000,000 = 23 days) in SQLite (or --db PostgreSQL) with a gap every 5,000 segments: a one-hour range query,",
        "a 30-day per-day summary and planning a sweep of 100,000 deletions."
      })
  static final class TimelineBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
        names = "--segments",
        paramLabel = "N",
        defaultValue = "1000000",
        description = "Segments (default: ${DEFAULT-VALUE}).")
    int segments;

    @Option(
        names = "--deletions",
        paramLabel = "N",
        defaultValue = "100000",
        description = "Deletions the retention plan must find (default: ${DEFAULT-VALUE}).")
    int deletions;

    @picocli.CommandLine.Mixin
    BenchDatabases.Option database;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Work directory (default: a new temp directory, deleted afterwards).")
    Path dir;

    @picocli.CommandLine.Mixin
    RunsOption runsOption;

    @Override
    public Integer call() throws Exception {
      int runs = runsOption.get();
      PrintWriter out = spec.commandLine().getOut();
      WorkDir workDir = WorkDir.of(java.util.Optional.ofNullable(dir), "heldar-bench-timeline-");
      Path work = workDir.path();
      Instant t0 = Instant.parse("2026-10-01T00:00:00Z");
      long b0 = System.nanoTime();
      int gaps = 0;
      BenchDatabases databases = BenchDatabases.of(database.url(), work);
      try (JdbiHeldarStore store = databases.open("bench")) {
        store.cameras().add(Camera.of("cam", t0));
        io.heldar.core.model.MediaInfo media = new io.heldar.core.model.MediaInfo(
            Duration.ofSeconds(2),
            "mov,mp4,m4a,3gp,3g2,mj2",
            "h264",
            1920,
            1080,
            java.util.OptionalDouble.of(25),
            java.util.OptionalLong.of(4_000_000),
            java.util.Optional.empty());
        List<io.heldar.core.model.Segment> batch = new ArrayList<>();
        for (int i = 0; i < segments; i++) {
          Instant start = t0.plusSeconds(2L * i);
          if (i % 5000 == 4999) {
            gaps++;
            continue; // a missing segment; its gap row is written below
          }
          batch.add(io.heldar.core.model.Segment.of(
              "cam", "cam/" + start.getEpochSecond() + ".mp4", start, media, 1_000_000, start, t0));
          if (batch.size() == 20_000) {
            flush(store, batch);
          }
        }
        flush(store, batch);
        for (int g = 0; g < gaps; g++) {
          Instant holeStart = t0.plusSeconds(2L * (5000L * g + 4999));
          store
              .gaps()
              .insertOpen(
                  "cam",
                  holeStart,
                  holeStart.plusSeconds(2),
                  io.heldar.core.model.GapCause.MISSING,
                  t0);
        }
      }
      // Reopen: closing checkpoints the write-ahead log, so the queries below measure reads, not
      // the
      // background checkpoint of a million fresh rows.
      double built = (System.nanoTime() - b0) / 1e9;
      databases.settle("bench");
      try (databases;
          JdbiHeldarStore store = databases.open("bench")) {
        out.printf(
            "bench timeline: %d segments (%d days) and %d gaps built in %.1f s; database: %s%n",
            store.segments().count("cam"),
            Duration.ofSeconds(2L * segments).toDays(),
            gaps,
            built,
            databases.describe());
        out.flush();

        out.println(BenchMachine.describe());
        out.flush();
        io.heldar.core.timeline.Timeline timeline = new io.heldar.core.timeline.Timeline(store);
        // A policy under which exactly the oldest `deletions` segments (give or take the skipped
        // ones) are too old.
        Instant cutoff = t0.plusSeconds(2L * deletions + 1);
        io.heldar.core.retention.RetentionSweeper sweeper =
            io.heldar.core.retention.RetentionSweeper.builder()
                .store(store)
                .recordingsRoot(work)
                .policy(io.heldar.core.retention.RetentionPolicy.builder()
                    .maxAge(Duration.between(cutoff, Instant.now()))
                    .maxDeleteShare(1.0)
                    .build())
                .build();
        Instant footageEnd = t0.plusSeconds(2L * segments);
        io.heldar.core.tier.StorageTiers twoTiers = io.heldar.core.tier.StorageTiers.of(
            io.heldar.core.tier.StorageTier.builder("hot", work)
                .moveAfter(Duration.ofDays(2))
                .build(),
            io.heldar.core.tier.StorageTier.builder(
                    "cold",
                    java.nio.file.Files.createDirectories(
                        work.resolveSibling(work.getFileName() + "-cold")))
                .build());
        // Each run measures every figure (after its own warm-up); the figure is the median of the
        // runs' medians, and each run's is printed, so noise on a shared machine shows.
        // On SQLite, the floor of the spans query beside it in every run: the same statement in
        // plain JDBC, prepared once, on a connection of its own. This machine's speed changes by
        // up to 2x from minute to minute; the floor moves with it, so the two read together.
        java.util.Optional<java.sql.Connection> plain = databases
            .sqliteFile("bench")
            .map(f -> {
              try {
                return java.sql.DriverManager.getConnection("jdbc:sqlite:" + f);
              } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot open " + f + ": " + e.getMessage(), e);
              }
            });
        String[] names = {
          "spans",
          "spans p95",
          "spans floor",
          "whole",
          "whole p95",
          "daily",
          "plan",
          "forecast 2 tiers",
          "forecast"
        };
        double[][] fig = new double[names.length][runs];
        int rows = 0;
        int days = 0;
        int planned = 0;
        java.time.ZoneId zone = java.time.ZoneId.of("Europe/Berlin");
        java.time.LocalDate firstDay = java.time.LocalDate.of(2026, 10, 1);
        for (int run = 0; run < runs; run++) {
          // Spans and whole segments are timed in separate loops over the same ranges.
          double[] range = new double[300];
          double[] whole = new double[300];
          int[] spanCounts = new int[300];
          int wholeRows = 0;
          for (int pass = 0; pass < 2; pass++) {
            java.util.Random random = new java.util.Random(1);
            double[] times = pass == 0 ? range : whole;
            for (int i = 0; i < times.length + 50; i++) {
              Instant from =
                  t0.plusSeconds(random.nextInt((int) Math.max(1, 2L * segments - 3600)));
              long q0 = System.nanoTime();
              int n = pass == 0
                  ? timeline
                      .spans("cam", from, from.plusSeconds(3600), 5000, java.util.Optional.empty())
                      .spans()
                      .size()
                  : timeline
                      .segments(
                          "cam", from, from.plusSeconds(3600), 5000, java.util.Optional.empty())
                      .segments()
                      .size();
              if (i >= 50) {
                times[i - 50] = (System.nanoTime() - q0) / 1e6;
                if (pass == 0) {
                  rows = n;
                  spanCounts[i - 50] = n;
                } else {
                  wholeRows = n;
                }
              }
            }
          }
          if (rows != wholeRows) {
            throw new IllegalStateException(
                "spans and segments disagree: " + rows + " vs " + wholeRows);
          }
          double[] floor = plain.isPresent()
              ? plainSpans(plain.get(), t0, segments, spanCounts)
              : new double[] {Double.NaN};
          double[] daily = new double[20];
          for (int i = 0; i < daily.length + 3; i++) {
            long q0 = System.nanoTime();
            days = timeline.daily("cam", firstDay, firstDay.plusDays(29), zone).size();
            if (i >= 3) {
              daily[i - 3] = (System.nanoTime() - q0) / 1e6;
            }
          }
          double[] plan = new double[5];
          for (int i = 0; i < plan.length + 1; i++) {
            long q0 = System.nanoTime();
            planned = sweeper.plan().segments().size();
            if (i >= 1) {
              plan[i - 1] = (System.nanoTime() - q0) / 1e6;
            }
          }
          // The storage forecast at the end of the footage: a week of roll-ups, never the
          // segments; then with two tiers, whose bytes per camera are read too.
          double[] forecast =
              timeForecast(store, io.heldar.core.tier.StorageTiers.of(work), footageEnd);
          double[] tiered = timeForecast(store, twoTiers, footageEnd);
          double[] perRun = {
            BenchMachine.quantile(range, 0.5),
            BenchMachine.quantile(range, 0.95),
            BenchMachine.quantile(floor, 0.5),
            BenchMachine.quantile(whole, 0.5),
            BenchMachine.quantile(whole, 0.95),
            BenchMachine.quantile(daily, 0.5),
            BenchMachine.quantile(plan, 0.5),
            BenchMachine.quantile(tiered, 0.5),
            BenchMachine.quantile(forecast, 0.5)
          };
          for (int k = 0; k < names.length; k++) {
            fig[k][run] = perRun[k];
          }
        }
        java.nio.file.Files.deleteIfExists(twoTiers.all().get(1).root());
        java.util.function.IntFunction<String> line = k -> String.format(
            java.util.Locale.ROOT,
            "median %.2f ms (runs: %s)",
            BenchMachine.median(fig[k]),
            BenchMachine.each("%.2f", fig[k]));
        out.printf(
            "one-hour range query (%d segment spans, 300 queries a run): %s; p95 %s%n",
            rows, line.apply(0), line.apply(1));
        if (plain.isPresent()) {
          out.printf(
              "  its floor, the same SQL in plain JDBC (prepared once, path read as bytes): %s%n",
              line.apply(2));
          plain.get().close();
        }
        out.printf(
            "one-hour range query, whole segments (all 16 columns): %s; p95 %s%n",
            line.apply(3), line.apply(4));
        out.printf("30-day per-day summary (%d days, %s): %s%n", days, zone, line.apply(5));
        out.printf("retention plan (%d deletions): %s%n", planned, line.apply(6));
        out.printf("storage forecast with two tiers: %s%n", line.apply(7));
        out.printf("storage forecast (a week of 15-minute roll-ups): %s%n", line.apply(8));
        out.println("load average after: " + BenchMachine.loadAverage());
        out.flush();
      } finally {
        workDir.close();
      }
      return 0;
    }

    /** A span as the floor query reads it. */
    private record PlainSpan(String path, long start, long end, long size) {}

    /**
     * 300 one-hour span queries (after 50 to warm up) over the same ranges as Heldar's, in plain
     * JDBC on {@code c}: milliseconds each. Each must return as many rows as Heldar's query of the
     * same range did ({@code counts}).
     */
    private static double[] plainSpans(
        java.sql.Connection c, Instant t0, int segments, int[] counts)
        throws java.sql.SQLException {
      double[] ms = new double[300];
      java.util.Random random = new java.util.Random(1);
      try (java.sql.PreparedStatement ps = c.prepareStatement(
          "SELECT path, start_time, end_time, size_bytes FROM segments WHERE camera_id = ?"
              + " AND start_time < ? AND end_time > ? AND start_time >= ?"
              + " ORDER BY start_time, path LIMIT ?")) {
        for (int i = 0; i < ms.length + 50; i++) {
          long from = t0.plusSeconds(random.nextInt((int) Math.max(1, 2L * segments - 3600)))
              .toEpochMilli();
          long q0 = System.nanoTime();
          ps.setString(1, "cam");
          ps.setLong(2, from + 3_600_000);
          ps.setLong(3, from);
          ps.setLong(4, from - 2000); // the longest segment is 2 s
          ps.setInt(5, 5001);
          List<PlainSpan> out = new ArrayList<>();
          try (java.sql.ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(new PlainSpan(
                  new String(rs.getBytes(1), java.nio.charset.StandardCharsets.UTF_8),
                  rs.getLong(2),
                  rs.getLong(3),
                  rs.getLong(4)));
            }
          }
          if (i >= 50) {
            ms[i - 50] = (System.nanoTime() - q0) / 1e6;
            if (out.size() != counts[i - 50]) {
              throw new IllegalStateException(
                  "the floor query read " + out.size() + " spans, Heldar " + counts[i - 50]);
            }
          }
        }
      }
      return ms;
    }

    private static void flush(JdbiHeldarStore store, List<io.heldar.core.model.Segment> batch) {
      if (!batch.isEmpty()) {
        store.useTransaction(() -> store
            .cameraStats()
            .addIndexed("cam", store.segments().insertAll(batch), Instant.now()));
        batch.clear();
      }
    }
  }

  /** 20 timed forecasts (after 3 to warm up) under a 30-day age limit, in milliseconds. */
  private static double[] timeForecast(
      io.heldar.core.store.HeldarStore store, io.heldar.core.tier.StorageTiers tiers, Instant at)
      throws java.io.IOException {
    double[] ms = new double[20];
    for (int i = 0; i < ms.length + 3; i++) {
      long q0 = System.nanoTime();
      io.heldar.core.retention.StorageForecast.compute(
          store,
          io.heldar.core.retention.RetentionPolicy.builder()
              .maxAge(Duration.ofDays(30))
              .build(),
          tiers,
          io.heldar.core.retention.DiskSpace.fileStore(),
          at);
      if (i >= 3) {
        ms[i - 3] = (System.nanoTime() - q0) / 1e6;
      }
    }
    return ms;
  }

  /** {@code heldar bench fuzz}: the native probe against mutants of real ffmpeg files, from a seed. */
  @Command(
      name = "fuzz",
      mixinStandardHelpOptions = true,
      description = {
        "Probe seeded mutants of real MP4 files natively and report what the probe decided.",
        "Real files made by ffmpeg (plain, faststart, fragmented): decisions, slowest probe, p99, most bytes one",
        "probe allocated."
      })
  static final class Fuzz implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--mutants",
        paramLabel = "N",
        defaultValue = "2500",
        description = "Mutants to probe (default: ${DEFAULT-VALUE}).")
    int mutants;

    @Option(
        names = "--seed",
        paramLabel = "N",
        defaultValue = "1",
        description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @picocli.CommandLine.Mixin
    RunsOption runsOption;

    @Override
    public Integer call() throws Exception {
      int runs = runsOption.get();
      java.io.PrintWriter out = spec.commandLine().getOut();
      out.println(BenchMachine.describe());
      try (WorkDir workDir = WorkDir.of(java.util.Optional.empty(), "heldar-bench-fuzz-")) {
        Path work = workDir.path();
        List<byte[]> seeds = new java.util.ArrayList<>();
        String ffmpeg = FfmpegBinaries.ffmpeg().toString();
        for (List<String> flags : List.of(
            List.<String>of(),
            List.of("-movflags", "+faststart"),
            List.of("-movflags", "frag_keyframe+empty_moov+default_base_moof"))) {
          Path f = work.resolve("seed-" + seeds.size() + ".mp4");
          List<String> cmd = new java.util.ArrayList<>(List.of(
              ffmpeg,
              "-nostdin",
              "-loglevel",
              "error",
              "-y",
              "-f",
              "lavfi",
              "-i",
              "testsrc2=size=320x240:rate=25",
              "-f",
              "lavfi",
              "-i",
              "sine=frequency=440",
              "-t",
              "2",
              "-c:v",
              "mpeg4",
              "-c:a",
              "aac",
              "-shortest"));
          cmd.addAll(flags);
          cmd.addAll(List.of("-f", "mp4", f.toString()));
          ExternalProcess.Result r =
              ExternalProcess.run(cmd, Duration.ofSeconds(120), 1 << 16, 4096);
          if (r.exitCode() != 0) {
            throw new IOException("ffmpeg could not make a seed file: " + r.stderrTail());
          }
          seeds.add(Files.readAllBytes(f));
        }
        // The same mutants each run (one seed): the decisions must repeat exactly; the timings are
        // the runs' medians.
        io.heldar.examples.bench.RunFigures figures = new io.heldar.examples.bench.RunFigures();
        io.heldar.examples.bench.ProbeFuzzer.Result r = null;
        for (int run = 0; run < runs; run++) {
          long t0 = System.nanoTime();
          io.heldar.examples.bench.ProbeFuzzer.Result once =
              io.heldar.examples.bench.ProbeFuzzer.run(
                  seeds, mutants, seed, work, io.heldar.core.probe.MediaProbes.nativeMp4());
          double took = (System.nanoTime() - t0) / 1e9;
          out.printf(
              java.util.Locale.ROOT,
              "run %d: %d mutants (seed %d) in %.1f s: %d accepted, %d implausible (never indexed), "
                  + "%d refused by the probe, %d unexpected; slowest probe %.2f ms, p99 %.2f ms,"
                  + " most allocated by one probe %.1f KiB%n",
              run + 1,
              once.mutants(),
              seed,
              took,
              once.accepted(),
              once.implausible(),
              once.refused(),
              once.unexpected().size(),
              once.maxMillis(),
              once.p99Millis(),
              once.maxAllocatedBytes() / 1024.0);
          out.flush();
          if (r != null
              && (r.accepted() != once.accepted()
                  || r.implausible() != once.implausible()
                  || r.refused() != once.refused())) {
            throw new IllegalStateException(
                "the probe decided differently on the same mutants in run " + (run + 1));
          }
          r = once;
          figures
              .add("seconds", took)
              .add("slowest probe ms", once.maxMillis())
              .add("p99 ms", once.p99Millis())
              .add("most allocated by one probe KiB", once.maxAllocatedBytes() / 1024.0);
        }
        figures.print(out, "median of " + runs + " run(s)", "%.2f");
        r.unexpected().forEach(u -> out.println("  unexpected: " + u));
        out.println("load average after: " + BenchMachine.loadAverage());
        out.flush();
        return r.unexpected().isEmpty() ? 0 : 1;
      }
    }
  }

  /** {@code heldar bench archive}: the cost of steady-state indexing on a large archive. */
  @Command(
      name = "archive",
      mixinStandardHelpOptions = true,
      description = {
        "Measure what indexing costs on an archive of N files once it is indexed.",
        "Hard links to small real MP4 files over C cameras: the cold backlog, a tick with nothing new (time, CPU),",
        "a new segment's delay after it settles, a complete listing per file, and the heap; run it with -Xmx256m."
      })
  static final class Archive implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
        names = "--files",
        paramLabel = "N",
        defaultValue = "100000",
        description = "Files in the archive (default: ${DEFAULT-VALUE}).")
    int files;

    @Option(
        names = "--cameras",
        paramLabel = "N",
        defaultValue = "16",
        description = "Cameras they are spread over (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(
        names = "--layout",
        paramLabel = "flat|days|frigate",
        defaultValue = "flat",
        description =
            "flat: every file of a camera in its directory; days: a directory per camera and day; frigate: day/hour/camera"
                + " (default: ${DEFAULT-VALUE}).")
    String layout;

    @Option(
        names = "--ticks",
        paramLabel = "N",
        defaultValue = "20",
        description = "Idle ticks measured (default: ${DEFAULT-VALUE}).")
    int ticks;

    @Option(
        names = "--runs",
        paramLabel = "N",
        defaultValue = "3",
        description =
            "Cold indexes of the archive, each into an empty database; the figure is their median (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Work directory (default: a new temp directory, deleted afterwards).")
    Path dir;

    @Override
    public Integer call() throws Exception {
      io.heldar.examples.bench.ArchiveBench.Layout chosen;
      try {
        chosen = io.heldar.examples.bench.ArchiveBench.Layout.valueOf(
            layout.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--layout must be flat, days or frigate");
      }
      try (WorkDir work = WorkDir.of(java.util.Optional.ofNullable(dir), "heldar-bench-archive-")) {
        new io.heldar.examples.bench.ArchiveBench(
                new io.heldar.examples.bench.ArchiveBench.Options(
                    files, cameras, chosen, work.path(), ticks, runs),
                spec.commandLine().getOut())
            .run();
      }
      return 0;
    }
  }

  /** {@code heldar bench http}: the HTTP API under slow connections and under load. */
  @Command(
      name = "http",
      mixinStandardHelpOptions = true,
      description = {
        "Measure the HTTP API over loopback, under slow connections and under load.",
        "/health with 4 idle and with 300 slow connections open, then C keep-alive clients for S seconds over N",
        "segments (req/s, latency percentiles). Serves the API as heldar run --http does, or measures --url (a",
        "server running on this bench's database, kept with --dir)."
      })
  static final class Http implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
        names = "--segments",
        paramLabel = "N",
        defaultValue = "1000000",
        description = "Segments (default: ${DEFAULT-VALUE}).")
    int segments;

    @Option(
        names = "--cameras",
        paramLabel = "N",
        defaultValue = "10",
        description = "Cameras they are spread over (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(
        names = "--clients",
        paramLabel = "C",
        defaultValue = "20",
        description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(
        names = "--seconds",
        paramLabel = "S",
        defaultValue = "30",
        description = "Length of the load phase (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(
        names = "--url",
        paramLabel = "URL",
        description =
            "Measure this server (running on the database in --dir) instead of starting one.")
    java.net.URI url;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Work directory, kept (default: a new temp directory, deleted afterwards).")
    Path dir;

    @picocli.CommandLine.Mixin
    RunsOption runsOption;

    @Override
    public Integer call() throws Exception {
      int runs = runsOption.get();
      spec.commandLine().getOut().println(BenchMachine.describe());
      if (segments < cameras || cameras < 1 || clients < 1 || seconds < 1) {
        throw new IllegalArgumentException(
            "--segments must be at least --cameras, and --cameras, --clients, --seconds positive");
      }
      try (WorkDir work = WorkDir.of(java.util.Optional.ofNullable(dir), "heldar-bench-http-")) {
        new io.heldar.examples.bench.HttpBench(
                new io.heldar.examples.bench.HttpBench.Options(
                    segments,
                    cameras,
                    clients,
                    seconds,
                    work.path(),
                    java.util.Optional.ofNullable(url),
                    runs),
                spec.commandLine().getOut())
            .run();
      }
      return 0;
    }
  }

  /** {@code heldar bench cluster}: leases and snapshots of many cameras over cluster nodes. */
  @Command(
      name = "cluster",
      mixinStandardHelpOptions = true,
      description = {
        "Measure cluster mode at scale on a PostgreSQL server, against the same load without it.",
        "For each camera count and node count: every camera on a snapshot schedule (an in-memory JPEG), K nodes in",
        "this JVM with pools of their own; time until every lease is held, leases lost, lease statements per second",
        "per node, snapshots per second and how late; then one node without cluster mode on the same load."
      })
  static final class Cluster implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
        names = "--db",
        required = true,
        paramLabel = "URL",
        description = "The PostgreSQL server (schemas of their own, dropped afterwards).")
    String db;

    @Option(
        names = "--cameras",
        paramLabel = "N,N",
        split = ",",
        defaultValue = "1000,5000,10000",
        description = "Camera counts (default: ${DEFAULT-VALUE}).")
    List<Integer> cameras;

    @Option(
        names = "--nodes",
        paramLabel = "K,K",
        split = ",",
        defaultValue = "1,2,3",
        description =
            "Node counts; 0 is one node without cluster mode (default: ${DEFAULT-VALUE}).")
    List<Integer> nodes;

    @Option(
        names = "--every",
        paramLabel = "DURATION",
        defaultValue = "10s",
        converter = DurationConverter.class,
        description = "Snapshot interval (default: ${DEFAULT-VALUE}).")
    Duration every;

    @Option(
        names = "--for",
        paramLabel = "DURATION",
        defaultValue = "60s",
        converter = DurationConverter.class,
        description = "Length of each run (default: ${DEFAULT-VALUE}).")
    Duration runFor;

    @Option(
        names = "--lease",
        paramLabel = "DURATION",
        defaultValue = "10s",
        converter = DurationConverter.class,
        description = "Lease (renewal every third of it; default: ${DEFAULT-VALUE}).")
    Duration lease;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Work directory (default: a new temp directory, deleted afterwards).")
    Path dir;

    @picocli.CommandLine.Mixin
    RunsOption runsOption;

    @Override
    public Integer call() throws Exception {
      int runs = runsOption.get();
      PrintWriter out = spec.commandLine().getOut();
      out.println(BenchMachine.describe());
      try (WorkDir work = WorkDir.of(java.util.Optional.ofNullable(dir), "heldar-bench-cluster-");
          BenchDatabases databases = BenchDatabases.of(java.util.Optional.of(db), work.path())) {
        out.printf(
            "bench cluster on %s; snapshots every %s, runs of %s, lease %s%n",
            databases.describe(), every, runFor, lease);
        out.flush();
        ClusterBench bench = new ClusterBench(databases, work.path(), every, runFor, lease, out);
        for (int c : cameras) {
          for (int k : nodes) {
            io.heldar.examples.bench.RunFigures figures = new io.heldar.examples.bench.RunFigures();
            for (int r = 0; r < runs; r++) {
              bench.run(new ClusterBench.Run(c, k), r, figures);
            }
            figures.print(
                out,
                String.format(
                    java.util.Locale.ROOT,
                    "%d cameras, %s, median of %d run(s)",
                    c,
                    k == 0 ? "no cluster" : k + " node(s)",
                    runs),
                "%.1f");
          }
        }
        out.println("load average after: " + BenchMachine.loadAverage());
      }
      return 0;
    }
  }

  /** {@code heldar bench clips}: exports of growing length against cat and ffmpeg concat. */
  @Command(
      name = "clips",
      mixinStandardHelpOptions = true,
      description = {
        "Export clips of growing length and measure them against cat and ffmpeg.",
        "Clips from 2 s segments indexed in SQLite, progressive and fragmented: throughput against cat of the same files",
        "(and a sync) and ffmpeg -f concat -c copy, peak heap, and the first byte of the HTTP clip. Run it with -Xmx64m",
        "to check a day's clip fits in 64 MB of heap."
      })
  static final class ClipsBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
        names = "--hours",
        paramLabel = "H,H...",
        split = ",",
        defaultValue = "0.1,1,10",
        description = "Clip lengths in hours of footage (default: ${DEFAULT-VALUE}).")
    List<Double> hours;

    @Option(
        names = "--link-above",
        paramLabel = "H",
        defaultValue = "1",
        description =
            "Longer clips use hard links to one segment, not copies (default: ${DEFAULT-VALUE}).")
    double linkAbove;

    @Option(
        names = "--ffmpeg-max",
        paramLabel = "H",
        defaultValue = "1",
        description = "Compare with ffmpeg concat up to this length (default: ${DEFAULT-VALUE}).")
    double ffmpegMax;

    @Option(
        names = "--video-kbps",
        paramLabel = "N",
        defaultValue = "1500",
        description = "The segments' video bit rate (default: ${DEFAULT-VALUE}).")
    int videoKbps;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Work directory, kept (default: a new temp directory, deleted afterwards).")
    Path dir;

    @picocli.CommandLine.Mixin
    RunsOption runsOption;

    @Override
    public Integer call() throws Exception {
      int runs = runsOption.get();
      spec.commandLine().getOut().println(BenchMachine.describe());
      try (WorkDir work = WorkDir.of(java.util.Optional.ofNullable(dir), "heldar-bench-clips-")) {
        new io.heldar.examples.bench.ClipBench(
                new io.heldar.examples.bench.ClipBench.Options(
                    hours, linkAbove, ffmpegMax, work.path(), videoKbps, runs),
                spec.commandLine().getOut())
            .run();
      }
      return 0;
    }
  }

  /** {@code heldar bench tiers}: verified tier moves against cp of the same files. */
  @Command(
      name = "tiers",
      mixinStandardHelpOptions = true,
      description = {
        "Move files from one tier to another and measure it against cp of the same files.",
        "The files are indexed in SQLite and moved by one round of tier moves (copy, fsync, read back and",
        "compare by SHA-256, rename, commit, unlink); cp -r copies them alone, then followed by sync -f."
      })
  static final class Tiers implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
        names = "--files",
        paramLabel = "N,N...",
        split = ",",
        defaultValue = "10,100,1000",
        description = "File counts, one run each (default: ${DEFAULT-VALUE}).")
    List<Integer> files;

    @Option(
        names = "--size",
        paramLabel = "SIZE",
        defaultValue = "4MB",
        description = "Size of each file (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(
        names = "--from",
        paramLabel = "DIR",
        description = "Where the hot tier is made (default: a new temp directory).")
    Path from;

    @Option(
        names = "--to",
        paramLabel = "DIR",
        description = "Where the cold tier and cp's copy are made (default: the --from directory).")
    Path to;

    @Option(
        names = "--concurrent-files",
        paramLabel = "N",
        defaultValue = "2",
        description = "Files the mover copies at once (default: ${DEFAULT-VALUE}).")
    int concurrentFiles;

    @Option(
        names = {"--runs", "--repeats"},
        paramLabel = "N",
        defaultValue = "3",
        description = "Runs per count; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Override
    public Integer call() throws Exception {
      try (WorkDir work = WorkDir.of(java.util.Optional.ofNullable(from), "heldar-bench-tiers-")) {
        new io.heldar.examples.bench.TierMoveBench(
                new io.heldar.examples.bench.TierMoveBench.Options(
                    files,
                    ByteSizeConverter.parse(size),
                    work.path(),
                    to != null ? to : work.path(),
                    concurrentFiles,
                    repeats),
                spec.commandLine().getOut())
            .run();
      }
      return 0;
    }
  }

  /** {@code heldar bench heal}: seconds of footage healed a minute against the edge's bandwidth. */
  @Command(
      name = "heal",
      mixinStandardHelpOptions = true,
      description = {
        "Heal a gap from a local HTTP edge and measure the seconds of footage healed a minute.",
        "The edge (MediaMTX's /get shape) sends ffmpeg-made H.264 at each given bandwidth; the healer",
        "fetches a chunk a round and the indexer indexes it, until the gap is closed."
      })
  static final class Heal implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
        names = "--bandwidth",
        paramLabel = "SIZE,SIZE...",
        split = ",",
        defaultValue = "1MB,4MB,16MB",
        description = "The edge's bytes a second, one run each (default: ${DEFAULT-VALUE}).")
    List<String> bandwidths;

    @Option(
        names = "--gap",
        paramLabel = "MINUTES",
        defaultValue = "10",
        description = "The outage in minutes (default: ${DEFAULT-VALUE}).")
    int gapMinutes;

    @Option(
        names = "--chunk",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        defaultValue = "1m",
        description = "The length of one fetch (default: ${DEFAULT-VALUE}).")
    Duration chunk;

    @Option(
        names = "--video-kbps",
        paramLabel = "N",
        defaultValue = "2000",
        description = "The footage's bit rate (default: ${DEFAULT-VALUE}).")
    int videoKbps;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Work directory, kept (default: a new temp directory, deleted afterwards).")
    Path dir;

    @picocli.CommandLine.Mixin
    RunsOption runsOption;

    @Override
    public Integer call() throws Exception {
      int runs = runsOption.get();
      try (WorkDir work = WorkDir.of(java.util.Optional.ofNullable(dir), "heldar-bench-heal-")) {
        new io.heldar.examples.bench.HealBench(
                new io.heldar.examples.bench.HealBench.Options(
                    bandwidths.stream().map(ByteSizeConverter::parse).toList(),
                    gapMinutes,
                    chunk,
                    videoKbps,
                    work.path(),
                    runs),
                spec.commandLine().getOut())
            .run();
      }
      return 0;
    }
  }

  /** {@code heldar bench page}: the page's first render in headless Chromium, by camera count. */
  @Command(
      name = "page",
      mixinStandardHelpOptions = true,
      description = {
        "Load the page of heldar run --http in headless Chromium and time its first render.",
        "For each camera count: a SQLite database of that many cameras with H hours of segments, gaps of each cause and",
        "a snapshot every ten minutes, served as heldar run --http does; first render (median of --runs), requests",
        "before it, the timelines' server time, and when every picture has loaded."
      })
  static final class PageLoad implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
        names = "--cameras",
        paramLabel = "N,N...",
        split = ",",
        defaultValue = "5,50,500",
        description = "Camera counts (default: ${DEFAULT-VALUE}).")
    List<Integer> cameras;

    @Option(
        names = "--hours",
        paramLabel = "H",
        defaultValue = "24",
        description = "Footage per camera, the page's window (default: ${DEFAULT-VALUE}).")
    double hours;

    @Option(
        names = "--segment-seconds",
        paramLabel = "S",
        defaultValue = "10",
        description = "Segment length (default: ${DEFAULT-VALUE}).")
    int segmentSeconds;

    @Option(
        names = "--runs",
        paramLabel = "N",
        defaultValue = "5",
        description = "Page loads per camera count (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
        names = "--chromium",
        paramLabel = "PATH",
        description = "The Chromium to drive (default: /usr/bin/chromium).")
    Path chromium;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Work directory, kept (default: a new temp directory, deleted afterwards).")
    Path dir;

    @Override
    public Integer call() throws Exception {
      spec.commandLine().getOut().println(BenchMachine.describe());
      if (cameras.stream().anyMatch(n -> n < 1) || hours <= 0 || segmentSeconds < 1 || runs < 1) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(),
            "--cameras, --hours, --segment-seconds and --runs must be positive");
      }
      try (WorkDir work = WorkDir.of(java.util.Optional.ofNullable(dir), "heldar-bench-page-")) {
        new io.heldar.examples.bench.PageBench(
                new io.heldar.examples.bench.PageBench.Options(
                    cameras,
                    hours,
                    segmentSeconds,
                    runs,
                    chromium != null ? chromium : io.heldar.examples.bench.HeadlessChromium.BINARY,
                    work.path()),
                spec.commandLine().getOut())
            .run();
      }
      return 0;
    }
  }
}
