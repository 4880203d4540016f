package io.heldar.examples.cli;

import io.heldar.core.Heldar;
import io.heldar.core.event.HeldarListener;
import io.heldar.core.index.CameraScanReport;
import io.heldar.core.index.ScanReport;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.model.Camera;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.HeldarEvent;
import io.heldar.core.probe.MediaProbe;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
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
      "Index the segment files under --root into the database, with their gaps.",
      "Exit status: 0 every camera was scanned; 1 some camera's scan failed (reason printed);"
          + " 2 the scan could not run (bad arguments, database, root or ffprobe)."
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
    try (store) {
      List<String> ids = indexing.cameraIds();
      Clock clock = Clock.systemUTC();
      ids.forEach(id -> store.cameras().add(Camera.of(id, clock.instant())));
      Heldar heldar = Heldar.builder().store(store).clock(clock).listener(new EventPrinter(out)).build();
      try (SegmentIndexer indexer =
          SegmentIndexer.builder()
              .store(store)
              .probe(probe)
              .recordingsRoot(indexing.root)
              .naming(indexing.naming())
              .settleTime(indexing.settle)
              .clock(clock)
              .events(heldar.events())
              .gapOptions(indexing.gapOptions())
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
    heldar.schedule("index", indexing.interval, () -> {
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
    out.println("indexing " + indexing.root + " every " + indexing.interval + "; Ctrl-C to stop");
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
  record EventPrinter(PrintWriter out) implements HeldarListener {
    @Override
    public void onEvent(HeldarEvent e) {
      out.printf("  [%s] %s %s %s%n", e.severity(), e.cameraId().orElse("-"), e.kind(), e.payload());
      out.flush();
    }
  }
}
