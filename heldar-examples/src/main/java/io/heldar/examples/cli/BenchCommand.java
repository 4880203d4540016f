package io.heldar.examples.cli;

import io.heldar.core.model.Camera;
import io.heldar.core.model.Snapshot;
import io.heldar.core.runtime.HeldarRuntime;
import io.heldar.core.snapshot.SnapshotScheduler;
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
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.", subcommands = {BenchCommand.Snapshots.class})
final class BenchCommand {

  /** {@code heldar bench snapshots}: many cameras on short schedules with an in-memory source. */
  @Command(name = "snapshots", mixinStandardHelpOptions = true,
      description = {"N cameras with interval schedules and an in-memory JPEG source, on the real scheduler, runtime,",
          "SQLite store and file writes (temp + fsync + link + directory fsync). Reports slots fired and missed",
          "and the lateness of each capture's start behind its slot, and of its committed row."})
  static final class Snapshots implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--cameras", defaultValue = "1000", description = "Cameras, one schedule each (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(names = "--every", defaultValue = "1s", converter = DurationConverter.class, description = "Interval (default: ${DEFAULT-VALUE}).")
    Duration every;

    @Option(names = "--for", defaultValue = "60s", converter = DurationConverter.class, description = "Run time (default: ${DEFAULT-VALUE}).")
    Duration runFor;

    @Option(names = "--jpeg-bytes", defaultValue = "20000", description = "Size of each snapshot (default: ${DEFAULT-VALUE}).")
    int jpegBytes;

    @Option(names = "--capture-threads", defaultValue = "16", description = "Capture parallelism (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--no-fsync", description = "Skip file and directory fsyncs (to see what they cost; not crash-safe).")
    boolean noFsync;

    @Option(names = "--dir", paramLabel = "DIR", description = "Work directory (default: a new temp directory, deleted afterwards).")
    Path dir;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      boolean temp = dir == null;
      Path work = temp ? Files.createTempDirectory("heldar-bench-") : Files.createDirectories(dir);
      byte[] jpeg = new byte[Math.max(4, jpegBytes)];
      jpeg[0] = (byte) 0xff;
      jpeg[1] = (byte) 0xd8;
      jpeg[2] = (byte) 0xff;
      jpeg[jpeg.length - 2] = (byte) 0xff;
      jpeg[jpeg.length - 1] = (byte) 0xd9;
      AtomicLongArray lateMs = new AtomicLongArray(60_001);
      AtomicLong fired = new AtomicLong();
      AtomicLong missed = new AtomicLong();
      SnapshotScheduler.SlotObserver observer = new SnapshotScheduler.SlotObserver() {
        @Override
        public void fired(long id, Instant slot, Instant at) {
          fired.incrementAndGet();
          lateMs.incrementAndGet((int) Math.min(60_000, Math.max(0, Duration.between(slot, at).toMillis())));
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
        SnapshotScheduler scheduler = SnapshotScheduler.builder().store(store).source((cam, t) -> jpeg)
            .snapshotsRoot(work.resolve("snapshots")).observer(observer).captureParallelism(threads).fsync(!noFsync).build();
        HeldarRuntime runtime = HeldarRuntime.builder().build();
        runtime.schedule("snapshot-scheduler", Duration.ZERO, SnapshotScheduler.Builder.DEFAULT_TICK_INTERVAL, scheduler::tick);
        out.printf("bench snapshots: %d cameras every %s for %s, %d-byte JPEGs, %d capture threads, fsync %s, in %s%n",
            cameras, every, runFor, jpeg.length, threads, noFsync ? "off" : "on", work);
        out.flush();
        Instant started = Instant.now();
        runtime.start();
        Thread.sleep(runFor.toMillis()); // a benchmark runs for a fixed wall time by definition
        runtime.stop();
        Instant stopped = Instant.now();
        scheduler.awaitIdle(Duration.ofSeconds(60));
        scheduler.close();

        long slotsDue = 0;
        long everyMs = every.toMillis();
        // Slots on the grid from the first slot at or after creation up to the stop instant, per schedule.
        long first = Math.floorDiv(now.toEpochMilli() + everyMs - 1, everyMs);
        long last = Math.floorDiv(stopped.toEpochMilli(), everyMs);
        slotsDue = Math.max(0, last - first + 1) * cameras;
        List<Long> commitLag = new ArrayList<>();
        for (Camera c : store.cameras().list()) {
          for (Snapshot s : store.snapshots().all(c.id())) {
            long slot = Math.floorDiv(s.takenAt().toEpochMilli(), everyMs) * everyMs;
            commitLag.add(s.createdAt().toEpochMilli() - slot);
          }
        }
        long[] lag = commitLag.stream().mapToLong(Long::longValue).sorted().toArray();
        SnapshotScheduler.Stats st = scheduler.stats();
        out.printf("ran %.1f s: slots due %d, fired %d, missed %d, stored %d, failed %d%n",
            Duration.between(started, stopped).toMillis() / 1000.0, slotsDue, fired.get(), missed.get(), st.stored(), st.failed());
        out.printf("capture start behind slot (ms): p50 %d, p99 %d, max %d%n",
            percentile(lateMs, 0.50), percentile(lateMs, 0.99), percentile(lateMs, 1.0));
        if (lag.length > 0) {
          out.printf("row committed behind slot (ms): p50 %d, p99 %d, max %d%n",
              lag[(int) Math.min(lag.length - 1, Math.floor(lag.length * 0.50))],
              lag[(int) Math.min(lag.length - 1, Math.floor(lag.length * 0.99))], lag[lag.length - 1]);
        }
        out.flush();
      } finally {
        if (temp) {
          deleteTree(work);
        }
      }
      return 0;
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
      return histogram.length() - 1;
    }

    static void deleteTree(Path p) throws IOException {
      try (var walk = Files.walk(p)) {
        walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(f -> f.toFile().delete());
      }
    }
  }

}
