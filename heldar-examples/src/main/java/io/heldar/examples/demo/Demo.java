package io.heldar.examples.demo;

import com.sun.net.httpserver.HttpServer;
import io.heldar.core.Heldar;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.HeldarListener;
import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.GapStatus;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.retention.RetentionPolicy;
import io.heldar.core.snapshot.SnapshotSources;
import io.heldar.examples.WorkDir;
import io.heldar.ffmpeg.ExternalProcess;
import io.heldar.ffmpeg.FfmpegBinaries;
import io.heldar.ffmpeg.FfprobeMediaProbe;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Heldar's whole job in 75 s: two synthetic cameras record segments in real time (with an
 * outage each), serve snapshots over HTTP, and Heldar indexes, finds the gaps, takes scheduled
 * snapshots and applies retention on an embedded SQLite database; then an HTML report.
 */
public final class Demo {
  /** Where the recordings, database and report go, and how long to run. */
  public record Options(
      Optional<Path> keep, Duration runFor, Optional<Path> ffmpeg, boolean pureJava) {}

  private final Options options;
  private final PrintWriter out;

  /** A demo writing progress to {@code out}. */
  public Demo(Options options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  /** Runs until the time is up or {@code stop} counts down; returns the report file. */
  public Path run(CountDownLatch stop) throws Exception {
    Path work = options.keep().isPresent()
        ? Files.createDirectories(options.keep().get())
        : Files.createTempDirectory("heldar-demo-");
    Path recordings = Files.createDirectories(work.resolve("recordings"));
    Path snapshots = Files.createDirectories(work.resolve("snapshots"));
    Path database = work.resolve("heldar.db");
    Duration runFor = options.runFor();
    Optional<Recorder> ff = options.pureJava() ? Optional.empty() : usableFfmpeg();
    Path ffmpeg = ff.map(Recorder::ffmpeg).orElse(null);
    String encoder = ff.map(Recorder::encoder).orElse(null);
    List<String> inputOptions = ff.map(Recorder::inputOptions).orElse(List.of());
    Path logs = Files.createDirectories(work.resolve("logs"));

    SyntheticCamera front = new SyntheticCamera(
        "front-door",
        recordings,
        Duration.ofSeconds(2),
        runFor.dividedBy(3),
        Duration.ofSeconds(12),
        new Color(0x1c7ed6),
        ffmpeg,
        encoder,
        inputOptions,
        logs.resolve("front-door-ffmpeg.log"));
    SyntheticCamera yard = new SyntheticCamera(
        "yard",
        recordings,
        Duration.ofSeconds(2),
        runFor.dividedBy(2),
        Duration.ofSeconds(8),
        new Color(0x2f9e44),
        ffmpeg,
        encoder,
        inputOptions,
        logs.resolve("yard-ffmpeg.log"));
    Map<String, SyntheticCamera> cameras = new LinkedHashMap<>();
    cameras.put("front-door", front);
    cameras.put("yard", yard);

    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/", ex -> {
      String name = ex.getRequestURI().getPath().replaceAll("^/|\\.jpg$", "");
      SyntheticCamera cam = cameras.get(name);
      if (cam == null) {
        ex.sendResponseHeaders(404, -1);
      } else {
        byte[] jpeg = cam.snapshot();
        ex.getResponseHeaders().add("Content-Type", "image/jpeg");
        ex.sendResponseHeaders(200, jpeg.length);
        ex.getResponseBody().write(jpeg);
      }
      ex.close();
    });
    http.start();
    String base = "http://127.0.0.1:" + http.getAddress().getPort() + "/";

