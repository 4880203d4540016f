package io.heldar.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.heldar.core.Heldar;
import io.heldar.core.model.Camera;
import io.heldar.core.model.GapCause;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.Segment;
import io.heldar.core.model.Snapshot;
import io.heldar.core.probe.MediaProbes;
import io.heldar.examples.http.JettyApiServer;
import io.heldar.http.HttpApiOptions;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import javax.imageio.ImageIO;

/**
 * {@code heldar bench page}: how long the page of {@code heldar run --http} takes to show every
 * camera's timeline, in headless Chromium, as the number of cameras grows. For each camera count,
 * builds a SQLite database of that many cameras, each with {@code hours} of segments of {@code
 * segmentSeconds} (a five-minute gap every three hours, its cause changing; a one-segment hole every
 * two hours; a snapshot every ten minutes), serves it as {@code heldar run --http} does, and loads
 * the page over the whole span {@code runs} times: first render (navigation start to the timelines
 * drawn and painted), the requests it took, the time until every picture has loaded, and how long
 * the server took for the timelines.
 */
public final class PageBench {
  /**
   * What to run.
   *
   * @param cameras camera counts, one measurement each
   * @param hours footage per camera
   * @param segmentSeconds length of each segment
   * @param runs page loads per camera count (the median is reported)
   * @param chromium the Chromium to drive
   * @param work where the databases and snapshots are built (kept for later runs)
   */
  public record Options(
      List<Integer> cameras,
      double hours,
      int segmentSeconds,
      int runs,
      Path chromium,
      Path work) {}

  private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
  private static final GapCause[] CAUSES = {GapCause.MISSING, GapCause.LOST, GapCause.RETENTION};

  private final Options options;
  private final PrintWriter out;

  public PageBench(Options options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  public void run() throws Exception {
    Instant end = T0.plusMillis((long) (options.hours() * 3_600_000));
    try (HeadlessChromium chromium = HeadlessChromium.start(options.chromium())) {
      chromium.viewport(1280, 800);
      boolean weighed = false;
      for (int n : options.cameras()) {
        Path dir = Files.createDirectories(options.work().resolve("page-" + n));
        Path db = dir.resolve("heldar.db");
        if (!Files.exists(db)) {
          long b0 = System.nanoTime();
          int segments = build(db, dir.resolve("snapshots"), n, end);
          out.printf(
              Locale.ROOT,
              "built %d cameras, %d segments in %.1f s%n",
              n,
              segments,
              (System.nanoTime() - b0) / 1e9);
          out.flush();
        }
        try (SqliteHeldarStore store = SqliteHeldarStore.open(db)) {
          // Not started: the API reads the store; nothing scans or takes snapshots meanwhile.
          Heldar heldar = Heldar.builder()
              .store(store)
              .recordingsRoot(Files.createDirectories(dir.resolve("recordings")))
              .snapshotsRoot(dir.resolve("snapshots"))
              .snapshotSource((camera, timeout) -> {
                throw new io.heldar.core.snapshot.SnapshotCaptureException(
                    camera.id(), "a benchmark takes none");
              })
              .probe(MediaProbes.nativeMp4())
              .build();
          try (JettyApiServer server = new JettyApiServer(
              heldar,
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
              HttpApiOptions.defaults())) {
            server.start();
            String base = "http://127.0.0.1:" + server.address().getPort();
            if (!weighed) {
              out.printf(Locale.ROOT, "page weight: %d bytes uncompressed%n", weight(base));
              weighed = true;
            }
            measure(chromium, base, n, end);
          }
        }
      }
    }
  }

  private void measure(HeadlessChromium chromium, String base, int n, Instant end)
      throws Exception {
    String url = base + "/#from=" + T0 + "&to=" + end + "&zone=UTC";
    double[] render = new double[options.runs()];
    double[] pictures = new double[options.runs()];
    double[] timeline = new double[options.runs()];
    int requests = 0;
    int shown = 0;
    for (int r = 0; r < options.runs(); r++) {
      chromium.navigate("about:blank");
      chromium.navigate(url);
      JsonNode m = chromium.eval(
          "new Promise((resolve, reject) => { const t0 = Date.now(); (function poll() {"
              + " const b = document.body; if (b && b.dataset.ready === 'true') {"
              + "  const api = performance.getEntriesByType('resource')"
              + "   .filter(e => !/snapshot\\.jpg|thumbnails/.test(e.name));"
              + "  const tl = api.filter(e => e.name.includes('/api/timeline'));"
              + "  resolve([Number(b.dataset.renderMs), api.length + 1,"
              + "   tl.reduce((s, e) => s + e.responseEnd - e.requestStart, 0),"
              + "   document.querySelectorAll('li.camera').length]); }"
              + " else if (b && b.dataset.ready === 'error') reject(new Error("
              + "  document.getElementById('status').textContent));"
              + " else if (Date.now() - t0 > 120000) reject(new Error('not ready'));"
              + " else setTimeout(poll, 5); })(); })",
          Duration.ofSeconds(130));
      render[r] = m.get(0).asDouble();
      requests = m.get(1).asInt();
      timeline[r] = m.get(2).asDouble();
      shown = m.get(3).asInt();
      pictures[r] = chromium
          .eval(
              "new Promise((resolve, reject) => { const t0 = Date.now(); (function poll() {"
                  + " const imgs = Array.from(document.images);"
                  + " if (imgs.length >= 2 * " + n + " && imgs.every(i => i.complete))"
                  + "   resolve(performance.now());"
                  + " else if (Date.now() - t0 > 120000) reject(new Error('pictures: '"
                  + "   + imgs.filter(i => i.complete).length + ' of ' + imgs.length));"
                  + " else setTimeout(poll, 5); })(); })",
              Duration.ofSeconds(130))
          .asDouble();
    }
    if (shown != n) {
      throw new IllegalStateException("the page showed " + shown + " of " + n + " cameras");
    }
    out.printf(
        Locale.ROOT,
        "%4d cameras x %.0f h: first render %5.0f ms (median of %d; min %.0f, max %.0f), %d requests"
            + " for it (page and API), /api/timeline %5.0f ms on the server side; all %d pictures by %5.0f ms%n",
        n,
        options.hours(),
        median(render),
        options.runs(),
        Arrays.stream(render).min().orElse(0),
        Arrays.stream(render).max().orElse(0),
        requests,
        median(timeline),
        2 * n,
        median(pictures));
    out.flush();
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }

  /** Bytes of the page's own files: the HTML, the script, the styles and the icon. */
  private static long weight(String base) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long total = 0;
    for (String p : List.of("/", "/page/app.js", "/page/style.css", "/page/icon.svg")) {
      total += http.send(
              HttpRequest.newBuilder(URI.create(base + p)).build(),
              HttpResponse.BodyHandlers.ofByteArray())
          .body()
          .length;
    }
    return total;
  }

