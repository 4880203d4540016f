package io.heldar.examples.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heldar.core.model.Snapshot;
import io.heldar.examples.bench.HeadlessChromium;
import io.heldar.examples.http.ServedHeldar;
import io.heldar.ffmpeg.testing.ClipFootage;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.http.HttpApiOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page of {@code heldar run --http} in headless Chromium, on real footage with a gap: it loads
 * with no error, shows the API's gaps with their causes, plays the footage a click lands on, shows
 * a DST day as 23 hours, and asks for the token of a protected server, then works. A screenshot
 * of the timeline is kept as a test artifact ({@code target/page-timeline.png}).
 */
class PageInBrowserTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC);
  static final ObjectMapper JSON = new ObjectMapper();
  static final String VIEW = "#from=2026-11-21T09:59:00Z&to=2026-11-21T10:01:00Z&zone=UTC";

  /** Within a promise: resolves with the new view once the page has rendered it. */
  static final String AFTER_RENDER = " window.addEventListener('hashchange', () => {"
      + " (function poll() { if (document.body.dataset.ready === 'true')"
      + " resolve(decodeURIComponent(location.hash)); else setTimeout(poll, 20); })(); },"
      + " {once: true});";

  @TempDir
  Path dir;

  /** gate: [0, 6) s and [12, 16) s of footage, a 6 s hole between. */
  private Path record() {
    Path root = dir.resolve("rec");
    for (int k : new int[] {0, 1, 2, 6, 7}) {
      Path f = root.resolve("gate").resolve(NAME.format(T0.plusSeconds(2L * k)) + ".mp4");
      ClipFootage.segment(ClipFootage.parents(f), 2.0 * k, 2, "320x240", true, ClipFootage.H264);
      TestMedia.touch(f, Instant.now().minusSeconds(60));
    }
    return root;
  }

  private static void awaitReady(HeadlessChromium c, String state) throws Exception {
    c.eval(
        "new Promise((resolve, reject) => { const t = Date.now(); (function poll() {"
            + " if (document.body && document.body.dataset.ready === '" + state
            + "') resolve(true);"
            + " else if (document.body && document.body.dataset.ready === 'error')"
            + "   reject(new Error(document.getElementById('status').textContent));"
            + " else if (Date.now() - t > 20000) reject(new Error('not ready: '"
            + "   + (document.body && document.body.dataset.ready)));"
            + " else setTimeout(poll, 50); })(); })",
        Duration.ofSeconds(30));
  }

  @Test
  void thePageShowsTheGapsOfTheApiAndPlaysWhatIsClicked() throws Exception {
    Path root = record();
    Path snaps = snapshots();
    try (ServedHeldar served = new ServedHeldar(
            dir, root, Optional.of(snaps), Map.of("gate", 5), HttpApiOptions.defaults());
        HeadlessChromium chromium = HeadlessChromium.start()) {
      for (int k = 0; k < 4; k++) {
        Instant at = T0.plusSeconds(4L * k);
        served
            .store
            .snapshots()
            .insert(new Snapshot(
                "gate",
                OptionalLong.empty(),
                "gate/" + k + ".jpg",
                at,
                Files.size(snaps.resolve("gate/" + k + ".jpg")),
                at));
      }
      // The snapshot API the page uses: pages by "after", JPEGs with an ETag.
      HttpClient http = HttpClient.newHttpClient();
      String range = "from=2026-11-21T09:59:00Z&to=2026-11-21T10:01:00Z";
      JsonNode first = JSON.readTree(http.send(
              HttpRequest.newBuilder(URI.create(
                      served.base() + "/api/cameras/gate/snapshots?" + range + "&limit=3"))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body());
      assertThat(first.path("snapshots")).hasSize(3);
      JsonNode rest = JSON.readTree(http.send(
              HttpRequest.newBuilder(URI.create(served.base()
                      + "/api/cameras/gate/snapshots?" + range + "&limit=3&after="
                      + first.path("next_after").asText()))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body());
      assertThat(rest.path("snapshots")).hasSize(1);
      assertThat(rest.path("next_after").isNull()).isTrue();
      HttpResponse<byte[]> jpeg = http.send(
          HttpRequest.newBuilder(URI.create(
                  served.base() + "/api/cameras/gate/snapshot.jpg?at=" + T0.plusSeconds(5)))
              .build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(jpeg.statusCode()).isEqualTo(200);
      assertThat(jpeg.headers().firstValue("Content-Type")).contains("image/jpeg");
      assertThat(jpeg.headers().firstValue("X-Heldar-Taken-At"))
          .contains(T0.plusSeconds(4).toString());
      assertThat(jpeg.body()).isEqualTo(Files.readAllBytes(snaps.resolve("gate/1.jpg")));
      assertThat(http.send(
                  HttpRequest.newBuilder(URI.create(
                          served.base() + "/api/cameras/gate/snapshot.jpg?at=" + T0.plusSeconds(5)))
                      .header("If-None-Match", jpeg.headers().firstValue("ETag").orElseThrow())
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray())
              .statusCode())
          .isEqualTo(304);

      HttpResponse<byte[]> sprite = http.send(
          HttpRequest.newBuilder(URI.create(
                  served.base() + "/api/cameras/gate/thumbnails.jpg?" + range + "&count=12"))
              .build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(sprite.statusCode()).isEqualTo(200);
      java.awt.image.BufferedImage sheet =
          javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(sprite.body()));
      assertThat(sheet.getWidth()).isEqualTo(10 * 160);
      assertThat(sheet.getHeight()).isEqualTo(2 * 90);
      String vtt = http.send(
              HttpRequest.newBuilder(URI.create(
                      served.base() + "/api/cameras/gate/thumbnails.vtt?" + range + "&count=12"))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
      assertThat(vtt)
          .startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:10.000\nthumbnails.jpg?")
          .contains("#xywh=160,90,160,90", "00:01:50.000 --> 00:02:00.000");

      JsonNode timeline = JSON.readTree(HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(
                      URI.create(
                          served.base()
                              + "/api/cameras/gate/timeline?from=2026-11-21T09:59:00Z&to=2026-11-21T10:01:00Z"))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body());
      List<String> apiCauses = new ArrayList<>();
      timeline.path("gaps").forEach(g -> apiCauses.add(g.path("cause").asText()));
      assertThat(apiCauses).isNotEmpty();

      chromium.viewport(1280, 800);
      chromium.watchErrors();
      chromium.navigate(served.base() + "/" + VIEW);
      awaitReady(chromium, "true");

      JsonNode shown = chromium.eval(
          "Array.from(document.querySelectorAll('[data-gap-cause]'))"
              + ".map(r => r.dataset.gapCause)",
          Duration.ofSeconds(5));
      List<String> pageCauses = new ArrayList<>();
      shown.forEach(n -> pageCauses.add(n.asText()));
      assertThat(pageCauses).containsExactlyElementsOf(apiCauses);
      assertThat(chromium
              .eval("document.querySelectorAll('rect.footage').length", Duration.ofSeconds(5))
              .asInt())
          .isEqualTo(timeline.path("runs").size());
      // The bulk timeline the page asks for agrees with the camera's own.
      JsonNode all = JSON.readTree(http.send(
              HttpRequest.newBuilder(URI.create(served.base() + "/api/timeline?" + range))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body());
      assertThat(all.path("cameras")).hasSize(1);
      assertThat(all.path("cameras").get(0).path("gaps")).isEqualTo(timeline.path("gaps"));
      assertThat(all.path("cameras").get(0).path("runs")).isEqualTo(timeline.path("runs"));
      assertThat(all.path("cameras").get(0).path("snapshots").asBoolean()).isTrue();
      // The snapshots: the latest beside the name, and the strip (the sprite sheet named by the
      // thumbnails track, one row of ten) along the timeline, both loaded.
      JsonNode images = chromium.eval(
          "new Promise(r => { const t0 = Date.now(); (function poll() {"
              + " const imgs = Array.from(document.images);"
              + " if ((imgs.length === 2 && imgs.every(i => i.complete)) || Date.now() - t0 > 10000)"
              + "   r(imgs.map(i => i.naturalWidth + 'x' + i.naturalHeight)); else setTimeout(poll, 50);"
              + " })(); })",
          Duration.ofSeconds(15));
      assertThat(images.toString()).isEqualTo("[\"160x120\",\"1600x90\"]");
      // Hovering the timeline at 10:00:05 previews the snapshot of 10:00:04 (the sixth tile).
      JsonNode preview = chromium.eval(
          "(() => { const svg = document.querySelector('svg.track');"
              + " const b = svg.getBoundingClientRect();"
              + " svg.dispatchEvent(new PointerEvent('pointermove', {bubbles: true,"
              + "   clientX: b.left + b.width * 65 / 120, clientY: b.top + 5}));"
              + " const p = document.getElementById('preview'), d = p.querySelector('div');"
              + " return [p.hidden, d.hidden, d.style.backgroundPosition, d.style.width]; })()",
          Duration.ofSeconds(5));
      assertThat(preview.toString()).isEqualTo("[false,false,\"-800px 0px\",\"160px\"]");
      // The recent events, newest first, as the API lists them.
      JsonNode recent = JSON.readTree(http.send(
              HttpRequest.newBuilder(
                      URI.create(served.base() + "/api/events?before=latest&limit=20"))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body());
      assertThat(recent.path("events")).isNotEmpty();
      JsonNode listed = chromium.eval(
          "Array.from(document.querySelectorAll('#events a')).map(a => a.textContent)",
          Duration.ofSeconds(5));
      assertThat(listed).hasSize(recent.path("events").size());
      for (int i = 0; i < listed.size(); i++) {
        assertThat(listed.get(i).asText())
            .endsWith(recent.path("events").get(i).path("kind").asText().replace('_', ' '));
      }
      Files.createDirectories(Path.of("target"));
      Files.write(Path.of("target/page-timeline.png"), chromium.screenshot());

      // A click on the first run of footage plays it: the video's time moves on.
      chromium.eval(
          "(() => { const r = document.querySelector('rect.footage');"
              + " const b = r.getBoundingClientRect();"
              + " r.ownerSVGElement.dispatchEvent(new MouseEvent('click', {bubbles: true,"
              + "   clientX: b.left + b.width / 3, clientY: b.top + b.height / 2})); return true; })()",
          Duration.ofSeconds(5));
      double t = chromium
          .eval(
              "new Promise((resolve, reject) => { const v ="
                  + " document.getElementById('video'); const t0 = Date.now(); (function poll() {"
                  + " if (v.currentTime > 0.5) resolve(v.currentTime);"
                  + " else if (Date.now() - t0 > 15000) reject(new Error('not playing: ' + v.currentTime"
                  + "   + ' ' + (v.error && v.error.message) + ' ' + v.src));"
                  + " else setTimeout(poll, 50); })(); })",
              Duration.ofSeconds(20))
          .asDouble();
      assertThat(t).isGreaterThan(0.5);
      // When the run ends, the gap after it is named (not played as a frozen frame), with a way
      // to play on from the next footage.
      String after = chromium
          .eval(
              "new Promise((resolve, reject) => { const v = document.getElementById('video');"
                  + " const t0 = Date.now(); (function poll() {"
                  + " const a = document.getElementById('after').textContent;"
                  + " if (v.ended && a) resolve(a);"
                  + " else if (Date.now() - t0 > 20000) reject(new Error('not ended: ' + v.currentTime));"
                  + " else setTimeout(poll, 50); })(); })",
              Duration.ofSeconds(25))
          .asText();
      assertThat(after).contains("Gap (" + apiCauses.get(0) + ")", "Play on from");

      // A drag to the left moves the view later by the share of the width dragged; the wheel
      // zooms in around the pointer.
      String dragged = chromium
          .eval(
              "new Promise(resolve => { const svg = document.querySelector('svg.track');"
                  + " const b = svg.getBoundingClientRect(), y = b.top + 5;"
                  + " const at = (x, type) => svg.dispatchEvent(new PointerEvent(type,"
                  + "   {bubbles: true, clientX: b.left + x, clientY: y, pointerId: 1}));"
                  + AFTER_RENDER
                  + " at(b.width / 2, 'pointerdown'); at(b.width / 4, 'pointermove');"
                  + " at(b.width / 4, 'pointerup'); })",
              Duration.ofSeconds(5))
          .asText();
      assertThat(dragged).contains("from=2026-11-21T09:59:30.000Z", "to=2026-11-21T10:01:30.000Z");
      String zoomed = chromium
          .eval(
              "new Promise(resolve => { const svg = document.querySelector('svg.track');"
                  + " const b = svg.getBoundingClientRect();"
                  + AFTER_RENDER
                  + " svg.dispatchEvent(new WheelEvent('wheel', {bubbles: true, cancelable: true,"
                  + "   deltaY: -100, clientX: b.left + b.width / 2, clientY: b.top + 5})); })",
              Duration.ofSeconds(10))
          .asText();
      assertThat(zoomed).contains("from=2026-11-21T09:59:42.000Z", "to=2026-11-21T10:01:18.000Z");

      // At a phone's width, nothing runs off the side and the timeline takes the width.
      chromium.viewport(390, 844);
      JsonNode phone = chromium.eval(
          "[document.documentElement.scrollWidth, Array.from(document.querySelectorAll('body *'))"
              + ".filter(e => e.getBoundingClientRect().right > 390).map(e => e.tagName + '#' + e.id"
              + " + '.' + e.className).join(' '),"
              + " Math.round(document.querySelector('svg.track').getBoundingClientRect().width)]",
          Duration.ofSeconds(5));
      assertThat(phone.get(0).asInt()).as(phone.get(1).asText()).isLessThanOrEqualTo(390);
      assertThat(phone.get(2).asInt()).isGreaterThan(300);
      chromium.viewport(1280, 800);

      // A DST day in Berlin is 23 hours long.
      chromium.navigate(served.base() + "/#day=2026-03-29&zone=Europe/Berlin");
      awaitReady(chromium, "true");
      assertThat(chromium
              .eval("document.getElementById('status').textContent", Duration.ofSeconds(5))
              .asText())
          .contains("(23 h, Europe/Berlin)");
      assertThat(chromium.errors()).isEmpty();
    }
  }

  /** Four JPEGs (160x120) made by ffmpeg under a snapshots root. */
  private Path snapshots() {
    Path root = dir.resolve("snaps");
    for (int k = 0; k < 4; k++) {
      ClipFootage.jpeg(root.resolve("gate/" + k + ".jpg"), "testsrc2=size=160x120");
    }
    return root;
  }

  @Test
  void aProtectedServerAsksForItsTokenThenWorks() throws Exception {
    Path root = record();
    String token = "a-token-of-sixteen-or-more";
    try (ServedHeldar served = new ServedHeldar(
            dir,
            root,
            Map.of("gate", 5),
            HttpApiOptions.builder().token(Optional.of(token)).build());
        HeadlessChromium chromium = HeadlessChromium.start()) {
      chromium.navigate(served.base() + "/" + VIEW);
      awaitReady(chromium, "login");
      assertThat(chromium
              .eval("document.getElementById('login').hidden", Duration.ofSeconds(5))
              .asBoolean())
          .isFalse();
      chromium.eval(
          "(() => { document.getElementById('token').value = '" + token + "';"
              + " document.getElementById('login').requestSubmit(); return true; })()",
          Duration.ofSeconds(5));
      awaitReady(chromium, "true");
      assertThat(chromium
              .eval("document.querySelectorAll('[data-camera]').length", Duration.ofSeconds(5))
              .asInt())
          .isEqualTo(1);
    }
  }
}
