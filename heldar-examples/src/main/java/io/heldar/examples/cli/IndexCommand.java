package io.heldar.examples.cli;

import io.heldar.core.Heldar;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.HeldarListener;
import io.heldar.core.index.CameraScanReport;
import io.heldar.core.index.FileBucket;
import io.heldar.core.index.FileTally;
import io.heldar.core.index.ScanReport;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.PrintableText;
import io.heldar.core.probe.MediaProbe;
import io.heldar.store.jdbi.JdbiHeldarStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heldar index}: registers cameras and indexes their recordings, once or continuously. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {"Index the segment files under --root into the database, with their gaps."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:every camera was scanned (or a stop was requested)",
      "1:some camera's scan failed, camera names conflict, a directory's name cannot be a camera,"
          + " or every file found was ignored (a wrong --naming or --root; the reason is printed)",
      "2:the scan could not run (bad arguments, database, root or ffprobe)"
    })
final class IndexCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions store;

  @Mixin
  IndexingFlags indexing;

  @Option(
      names = "--once",
      description = "Scan once and exit instead of scanning every --interval until interrupted.")
  boolean once;

  @Mixin
  OutputFormat format;

  /** Progress through the backlog of one scan: a line rewritten in place on a terminal, a line every 10 s otherwise. */
  static final class BacklogProgress implements SegmentIndexer.ProgressListener {
    private final PrintWriter out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private final java.util.Map<String, int[]> byCamera =
        new java.util.concurrent.ConcurrentHashMap<>();
    private long lastLine;

    BacklogProgress(PrintWriter out, boolean terminal) {
      this.out = out;
      this.terminal = terminal;
    }

    @Override
    public synchronized void onProgress(String cameraId, int done, int total) {
      byCamera.put(cameraId, new int[] {done, total});
      long now = System.nanoTime();
      if (!terminal
          && now - lastLine < java.util.concurrent.TimeUnit.SECONDS.toNanos(10)
          && done < total) {
        return;
      }
      lastLine = now;
      String line = line(cameraId, done, total, now);
      if (terminal) {
        out.print("\r" + line + "   ");
        if (done >= total) {
          out.println();
        }
      } else {
        out.println(line);
      }
      out.flush();
    }

    private String line(String cameraId, int done, int total, long now) {
      double seconds = Math.max(1e-3, (now - started) / 1e9);
      long all = done();
      double rate = all / seconds;
      String eta = rate > 0 && done < total
          ? ", ETA " + Json.human(java.time.Duration.ofSeconds(Math.round((total - done) / rate)))
          : "";
      return String.format(
          java.util.Locale.ROOT,
          "indexing %s: %,d/%,d files, %,.0f files/s%s",
          cameraId,
          done,
          total,
          rate,
          eta);
    }

    /** Files probed and committed so far, over all cameras. */
    synchronized long done() {
      return byCamera.values().stream().mapToLong(v -> v[0]).sum();
    }

    java.time.Duration elapsed() {
      return java.time.Duration.ofNanos(System.nanoTime() - started);
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    MediaProbe probe;
    boolean json;
    try {
      indexing.validate();
      json = format.json();
      if (json && !once) {
        throw new IllegalArgumentException("--format json goes with --once (one report)");
      }
      probe = indexing.probe();
    } catch (RuntimeException e) {
      err.println("heldar index: " + e.getMessage());
      return 2;
    }
    JdbiHeldarStore store;
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
      Heldar.Builder hb = Heldar.builder().store(store).clock(clock);
      if (!json) {
        hb.listener(new EventPrinter(out));
      }
      Heldar heldar = hb.build();
      // Progress goes to standard error: standard output holds only the report (or the JSON).
      BacklogProgress backlog = new BacklogProgress(err, System.console() != null);
      try (SegmentIndexer indexer = SegmentIndexer.builder()
          .store(store)
          .progress(backlog)
          .probe(probe)
          .recordingsRoot(indexing.root)
          .options(indexing.options())
          .clock(clock)
          .events(heldar.events())
          .build()) {
        if (once) {
          return scanOnceUnlessStopped(out, err, store, indexer, gate, backlog, json);
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
  private int scanOnceUnlessStopped(
      PrintWriter out,
      PrintWriter err,
      JdbiHeldarStore store,
      SegmentIndexer indexer,
      ShutdownGate gate,
      BacklogProgress backlog,
      boolean json) {
    Thread scanning = Thread.currentThread();
    java.util.concurrent.atomic.AtomicBoolean stopped =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread watcher = new Thread(
        () -> {
          try {
            gate.stopRequested().await();
            stopped.set(true);
            scanning.interrupt();
          } catch (InterruptedException e) {
            // the scan ended first
          }
        },
        "heldar-index-stop");
    watcher.setDaemon(true);
    watcher.start();
    try {
      ScanReport report = indexer.scanOnce();
      if (stopped.get()) {
        Thread.interrupted();
        err.printf(
            "heldar index: stopped after %s; %,d file(s) of the backlog were indexed and are committed%n",
            Json.human(backlog.elapsed()), backlog.done());
        err.flush();
        return 0;
      }
      if (json) {
        out.println(Json.write(Json.scan(report)));
        out.flush();
      } else {
        print(out, store, report);
      }
      boolean rejected =
          report.outsideCameras().count(io.heldar.core.index.FileBucket.UNUSABLE_CAMERA_NAME) > 0;
      long ignored = everyFileIgnored(report);
      if (ignored > 0) {
        err.println("heldar index: every one of the " + ignored + " file(s) found was ignored"
            + " (see above why): check --naming (" + indexing.naming + ") and --root");
        err.flush();
      }
      return report.failedCameras().isEmpty()
              && report.conflicts().isEmpty()
              && !rejected
              && ignored == 0
          ? 0
          : 1;
    } finally {
      watcher.interrupt();
    }
  }

  /**
   * The number of files the scan found when it ignored every one of them (a wrong naming pattern
   * or root: nothing indexed, nothing waiting, nothing unreadable), else 0.
   */
  static long everyFileIgnored(ScanReport report) {
    java.util.EnumSet<io.heldar.core.index.FileBucket> handled = java.util.EnumSet.of(
        io.heldar.core.index.FileBucket.INDEXED,
        io.heldar.core.index.FileBucket.CHANGED,
        io.heldar.core.index.FileBucket.ALREADY_INDEXED,
        io.heldar.core.index.FileBucket.UNSETTLED,
        io.heldar.core.index.FileBucket.INCOMPLETE,
        io.heldar.core.index.FileBucket.UNREADABLE,
        io.heldar.core.index.FileBucket.KNOWN_UNREADABLE);
    long total = report.outsideCameras().total();
    long handledCount = 0;
    for (io.heldar.core.index.CameraScanReport c : report.cameras()) {
      total += c.files().total();
      for (io.heldar.core.index.FileBucket b : handled) {
        handledCount += c.files().count(b);
      }
    }
    for (io.heldar.core.index.FileBucket b : handled) {
      handledCount += report.outsideCameras().count(b);
    }
    return total > 0 && handledCount == 0 ? total : 0;
  }

  private int runUntilStopped(
      PrintWriter out,
      Heldar heldar,
      JdbiHeldarStore store,
      SegmentIndexer indexer,
      ShutdownGate gate) {
    heldar.schedule("index", indexing.interval, () -> {
      ScanReport report = indexer.scanOnce();
      if (report.indexed() > 0
          || !report.failedCameras().isEmpty()
          || !report.conflicts().isEmpty()) {
        print(out, store, report);
      }
    });
    out.println("indexing " + indexing.root + " every " + Json.human(indexing.interval)
        + "; Ctrl-C to stop");
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
  static void print(PrintWriter out, JdbiHeldarStore store, ScanReport report) {
    for (CameraScanReport c : report.cameras()) {
      if (!c.succeeded()) {
        out.printf("%s: scan failed: %s%n", c.cameraId(), c.failure().orElseThrow());
        continue;
      }
      int openGaps =
          store.gaps().list(c.cameraId(), Optional.of(GapStatus.OPEN)).size();
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
      out.printf(
          "outside any camera: %d entr%s%n",
          report.outsideCameras().total(), report.outsideCameras().total() == 1 ? "y" : "ies");
      printExamples(out, report.outsideCameras());
    }
    for (ScanReport.CameraIdConflict conflict : report.conflicts()) {
      out.printf(
          "error: %s; their files are not indexed. Register one under another id: --camera NAME=ID%n",
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
      String examples = String.join(
          ", ", tally.examples(bucket).stream().map(PrintableText::of).toList());
      out.printf(
          "    %s: %d (%s%s)%n",
          bucket.description(), n, examples, n > tally.examples(bucket).size() ? ", ..." : "");
    }
  }

  /** Prints notable events as they happen. */
  record EventPrinter(PrintWriter out) implements HeldarListener {
    @Override
    public void onEvent(HeldarEvent e) {
      out.printf(
          "  [%s] %s %s %s%n",
          e.severity(),
          e.cameraId().orElse("-"),
          e.kind(),
          PrintableText.of(String.valueOf(e.payload())));
      out.flush();
    }
  }
}
