package io.heldar.examples.bench;

import io.heldar.core.Heldar;
import io.heldar.core.model.Camera;
import io.heldar.core.model.GapCause;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.Segment;
import io.heldar.core.probe.MediaProbes;
import io.heldar.examples.http.JettyApiServer;
import io.heldar.http.HttpApiOptions;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code heldar bench http}: the HTTP API under slow connections and under load, over loopback.
 * Builds a SQLite database of {@code segments} 2 s segments over {@code cameras} cameras (a gap
 * every 5,000), serves it with {@code heldar run --http}'s server ({@link JettyApiServer}) or
 * targets a server already running ({@code --url}), then:
 *
 * <ol>
 *   <li>{@code /health} latency with 4 idle connections open (one byte sent each), then with 300
 *       slow connections (a request head begun and never finished);
 *   <li>{@code clients} keep-alive clients for {@code seconds}: a mix of {@code /health}, one-hour
 *       timelines, segment pages, {@code /api/cameras} and {@code /metrics} at random places;
 *       requests per second and latency percentiles.
 * </ol>
 */
public final class HttpBench {
  /**
   * What to run.
   *
   * @param segments segments in the database
   * @param cameras cameras they are spread over
   * @param clients concurrent clients of the load phase
   * @param seconds how long the load phase lasts
   * @param work the work directory (the database is kept there for a later {@code --url} run)
   * @param url a server to measure instead of starting one (its database must be this bench's)
   * @param runs runs of the probes and the load; each figure is their median
   */
  public record Options(
      int segments,
      int cameras,
      int clients,
      int seconds,
      Path work,
      Optional<URI> url,
      int runs) {}

  private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");

  private final Options options;
  private final PrintWriter out;

  public HttpBench(Options options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  /** The database file this bench builds (or finds) in {@code work}. */
  public static Path database(Path work) {
    return work.resolve("http-bench.db");
  }

  public void run() throws Exception {
    Path db = database(options.work());
    int perCamera = options.segments() / options.cameras();
    if (!Files.exists(db)) {
      long b0 = System.nanoTime();
      build(db, perCamera);
      out.printf(
          "built %d segments over %d cameras in %.1f s (%s)%n",
          (long) perCamera * options.cameras(),
          options.cameras(),
          (System.nanoTime() - b0) / 1e9,
          db);
    } else {
      out.printf("using the database already in %s%n", db);
    }
    out.flush();
    if (options.url().isPresent()) {
      measure(options.url().get(), perCamera);
      return;
    }
    Path root = Files.createDirectories(options.work().resolve("recordings"));
    try (SqliteHeldarStore store = SqliteHeldarStore.open(db)) {
      Heldar heldar = Heldar.builder()
          .store(store)
          .recordingsRoot(root)
          .probe(MediaProbes.nativeMp4())
          .scanInterval(Duration.ofMinutes(10))
          .build();
      heldar.start();
      try (JettyApiServer server = new JettyApiServer(
          heldar,
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
          HttpApiOptions.defaults())) {
        server.start();
        measure(URI.create("http://127.0.0.1:" + server.address().getPort()), perCamera);
      } finally {
        heldar.stop();
      }
    }
  }

  private void build(Path db, int perCamera) {
    MediaInfo media = syntheticMedia(Duration.ofSeconds(2));
    try (SqliteHeldarStore store = SqliteHeldarStore.open(db)) {
      for (int c = 0; c < options.cameras(); c++) {
        String cam = camera(c);
        store.cameras().add(Camera.of(cam, T0));
        try {
          Files.createDirectories(db.resolveSibling("recordings").resolve(cam));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        List<Segment> batch = new ArrayList<>();
        for (int i = 0; i < perCamera; i++) {
          Instant start = T0.plusSeconds(2L * i);
          if (i % 5000 == 4999) {
            store.gaps().insertOpen(cam, start, start.plusSeconds(2), GapCause.MISSING, T0);
            continue;
          }
          batch.add(Segment.of(
              cam,
              cam + "/" + start.getEpochSecond() + ".mp4",
              start,
              media,
              1_000_000,
              start,
              T0));
          if (batch.size() == 20_000 || i == perCamera - 1) {
            List<Segment> b = List.copyOf(batch);
            store.useTransaction(() ->
                store.cameraStats().addIndexed(cam, store.segments().insertAll(b), Instant.now()));
            batch.clear();
          }
        }
      }
    }
  }

  /** What the benchmarks' rows say a segment holds: 1080p H.264 at 25 fps and 4 Mbit/s. */
  static MediaInfo syntheticMedia(Duration length) {
    return new MediaInfo(
        length,
        "mov,mp4,m4a,3gp,3g2,mj2",
        "h264",
        1920,
        1080,
        OptionalDouble.of(25),
        OptionalLong.of(4_000_000),
        Optional.empty());
  }

  private static String camera(int c) {
    return String.format(java.util.Locale.ROOT, "cam-%02d", c);
  }

  private void measure(URI base, int perCamera) throws Exception {
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
    out.printf("server: %s%n", base);
    // warm up
    for (int i = 0; i < 50; i++) {
      get(client, base, "/health");
    }
    RunFigures figures = new RunFigures();
    for (int run = 1; run <= options.runs(); run++) {
      out.printf("run %d of %d:%n", run, options.runs());
      measureOnce(client, base, perCamera, figures);
    }
    figures.print(out, "median of " + options.runs() + " run(s)", "%.1f");
    out.println("load average after: " + BenchMachine.loadAverage());
    out.flush();
  }

  private void measureOnce(HttpClient client, URI base, int perCamera, RunFigures figures)
      throws Exception {
    InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        Socket s = new Socket(address.getAddress(), address.getPort());
        s.getOutputStream().write('G');
        held.add(s);
      }
      report("/health with 4 idle connections open", probes(client, base, 20), figures);
      for (int i = 0; i < 300; i++) {
        Socket s = new Socket(address.getAddress(), address.getPort());
        s.getOutputStream()
            .write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        held.add(s);
      }
      report("/health with 300 slow connections open", probes(client, base, 20), figures);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    load(client, base, perCamera, figures);
  }

  /** {@code n} probes of /health, one after the other: their latencies in ms (-1: failed). */
  private static double[] probes(HttpClient client, URI base, int n) {
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      int status = get(client, base, "/health");
      ms[i] = status == 200 ? (System.nanoTime() - t0) / 1e6 : -1;
    }
    return ms;
  }

