package io.heldar.examples.cli;

import io.heldar.core.Heldar;
import io.heldar.core.event.HeldarListener;
import io.heldar.core.index.CameraScanReport;
import io.heldar.core.index.FileBucket;
import io.heldar.core.index.FileTally;
import io.heldar.core.index.ScanReport;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.HeldarEvent;
import io.heldar.core.model.PrintableText;
import io.heldar.core.probe.MediaProbe;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code heldar index}: registers cameras and indexes their recordings, once or continuously. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "Index the segment files under --root into the database, with their gaps."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:every camera was scanned (or a stop was requested)",
      "1:some camera's scan failed, or camera names conflict (the reason is printed)",
      "2:the scan could not run (bad arguments, database, root or ffprobe)"
    })
final class IndexCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin StoreOptions store;
  @Mixin IndexingOptions indexing;

  @Option(names = "--once", description = "Scan once and exit instead of scanning every --interval until interrupted.")
  boolean once;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    MediaProbe probe;
    try {
      indexing.validate();
      probe = indexing.probe();
    } catch (RuntimeException e) {
      err.println("heldar index: " + e.getMessage());
      return 2;
    }
    SqliteHeldarStore store;
    try {
      store = this.store.open();
    } catch (RuntimeException e) {
      err.println("heldar index: " + e.getMessage());
      return 2;
    }
    // SIGTERM and Ctrl-C stop both modes the same way as `heldar run`: cleanly, with status 0.
    ShutdownGate gate = new ShutdownGate("heldar-shutdown");
    try (store) {
      Clock clock = Clock.systemUTC();
      indexing.cameras(clock.instant()).forEach(store.cameras()::add);
      Heldar heldar = Heldar.builder().store(store).clock(clock).listener(new EventPrinter(out)).build();
      try (SegmentIndexer indexer =
          SegmentIndexer.builder()
              .store(store)
              .probe(probe)
              .recordingsRoot(indexing.root)
              .naming(indexing.naming())
              .discoverCameras(indexing.discoverCameras())
              .settleTime(indexing.settle)
              .clock(clock)
              .events(heldar.events())
              .gapOptions(indexing.gapOptions())
              .build()) {
        if (once) {
          return scanOnceUnlessStopped(out, err, store, indexer, gate);
        }
        return runUntilStopped(out, heldar, store, indexer, gate);
      }
    } catch (RuntimeException e) {
      err.println("heldar index: " + e.getMessage());
      return 2;
    } finally {
      gate.close();
    }
  }

  /**
   * One scan on this thread; a stop request interrupts it between files (what was committed stays
   * committed, consistent) and the command ends with status 0.
   */
  private int scanOnceUnlessStopped(PrintWriter out, PrintWriter err, SqliteHeldarStore store, SegmentIndexer indexer,
      ShutdownGate gate) {
    Thread scanning = Thread.currentThread();
    java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
    Thread watcher = new Thread(() -> {
      try {
        gate.stopRequested().await();
        stopped.set(true);
        scanning.interrupt();
      } catch (InterruptedException e) {
        // the scan ended first
      }
    }, "heldar-index-stop");
    watcher.setDaemon(true);
    watcher.start();
    try {
      ScanReport report = indexer.scanOnce();
      if (stopped.get()) {
        Thread.interrupted();
        err.println("heldar index: stopped; what was indexed before the stop is committed");
        return 0;
      }
      print(out, store, report);
      return report.failedCameras().isEmpty() && report.conflicts().isEmpty() ? 0 : 1;
    } finally {
      watcher.interrupt();
    }
  }

  private int runUntilStopped(PrintWriter out, Heldar heldar, SqliteHeldarStore store, SegmentIndexer indexer, ShutdownGate gate) {
    heldar.schedule("index", indexing.interval, () -> {
      ScanReport report = indexer.scanOnce();
      if (report.indexed() > 0 || !report.failedCameras().isEmpty() || !report.conflicts().isEmpty()) {
        print(out, store, report);
      }
    });
    out.println("indexing " + indexing.root + " every " + indexing.interval + "; Ctrl-C to stop");
    out.flush();
    heldar.start();
    try {
      gate.stopRequested().await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    heldar.stop();
    return 0;
  }

  /**
   * Prints, per camera, its counts and the first examples of each bucket that is not in the index;
   * then what lies under the root outside any camera; then the conflicts.
   */
  static void print(PrintWriter out, SqliteHeldarStore store, ScanReport report) {
    for (CameraScanReport c : report.cameras()) {
      if (!c.succeeded()) {
        out.printf("%s: scan failed: %s%n", c.cameraId(), c.failure().orElseThrow());
        continue;
      }
      int openGaps = store.gaps().list(c.cameraId(), Optional.of(GapStatus.OPEN)).size();
      out.printf(
          "%s: indexed %d, skipped %d (unsettled %d, unparseable %d, known unreadable %d, ignored %d), unreadable %d, changed %d, open gaps %d, total segments %d%n",
          c.cameraId(),
          c.indexed(),
          c.unsettled() + c.unparseable() + c.knownUnreadable() + c.ignored(),
          c.unsettled(),
          c.unparseable(),
          c.knownUnreadable(),
          c.ignored(),
          c.unreadable(),
          c.changed(),
          openGaps,
          store.segments().count(c.cameraId()));
      printExamples(out, c.files());
    }
    if (report.outsideCameras().total() > 0) {
      out.printf("outside any camera: %d entr%s%n", report.outsideCameras().total(), report.outsideCameras().total() == 1 ? "y" : "ies");
      printExamples(out, report.outsideCameras());
    }
    for (ScanReport.CameraIdConflict conflict : report.conflicts()) {
      out.printf("error: %s; their files are not indexed. Register one under another id: --camera NAME=ID%n",
          PrintableText.of(conflict.describe()));
    }
    out.flush();
  }

  private static void printExamples(PrintWriter out, FileTally tally) {
    for (FileBucket bucket : FileBucket.values()) {
      long n = tally.count(bucket);
      if (n == 0 || bucket.inIndex()) {
        continue;
      }
      String examples = String.join(", ", tally.examples(bucket).stream().map(PrintableText::of).toList());
      out.printf("    %s: %d (%s%s)%n", bucket.description(), n, examples, n > tally.examples(bucket).size() ? ", ..." : "");
    }
  }

  /** Prints notable events as they happen. */
  record EventPrinter(PrintWriter out) implements HeldarListener {
    @Override
    public void onEvent(HeldarEvent e) {
      out.printf("  [%s] %s %s %s%n", e.severity(), e.cameraId().orElse("-"), e.kind(), PrintableText.of(String.valueOf(e.payload())));
      out.flush();
    }
  }
}