    Instant started = Instant.now();
    try (SqliteHeldarStore store = SqliteHeldarStore.open(database)) {
      for (String id : cameras.keySet()) {
        store.cameras().add(new Camera(id, id, Optional.of(base + id + ".jpg"), started));
        if (store.snapshotSchedules().list().stream()
            .noneMatch(s -> s.cameraId().equals(id))) {
          store.snapshotSchedules().create(id, Duration.ofSeconds(5), true, started);
        }
      }
      MediaProbe ffprobe = file -> FfprobeMediaProbe.onPath()
          .probe(file); // only for non-MP4 files, which the demo does not make
      Duration maxAge = runFor.minusSeconds(15).compareTo(Duration.ofSeconds(30)) < 0
          ? Duration.ofSeconds(30)
          : runFor.minusSeconds(15);
      Progress progress = new Progress(out);
      Heldar heldar = Heldar.builder()
          .store(store)
          .recordingsRoot(recordings)
          .probe(MediaProbes.auto(ffprobe))
          .indexing(io.heldar.core.index.IndexingOptions.builder()
              .settleTime(Duration.ofSeconds(1))
              .build())
          .scanInterval(Duration.ofSeconds(2))
          .snapshotsRoot(snapshots)
          .snapshotSource(SnapshotSources.http())
          .retention(
              RetentionPolicy.builder().maxAge(maxAge).snapshotMaxAge(maxAge).build())
          .retentionInterval(Duration.ofSeconds(15))
          .listener(progress)
          .build();
      out.printf(
          "Heldar demo: 2 cameras (%s), segments of 2 s, snapshots every 5 s, retention after %d s; running %d s in %s%n",
          front.description(), maxAge.toSeconds(), runFor.toSeconds(), work);
      out.flush();
      cameras.values().forEach(SyntheticCamera::start);
      heldar.start();
      long t0 = System.nanoTime();
      long deadline = t0 + runFor.toNanos();
      long nextStatus = t0 + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline
          && !stop.await(
              Math.min(1000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)),
              TimeUnit.MILLISECONDS)) {
        for (SyntheticCamera c : cameras.values()) {
          Optional<String> failure = c.failure();
          if (failure.isPresent()) {
            heldar.stop();
            throw new DemoFailedException(
                "camera " + c.id() + " stopped recording: " + failure.get());
          }
        }
        if (System.nanoTime() - t0 > FIRST_SEGMENT_DEADLINE.toNanos()
            && cameras.keySet().stream().mapToLong(store.segments()::count).sum() == 0) {
          heldar.stop();
          StringBuilder why = new StringBuilder(
              "no segment was indexed within " + FIRST_SEGMENT_DEADLINE.toSeconds() + " s:");
          for (SyntheticCamera c : cameras.values()) {
            why.append(' ')
                .append(c.id())
                .append(" wrote ")
                .append(c.filesWritten())
                .append(" file(s);");
          }
          why.append(" the recordings are in ")
              .append(recordings)
              .append(" and the recorders' messages in ")
              .append(logs);
          throw new DemoFailedException(why.toString());
        }
        if (System.nanoTime() >= nextStatus) {
          status(store, started);
          nextStatus += TimeUnit.SECONDS.toNanos(5);
        }
      }
      out.println("stopping: cameras first, then a last scan of what they wrote");
      for (SyntheticCamera c : cameras.values()) {
        c.close();
      }
      Thread.sleep(1200); // let the last segment pass the 1 s settle time
      heldar.indexer().orElseThrow().scanOnce();
      heldar.stop();
      status(store, started);
      // One range, to the second, for the summary below, the report and its pictures: one
      // "recorded" figure per camera everywhere.
      Instant from = started.minusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      Instant to = Instant.now().plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      summary(store, from, to);
      progress.explainOverlaps();
      Path reportDir =
          options.keep().isPresent() ? work : Files.createTempDirectory("heldar-demo-report-");
      String notes = measured(store, cameras.keySet(), front.description(), runFor, maxAge)
          + (options.keep().isPresent()
              ? ""
              : " The recordings and the database were removed afterwards (use --keep DIR to keep them).");
      Path report = DemoReport.write(reportDir, store, snapshots, database, from, to, notes);
      if (options.keep().isEmpty()) {
        store.close();
        WorkDir.deleteTree(work);
      }
      return report;
    } finally {
      http.stop(0);
      for (SyntheticCamera c : cameras.values()) {
        c.close();
      }
    }
  }

  /** How long the cameras have to get a first segment indexed before the demo gives up and says why. */
  static final Duration FIRST_SEGMENT_DEADLINE = Duration.ofSeconds(15);

  /** The demo could not show what it is for; the message says why. */
  public static final class DemoFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    DemoFailedException(String message) {
      super(message);
    }
  }

  /** The report's summary, from what the database holds at the end: it claims nothing it did not measure. */
  static String measured(
      SqliteHeldarStore store,
      java.util.Collection<String> ids,
      String recorder,
      Duration runFor,
      Duration maxAge) {
    StringBuilder sb = new StringBuilder("Two synthetic cameras (" + recorder + ") recorded for "
        + runFor.toSeconds() + " s with an outage each. At the end the index held");
    long gaps = 0;
    long snapshots = 0;
    String sep = " ";
    for (String id : ids) {
      sb.append(sep)
          .append(store.segments().count(id))
          .append(" segment(s) of ")
          .append(id);
      sep = ", ";
      gaps += store.gaps().list(id, Optional.empty()).stream()
          .filter(g -> g.cause() == io.heldar.core.model.GapCause.MISSING)
          .count();
      snapshots += store.snapshots().all(id).size();
    }
    sb.append("; Heldar found ")
        .append(gaps)
        .append(" recording gap(s) and kept ")
        .append(snapshots)
        .append(" snapshot(s) (one every 5 s); retention deletes footage and snapshots older than ")
        .append(maxAge.toSeconds())
        .append(" s.");
    return sb.toString();
  }

  private void status(SqliteHeldarStore store, Instant started) {
    StringBuilder line = new StringBuilder(
        String.format("[%3ds]", Duration.between(started, Instant.now()).toSeconds()));
    for (Camera c : store.cameras().list()) {
      line.append(String.format(
          "  %s: %d segments, %d open gap(s), %d snapshots",
          c.id(),
          store.segments().count(c.id()),
          store.gaps().list(c.id(), Optional.of(GapStatus.OPEN)).size(),
          store.snapshots().all(c.id()).size()));
    }
    out.println(line);
    out.flush();
  }

  /**
   * Per camera, what the report and its picture say too: recorded time over the range, runs, and
   * each gap with its bounds, length and cause.
   */
  private void summary(SqliteHeldarStore store, Instant from, Instant to) {
    io.heldar.core.timeline.Timeline timeline = new io.heldar.core.timeline.Timeline(store);
    for (Camera c : store.cameras().list()) {
      io.heldar.core.timeline.Coverage cov =
          timeline.coverage(c.id(), from, to, io.heldar.core.timeline.Timeline.DEFAULT_TOLERANCE);
      StringBuilder line = new StringBuilder(String.format(
          "  %s: recorded %d s of %d s in %d run(s)",
          c.id(),
          cov.recorded().toSeconds(),
          Duration.between(from, to).toSeconds(),
          cov.runs().size()));
      for (io.heldar.core.model.RecordingGap g : cov.gaps()) {
        line.append(String.format(
            "; gap %s .. %s (%.1f s, %s)",
            g.start(), g.end(), g.gapSeconds(), g.cause().dbValue()));
      }
      out.println(line);
    }
    out.flush();
  }

  /** Prints the events a person watching the demo cares about. */
  private static final class Progress implements HeldarListener {
    private final PrintWriter out;
    private final java.util.concurrent.atomic.AtomicInteger overlaps =
        new java.util.concurrent.atomic.AtomicInteger();

    Progress(PrintWriter out) {
      this.out = out;
    }

    /** Says what the overlap warnings of the run were, if there were any. */
    void explainOverlaps() {
      if (overlaps.get() > 0) {
        out.println("  (" + overlaps.get() + " segment_overlap warning(s) above: the first segment"
            + " ffmpeg writes after it starts is named by the second its file was opened, yet"
            + " holds up to a second of frames from before, read while ffmpeg caught up with"
            + " real time. Heldar reports each overlap rather than hiding it; overlapping footage"
            + " counts once in the timeline.)");
        out.flush();
      }
    }

    @Override
    public void onEvent(HeldarEvent e) {
      String cam = e.cameraId().orElse("-");
      if (e.kind().equals(EventKinds.SEGMENT_OVERLAP)) {
        overlaps.incrementAndGet();
      }
      switch (e.kind()) {
        case EventKinds.RECORDING_GAP -> out.printf(
            "  %s: gap of %s s opened (%s .. %s)%n",
            cam,
            e.payload().get("gap_seconds"),
            e.payload().get("prev_end"),
            e.payload().get("next_start"));
        case EventKinds.RECORDING_GAP_FILLED -> out.printf(
            "  %s: gap filled by late footage%n", cam);
        default -> out.printf("  %s: %s %s%n", cam, e.kind(), e.payload());
      }
      out.flush();
    }
  }

  /** An ffmpeg that runs here, an encoder it has, and the input options it was found to accept. */
  record Recorder(Path ffmpeg, String encoder, List<String> inputOptions) {}

  /**
   * The ffmpeg to record with, if one runs here: the given one, else PATH, else the bundled one. Its
   * encoders are listed and each optional option is tried before it is used, so any ffmpeg from
   * 4.4 to 7.x records (a system 5.1 has no {@code -readrate_initial_burst}); it says which it uses.
   */
  private Optional<Recorder> usableFfmpeg() {
    try {
      Path ff = options.ffmpeg().isPresent()
          ? FfmpegBinaries.locate("ffmpeg", options.ffmpeg())
          : FfmpegBinaries.ffmpeg();
      ExternalProcess.Result version = ExternalProcess.run(
          List.of(ff.toString(), "-hide_banner", "-version"),
          Duration.ofSeconds(30),
          1 << 16,
          2048);
      ExternalProcess.Result r = ExternalProcess.run(
          List.of(ff.toString(), "-hide_banner", "-encoders"),
          Duration.ofSeconds(30),
          1 << 20,
          2048);
      if (r.exitCode() != 0 || version.exitCode() != 0) {
        out.println("ffmpeg at " + ff + " does not run here (" + r.stderrTail().strip()
            + "); the cameras record in pure Java instead");
        return Optional.empty();
      }
      String encoders = new String(r.stdout(), StandardCharsets.UTF_8);
      Optional<String> encoder = List.of("libx264", "libopenh264", "mpeg4").stream()
          .filter(e -> encoders.contains(" " + e + " "))
          .findFirst();
      if (encoder.isEmpty()) {
        out.println("ffmpeg at " + ff
            + " has no H.264 or MPEG-4 encoder; the cameras record in pure Java instead");
        return Optional.empty();
      }
      // Paced reading without an initial burst where this ffmpeg knows the option (6.1 and later).
      List<String> burst = List.of("-readrate_initial_burst", "0");
      List<String> probe = new java.util.ArrayList<>(
          List.of(ff.toString(), "-hide_banner", "-loglevel", "error", "-re"));
      probe.addAll(burst);
      probe.addAll(List.of(
          "-f", "lavfi", "-i", "testsrc2=size=64x36:rate=10", "-t", "0.2", "-f", "null", "-"));
      boolean burstKnown =
          ExternalProcess.run(probe, Duration.ofSeconds(30), 1 << 16, 2048).exitCode() == 0;
      String firstLine = new String(version.stdout(), StandardCharsets.UTF_8)
          .lines()
          .findFirst()
          .orElse("?");
      out.println("cameras record with " + ff + " (" + firstLine + "), encoder " + encoder.get()
          + (burstKnown ? "" : "; it has no -readrate_initial_burst, so it is not used"));
      return Optional.of(new Recorder(ff, encoder.get(), burstKnown ? burst : List.of()));
    } catch (IOException | RuntimeException e) {
      out.println(
          "no usable ffmpeg (" + e.getMessage() + "); the cameras record in pure Java instead");
      return Optional.empty();
    }
  }
}
