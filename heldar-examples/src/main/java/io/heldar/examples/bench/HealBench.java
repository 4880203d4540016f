package io.heldar.examples.bench;

import io.heldar.core.Heldar;
import io.heldar.core.heal.HealOptions;
import io.heldar.core.model.Camera;
import io.heldar.core.model.GapStatus;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.runtime.ManualRuntime;
import io.heldar.ffmpeg.ExternalProcess;
import io.heldar.ffmpeg.FfmpegBinaries;
import io.heldar.ffmpeg.HttpEdgeSource;
import io.heldar.store.sqlite.SqliteHeldarStore;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Seconds of footage healed per minute against the edge's bandwidth: a local HTTP edge (MediaMTX's
 * {@code /get} shape) that sends ffmpeg-made H.264 for any range at a set number of bytes a second;
 * a camera with one gap of {@code gapMinutes}; rounds of the healer (a chunk each) and the indexer
 * until the gap is closed.
 */
public final class HealBench {
  /**
   * What to measure.
   *
   * @param bandwidths the edge's bytes a second, one run each
   * @param gapMinutes the outage
   * @param chunk the length of a fetch
   * @param videoKbps the footage's bit rate
   * @param work the work directory
   * @param runs runs at each bandwidth; each figure is their median
   */
  public record Options(
      List<Long> bandwidths, int gapMinutes, Duration chunk, int videoKbps, Path work, int runs) {}

  private static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Options options;
  private final PrintWriter out;
  private final Map<Long, byte[]> clips = new ConcurrentHashMap<>();
  private volatile long bandwidth;

  /** A bench of {@code options}, printing to {@code out}. */
  public HealBench(Options options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  /** Runs it. */
  public void run() throws Exception {
    out.println(BenchMachine.describe());
    Server edge = new Server();
    ServerConnector connector = new ServerConnector(edge);
    connector.setHost("127.0.0.1");
    edge.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(
        new ServletHolder(new HttpServlet() {
          @Override
          protected void doGet(HttpServletRequest req, HttpServletResponse resp)
              throws IOException {
            long seconds = Math.round(Double.parseDouble(req.getParameter("duration")));
            byte[] body = clips.computeIfAbsent(seconds, HealBench.this::footage);
            resp.setContentType("video/mp4");
            resp.setContentLengthLong(body.length);
            OutputStream o = resp.getOutputStream();
            long started = System.nanoTime();
            for (int off = 0; off < body.length; off += 64 << 10) {
              int n = Math.min(64 << 10, body.length - off);
              o.write(body, off, n);
              long due = started + (off + n) * 1_000_000_000L / bandwidth;
              long wait = due - System.nanoTime();
              if (wait > 0) {
                try {
                  Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
              }
            }
          }
        }),
        "/get");
    edge.setHandler(context);
    edge.start();
    try {
      byte[] chunk = clips.computeIfAbsent(options.chunk().toSeconds(), this::footage);
      out.printf(
          Locale.ROOT,
          "footage: H.264 %d kbit/s, a %d s chunk is %.1f MB; gap %d min%n",
          options.videoKbps(),
          options.chunk().toSeconds(),
          chunk.length / 1e6,
          options.gapMinutes());
      out.println("edge MB/s | footage s | wall s | seconds healed a minute | MB/s received");
      for (long b : options.bandwidths()) {
        bandwidth = b;
        RunFigures figures = new RunFigures();
        for (int run = 0; run < options.runs(); run++) {
          runOnce(b, run, connector.getLocalPort(), figures);
        }
        if (options.runs() > 1) {
          figures.print(
              out,
              String.format(
                  Locale.ROOT, "%.1f MB/s edge, median of %d runs", b / 1e6, options.runs()),
              "%.2f");
        }
      }
      out.println("load average after: " + BenchMachine.loadAverage());
      out.flush();
    } finally {
      edge.stop();
    }
  }

  private void runOnce(long b, int run, int port, RunFigures figures) throws Exception {
    Path dir = Files.createDirectories(options.work().resolve("heal-" + b + "-" + run));
    Path cam = Files.createDirectories(dir.resolve("rec/gate"));
    // Footage of a few hours ago, so the files' times and the clock agree.
    Instant t0 = Instant.now()
        .minus(Duration.ofMinutes(options.gapMinutes() + 180L))
        .truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    Instant after = t0.plusSeconds(options.chunk().toSeconds() + 60L * options.gapMinutes());
    for (Instant start : List.of(t0, after)) {
      Path f = cam.resolve(NAME.format(start) + ".mp4");
      Files.write(f, clips.get(options.chunk().toSeconds()));
      Files.setLastModifiedTime(f, FileTime.from(start.plus(options.chunk())));
    }
    Clock clock = Clock.systemUTC();
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      store.cameras().add(Camera.of("gate", t0));
      Heldar heldar = Heldar.builder()
          .store(store)
          .clock(clock)
          .recordingsRoot(dir.resolve("rec"))
          .probe(MediaProbes.nativeMp4())
          .probeExecutor(Runnable::run)
          .edgeSource(HttpEdgeSource.of(
              "http://127.0.0.1:" + port + "/get?path={camera}&start={start}&duration={seconds}"))
          .healing(HealOptions.builder()
              .chunk(options.chunk())
              .maxAge(Duration.ofDays(1))
              .build())
          .manualRuntime()
          .build();
      ManualRuntime runtime = heldar.manualRuntime();
      heldar.start();
      runtime.tick("segment-indexer");
      long s0 = System.nanoTime();
      int rounds = 0;
      while (!store.gaps().list("gate", Optional.of(GapStatus.OPEN)).isEmpty()) {
        if (++rounds > options.gapMinutes() * 120 / Math.max(1, options.chunk().toSeconds()) + 10) {
          throw new IllegalStateException(
              "the gap did not close: " + store.gaps().list("gate", Optional.of(GapStatus.OPEN)));
        }
        runtime.tick("gap-healer");
        runtime.tick("segment-indexer");
      }
      double wall = (System.nanoTime() - s0) / 1e9;
      double healed = 60.0 * options.gapMinutes();
      long bytes = store.cameraStats().find("gate").orElseThrow().totalBytes()
          - 2L * clips.get(options.chunk().toSeconds()).length;
      out.printf(
          Locale.ROOT,
          "%.1f | %.0f | %.1f | %.0f | %.2f%n",
          b / 1e6,
          healed,
          wall,
          healed / wall * 60,
          bytes / wall / 1e6);
      out.flush();
      figures
          .add("wall s", wall)
          .add("seconds healed a minute", healed / wall * 60)
          .add("MB/s received", bytes / wall / 1e6);
      heldar.stop();
    }
  }

  private byte[] footage(long seconds) {
    try {
      Path f = options.work().resolve("edge-" + seconds + ".mp4");
      // libx264 where ffmpeg has it, else OpenH264 (the bundled LGPL ffmpeg's encoder).
      for (String encoder : List.of("libx264", "libopenh264")) {
        if (Files.exists(f)) {
          break;
        }
        ExternalProcess.run(
            List.of(
                FfmpegBinaries.ffmpeg().toString(),
                "-nostdin",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=1280x720:rate=25:duration=" + seconds,
                "-c:v",
                encoder,
                "-b:v",
                options.videoKbps() + "k",
                "-g",
                "50",
                "-pix_fmt",
                "yuv420p",
                "-movflags",
                "+faststart",
                "-f",
                "mp4",
                f.toString()),
            Duration.ofMinutes(5),
            4096,
            4096);
      }
      return Files.readAllBytes(f);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
