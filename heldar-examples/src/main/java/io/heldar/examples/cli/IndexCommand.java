package io.heldar.examples.cli;

import io.heldar.core.Heldar;
import io.heldar.core.event.HeldarListener;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.index.CameraScanReport;
import io.heldar.core.index.ScanReport;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.index.SegmentNaming;
import io.heldar.core.model.Camera;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.HeldarEvent;
import io.heldar.core.probe.MediaProbe;
import io.heldar.ffmpeg.FfprobeMediaProbe;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code heldar index}: registers cameras and indexes their recordings, once or continuously. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "Index the segment files under --root into the database, with their gaps.",
      "Exit status: 0 every camera was scanned; 1 some camera's scan failed (reason printed);"
          + " 2 the scan could not run (bad arguments, database, root or ffprobe)."
    })
final class IndexCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--db", required = true, paramLabel = "FILE", description = "SQLite database file (created if missing).")
  Path db;

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "Recordings root: one sub-directory per camera.")
  Path root;

  @Option(names = "--camera", paramLabel = "ID", description = "Camera to register and index (repeatable). Default: every sub-directory of --root whose name is a valid camera id.")
  List<String> cameras = new ArrayList<>();

  @Option(names = "--once", description = "Scan once and exit instead of scanning until interrupted.")
  boolean once;

  @Option(names = "--settle", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "5s",
      description = "Files modified more recently than this are still being written (default: ${DEFAULT-VALUE}).")
  Duration settle;

  @Option(names = "--gap-threshold", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "3s",
      description = "Holes longer than this are recording gaps (default: ${DEFAULT-VALUE}).")
  Duration gapThreshold;

  @Option(names = "--naming", paramLabel = "heldar|mediamtx|PATTERN", defaultValue = "heldar",
      description = "File naming: a preset or a strftime-style pattern relative to the camera directory (default: ${DEFAULT-VALUE}).")
  String naming;

  @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC",
      description = "Time zone of names without an offset, e.g. Europe/Berlin (default: ${DEFAULT-VALUE}).")
  String zone;

  @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
      description = "Without --once: pause between scans (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--ffprobe", paramLabel = "PATH", description = "ffprobe executable (default: PATH, then the bundled one).")
  Path ffprobe;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SegmentNaming segmentNaming;
    MediaProbe probe;
    try {
      if (!Files.isDirectory(root)) {
        throw new IllegalArgumentException("recordings root " + root + " is not a directory");
      }
      segmentNaming = SegmentNaming.byName(naming, ZoneId.of(zone));
      new GapDetector.Options(gapThreshold, GapDetector.Options.DEFAULT_OVERLAP_TOLERANCE);
      cameras.forEach(Camera::requireValidId);
      probe = ffprobe != null ? FfprobeMediaProbe.builder().binary(ffprobe).build() : FfprobeMediaProbe.onPath();
    } catch (RuntimeException e) {
      err.println("heldar index: " + e.getMessage());
      return 2;
    }
    SqliteHeldarStore store;
    try {
      store = SqliteHeldarStore.open(db);
    } catch (RuntimeException e) {
      err.println("heldar index: " + e.getMessage());
      return 2;
    }
    try (store) {
      List<String> ids = cameras.isEmpty() ? discover(root) : cameras;
      Clock clock = Clock.systemUTC();
      ids.forEach(id -> store.cameras().add(Camera.of(id, clock.instant())));
      Heldar heldar = Heldar.builder().store(store).clock(clock).listener(new EventPrinter(out)).build();
      try (SegmentIndexer indexer =
          SegmentIndexer.builder()
              .store(store)
              .probe(probe)
              .recordingsRoot(root)
              .naming(segmentNaming)
              .settleTime(settle)
              .clock(clock)
              .events(heldar.events())
              .gapOptions(GapDetector.Options.DEFAULTS.withThreshold(gapThreshold))
              .build()) {
        if (once) {
          ScanReport report = indexer.scanOnce();
          print(out, store, report);
          return report.failedCameras().isEmpty() ? 0 : 1;
        }
        return runUntilInterrupted(out, store, heldar, indexer);
      }
    } catch (RuntimeException e) {
      err.println("heldar index: " + e.getMessage());
      return 2;
    }
  }

  private int runUntilInterrupted(PrintWriter out, SqliteHeldarStore store, Heldar heldar, SegmentIndexer indexer) {
    heldar.schedule("index", interval, () -> {
      ScanReport report = indexer.scanOnce();
      if (report.indexed() > 0 || !report.failedCameras().isEmpty()) {
        print(out, store, report);
      }
    });
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      heldar.stop();
      stopped.countDown();
    }, "heldar-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("indexing " + root + " every " + interval + "; Ctrl-C to stop");
    out.flush();
    heldar.start();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      heldar.stop();
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  static List<String> discover(Path root) {
    try (Stream<Path> children = Files.list(root)) {
      return children
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(Camera::isValidId)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list recordings root " + root + ": " + e.getMessage(), e);
    }
  }

  static void print(PrintWriter out, SqliteHeldarStore store, ScanReport report) {
    for (CameraScanReport c : report.cameras()) {
      if (!c.succeeded()) {
        out.printf("%s: scan failed: %s%n", c.cameraId(), c.failure().orElseThrow());
        continue;
      }
      int openGaps = store.gaps().list(c.cameraId(), Optional.of(GapStatus.OPEN)).size();
      out.printf(
          "%s: indexed %d, skipped %d (unsettled %d, unparseable %d, known unreadable %d, ignored %d), unreadable %d, open gaps %d, total segments %d%n",
          c.cameraId(),
          c.indexed(),
          c.unsettled() + c.unparseable() + c.knownUnreadable() + c.ignored(),
          c.unsettled(),
          c.unparseable(),
          c.knownUnreadable(),
          c.ignored(),
          c.unreadable(),
          openGaps,
          store.segments().count(c.cameraId()));
    }
    out.flush();
  }

  /** Prints notable events as they happen. */
  private record EventPrinter(PrintWriter out) implements HeldarListener {
    @Override
    public void onEvent(HeldarEvent e) {
      out.printf("  [%s] %s %s %s%n", e.severity(), e.cameraId().orElse("-"), e.kind(), e.payload());
      out.flush();
    }
  }
}
