package io.heldar.examples.demo;

import com.sun.net.httpserver.HttpServer;
import io.heldar.core.Heldar;
import io.heldar.core.event.HeldarListener;
import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.HeldarEvent;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.retention.RetentionPolicy;
import io.heldar.core.snapshot.SnapshotSources;
import io.heldar.examples.WorkDir;
import io.heldar.ffmpeg.FfmpegBinaries;
import io.heldar.ffmpeg.FfprobeMediaProbe;
import io.heldar.ffmpeg.internal.ProcessRunner;
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
 * Heldar's whole job in about a minute: two synthetic cameras record segments in real time (with an
 * outage each), serve snapshots over HTTP, and Heldar indexes, finds the gaps, takes scheduled
 * snapshots and applies retention on an embedded SQLite database; then an HTML report.
 */
public final class Demo {
  /** Where the recordings, database and report go, and how long to run. */
  public record Options(Optional<Path> keep, Duration runFor, Optional<Path> ffmpeg, boolean pureJava) {}

  private final Options options;
  private final PrintWriter out;

  /** A demo writing progress to {@code out}. */
  public Demo(Options options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  /** Runs until the time is up or {@code stop} counts down; returns the report file. */
  public Path run(CountDownLatch stop) throws Exception {
    Path work = options.keep().isPresent() ? Files.createDirectories(options.keep().get()) : Files.createTempDirectory("heldar-demo-");
    Path recordings = Files.createDirectories(work.resolve("recordings"));
    Path snapshots = Files.createDirectories(work.resolve("snapshots"));
    Path database = work.resolve("heldar.db");
    Duration runFor = options.runFor();
    Optional<String[]> ff = options.pureJava() ? Optional.empty() : usableFfmpeg();
    Path ffmpeg = ff.map(f -> Path.of(f[0])).orElse(null);
    String encoder = ff.map(f -> f[1]).orElse(null);

    SyntheticCamera front = new SyntheticCamera("front-door", recordings, Duration.ofSeconds(2), runFor.dividedBy(3), Duration.ofSeconds(12),
        new Color(0x1c7ed6), ffmpeg, encoder);
    SyntheticCamera yard = new SyntheticCamera("yard", recordings, Duration.ofSeconds(2), runFor.dividedBy(2), Duration.ofSeconds(8),
        new Color(0x2f9e44), ffmpeg, encoder);
    Map<String, SyntheticCamera> cameras = new LinkedHashMap<>();
    cameras.put("front-door", front);
    cameras.put("yard", yard);

    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
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
    Map<String, Integer> deleted = new java.util.concurrent.ConcurrentHashMap<>();
    try (SqliteHeldarStore store = SqliteHeldarStore.open(database)) {
      for (String id : cameras.keySet()) {
        store.cameras().add(new Camera(id, id, Optional.of(base + id + ".jpg"), started));
        if (store.snapshotSchedules().list().stream().noneMatch(s -> s.cameraId().equals(id))) {
          store.snapshotSchedules().create(id, Duration.ofSeconds(5), true, started);
        }
      }
      MediaProbe ffprobe = file -> FfprobeMediaProbe.onPath().probe(file); // only for non-MP4 files, which the demo does not make
      Duration maxAge = runFor.minusSeconds(15).compareTo(Duration.ofSeconds(30)) < 0 ? Duration.ofSeconds(30) : runFor.minusSeconds(15);
      Heldar heldar = Heldar.builder()
          .store(store)
          .recordingsRoot(recordings)
          .probe(MediaProbes.auto(ffprobe))
          .settleTime(Duration.ofSeconds(1))
          .scanInterval(Duration.ofSeconds(2))
          .snapshotsRoot(snapshots)
          .snapshotSource(SnapshotSources.http())
          .retention(RetentionPolicy.builder().maxAge(maxAge).snapshotMaxAge(maxAge).build())
          .retentionInterval(Duration.ofSeconds(15))
          .listener(new Progress(out))
          .build();
      out.printf("Heldar demo: 2 cameras (%s), segments of 2 s, snapshots every 5 s, retention after %d s; running %d s in %s%n",
          front.description(), maxAge.toSeconds(), runFor.toSeconds(), work);
      out.flush();
      cameras.values().forEach(SyntheticCamera::start);
      heldar.start();
      long deadline = System.nanoTime() + runFor.toNanos();
      while (System.nanoTime() < deadline && !stop.await(Math.min(5000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS)) {
        status(store, started);
      }
      out.println("stopping: cameras first, then a last scan of what they wrote");
      for (SyntheticCamera c : cameras.values()) {
        c.close();
      }
      Thread.sleep(1200); // let the last segment pass the 1 s settle time
      heldar.indexer().orElseThrow().scanOnce();
      heldar.stop();
      status(store, started);
      Path reportDir = options.keep().isPresent() ? work : Files.createTempDirectory("heldar-demo-report-");
      String notes = "Two synthetic cameras (" + front.description() + ") recorded for " + runFor.toSeconds()
          + " s with an outage each; Heldar indexed them, found the outages as gaps, took a snapshot every 5 s and deleted footage older than "
          + maxAge.toSeconds() + " s." + (options.keep().isPresent() ? "" : " The recordings and the database were removed afterwards (use --keep DIR to keep them).");
      Path report = DemoReport.write(reportDir, store, snapshots, database, started.minusSeconds(5), Instant.now().plusSeconds(2), notes);
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

  private void status(SqliteHeldarStore store, Instant started) {
    StringBuilder line = new StringBuilder(String.format("[%3ds]", Duration.between(started, Instant.now()).toSeconds()));
    for (Camera c : store.cameras().list()) {
      line.append(String.format("  %s: %d segments, %d open gap(s), %d snapshots", c.id(), store.segments().count(c.id()),
          store.gaps().list(c.id(), Optional.of(GapStatus.OPEN)).size(), store.snapshots().all(c.id()).size()));
    }
    out.println(line);
    out.flush();
  }

  /** Prints the events a person watching the demo cares about. */
  private record Progress(PrintWriter out) implements HeldarListener {
    @Override
    public void onEvent(HeldarEvent e) {
      String cam = e.cameraId().orElse("-");
      switch (e.kind()) {
        case EventKinds.RECORDING_GAP -> out.printf("  %s: gap of %s s opened (%s .. %s)%n", cam, e.payload().get("gap_seconds"),
            e.payload().get("prev_end"), e.payload().get("next_start"));
        case EventKinds.RECORDING_GAP_FILLED -> out.printf("  %s: gap filled by late footage%n", cam);
        default -> out.printf("  %s: %s %s%n", cam, e.kind(), e.payload());
      }
      out.flush();
    }
  }

  /** The ffmpeg to record with and an H.264/MPEG-4 encoder it has, if one runs here. */
  private Optional<String[]> usableFfmpeg() {
    try {
      Path ff = options.ffmpeg().isPresent() ? FfmpegBinaries.locate("ffmpeg", options.ffmpeg()) : FfmpegBinaries.ffmpeg();
      ProcessRunner.Result r = ProcessRunner.run(List.of(ff.toString(), "-hide_banner", "-encoders"), Duration.ofSeconds(30), 1 << 20, 2048);
      if (r.exitCode() != 0) {
        out.println("ffmpeg at " + ff + " does not run here (" + r.stderrTail().strip() + "); the cameras record in pure Java instead");
        return Optional.empty();
      }
      String encoders = new String(r.stdout(), StandardCharsets.UTF_8);
      for (String enc : List.of("libx264", "libopenh264", "mpeg4")) {
        if (encoders.contains(" " + enc + " ")) {
          return Optional.of(new String[] {ff.toString(), enc});
        }
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      out.println("no usable ffmpeg (" + e.getMessage() + "); the cameras record in pure Java instead");
      return Optional.empty();
    }
  }
}