  /** Builds the database and the snapshot files; returns the number of segments. */
  private int build(Path db, Path snapshots, int cameras, Instant end) throws IOException {
    MediaInfo media = HttpBench.syntheticMedia(Duration.ofSeconds(options.segmentSeconds()));
    int total = 0;
    long step = options.segmentSeconds();
    try (SqliteHeldarStore store = SqliteHeldarStore.open(db)) {
      for (int c = 0; c < cameras; c++) {
        String cam = String.format(Locale.ROOT, "cam-%03d", c);
        store.cameras().add(Camera.of(cam, T0));
        List<Segment> batch = new ArrayList<>();
        for (Instant t = T0; t.isBefore(end); t = t.plusSeconds(step)) {
          long second = Duration.between(T0, t).getSeconds();
          if (second % 10_800 >= 5_400 && second % 10_800 < 5_700) {
            if (second % 10_800 < 5_400 + step) {
              store
                  .gaps()
                  .insertOpen(
                      cam,
                      t,
                      t.plusSeconds(300),
                      CAUSES[(int) (second / 10_800) % CAUSES.length],
                      T0);
            }
            continue;
          }
          if (second % 7_200 == 3_600) {
            continue; // a hole of one segment: a new run, no gap row
          }
          batch.add(
              Segment.of(cam, cam + "/" + t.getEpochSecond() + ".mp4", t, media, 1_000_000, t, T0));
        }
        total += batch.size();
        List<Segment> rows = List.copyOf(batch);
        store.useTransaction(() ->
            store.cameraStats().addIndexed(cam, store.segments().insertAll(rows), Instant.now()));
        Path jpeg = picture(snapshots.resolve(cam), c);
        for (Instant t = T0; t.isBefore(end); t = t.plusSeconds(600)) {
          String name = cam + "/" + t.getEpochSecond() + ".jpg";
          Files.createLink(snapshots.resolve(name), jpeg);
          store
              .snapshots()
              .insert(new Snapshot(cam, OptionalLong.empty(), name, t, Files.size(jpeg), t));
        }
      }
    }
    return total;
  }

  /** A 320x180 JPEG in the camera's colour: every snapshot of a camera links to it. */
  private static Path picture(Path dir, int camera) throws IOException {
    Files.createDirectories(dir);
    BufferedImage image = new BufferedImage(320, 180, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.getHSBColor((camera * 0.137f) % 1, 0.5f, 0.6f));
      g.fillRect(0, 0, 320, 180);
      g.setColor(Color.WHITE);
      for (int i = 0; i <= camera % 10; i++) {
        g.fillRect(20 + i * 28, 40, 20, 100); // no text: no fonts needed on a server
      }
    } finally {
      g.dispose();
    }
    Path file = dir.resolve("picture.jpg");
    if (!ImageIO.write(image, "jpg", file.toFile())) {
      throw new UncheckedIOException(new IOException("no JPEG writer"));
    }
    return file;
  }
}