  private void report(String what, double[] ms, RunFigures figures) {
    long failed = Arrays.stream(ms).filter(v -> v < 0).count();
    double[] ok = Arrays.stream(ms).filter(v -> v >= 0).toArray();
    out.printf(
        "%s: %d probes, %d failed or timed out (5 s); median %.1f ms, max %.1f ms%n",
        what, ms.length, failed, pct(ok, 0.5), pct(ok, 1));
    out.flush();
    figures
        .add(what + ", probes failed", failed)
        .add(what + ", median ms", pct(ok, 0.5))
        .add(what + ", max ms", pct(ok, 1));
  }

  private void load(HttpClient client, URI base, int perCamera, RunFigures figures)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(options.clients());
    long end = System.nanoTime() + options.seconds() * 1_000_000_000L;
    AtomicLong errors = new AtomicLong();
    List<Future<List<double[]>>> results = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int c = 0; c < options.clients(); c++) {
      int seed = c;
      results.add(pool.submit(() -> {
        Random random = new Random(seed);
        List<double[]> latencies = new ArrayList<>();
        while (System.nanoTime() < end) {
          String path = request(random, perCamera);
          long q0 = System.nanoTime();
          int status = get(client, base, path);
          latencies.add(new double[] {kind(path), (System.nanoTime() - q0) / 1e6});
          if (status != 200) {
            errors.incrementAndGet();
          }
        }
        return latencies;
      }));
    }
    List<double[]> all = new ArrayList<>();
    for (Future<List<double[]>> f : results) {
      all.addAll(f.get());
    }
    double took = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    double[] ms = all.stream().mapToDouble(l -> l[1]).toArray();
    out.printf(
        "load: %d clients for %.1f s over %d segments: %d requests, %.0f req/s, %d not 200;"
            + " latency median %.1f ms, p99 %.1f ms, max %.1f ms%n",
        options.clients(),
        took,
        (long) perCamera * options.cameras(),
        ms.length,
        ms.length / took,
        errors.get(),
        pct(ms, 0.5),
        pct(ms, 0.99),
        pct(ms, 1));
    figures
        .add("load req/s", ms.length / took)
        .add("load not 200", errors.get())
        .add("load latency median ms", pct(ms, 0.5))
        .add("load latency p99 ms", pct(ms, 0.99));
    for (int k = 0; k < KINDS.length; k++) {
      int kind = k;
      double[] of =
          all.stream().filter(l -> l[0] == kind).mapToDouble(l -> l[1]).toArray();
      out.printf(
          "  %-26s %5.1f%% of requests: median %.1f ms, p99 %.1f ms%n",
          KINDS[k], 100.0 * of.length / ms.length, pct(of, 0.5), pct(of, 0.99));
      figures.add("  " + KINDS[k] + " p99 ms", pct(of, 0.99));
    }
    out.flush();
  }

  private static final String[] KINDS = {
    "/health", "timeline (one hour)", "segments (page of 100)", "/api/cameras", "/metrics"
  };

  private static int kind(String path) {
    if (path.equals("/health")) {
      return 0;
    } else if (path.contains("/timeline")) {
      return 1;
    } else if (path.contains("/segments")) {
      return 2;
    } else if (path.equals("/api/cameras")) {
      return 3;
    }
    return 4;
  }

  private String request(Random random, int perCamera) {
    int r = random.nextInt(100);
    String cam = camera(random.nextInt(options.cameras()));
    Instant from = T0.plusSeconds(random.nextInt(Math.max(1, 2 * perCamera - 3600)));
    String range = "from=" + from + "&to=" + from.plusSeconds(3600);
    if (r < 30) {
      return "/health";
    } else if (r < 55) {
      return "/api/cameras/" + cam + "/timeline?" + range;
    } else if (r < 80) {
      return "/api/cameras/" + cam + "/segments?" + range + "&limit=100";
    } else if (r < 90) {
      return "/api/cameras";
    }
    return "/metrics";
  }

  private static int get(HttpClient client, URI base, String path) {
    try {
      return client
          .send(
              HttpRequest.newBuilder(base.resolve(path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static double pct(double[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    return v[(int) Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))];
  }
}
