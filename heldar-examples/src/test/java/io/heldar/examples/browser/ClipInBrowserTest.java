package io.heldar.examples.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heldar.examples.bench.HeadlessChromium;
import io.heldar.examples.http.ServedHeldar;
import io.heldar.ffmpeg.testing.ClipFootage;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.http.HttpApiOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A clip from the HTTP API played in a real browser (headless Chromium): its metadata loads, its
 * duration is the manifest's, and a seek past the gap it skips shows the frame of the footage after
 * the gap (the footage before the gap is red, after it blue; the pixel tells them apart).
 */
class ClipInBrowserTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC);
  static final ObjectMapper JSON = new ObjectMapper();

  @org.junit.jupiter.api.io.TempDir
  Path dir;

  ServedHeldar served;

  @BeforeEach
  void setUp() throws Exception {
    Path root = dir.resolve("rec");
    // Red over [0, 6) s, a hole of 6 s, blue over [12, 16) s.
    for (int k : new int[] {0, 1, 2, 6, 7}) {
      Path f = root.resolve("gate").resolve(NAME.format(T0.plusSeconds(2L * k)) + ".mp4");
      ClipFootage.colored(ClipFootage.parents(f), k < 3 ? "red" : "blue", 2, true);
      TestMedia.touch(f, Instant.now().minusSeconds(60));
    }
    served = new ServedHeldar(dir, root, Map.of("gate", 5), HttpApiOptions.defaults());
  }

  @AfterEach
  void tearDown() {
    if (served != null) {
      served.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"fmp4", "mp4"})
  void theClipPlaysAndASeekPastTheGapShowsTheFootageAfterIt(String container) throws Exception {
    String base = served.base();
    String query =
        "?start=" + T0.plusSeconds(1) + "&end=" + T0.plusSeconds(16) + "&container=" + container;
    JsonNode manifest = JSON.readTree(HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(base + "/api/cameras/gate/clip.json" + query))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body());
    double duration = manifest.path("parts").get(0).path("duration_ms").asLong() / 1000.0;
    JsonNode firstBlue = manifest.path("sources").get(3);
    assertThat(firstBlue.path("start").asText()).isEqualTo(T0.plusSeconds(12).toString());
    double blueAt = firstBlue.path("clip_offset_ms").asLong() / 1000.0;
    assertThat(blueAt).isCloseTo(5.0, within(0.05)); // 1 s .. 6 s of red before it

    try (HeadlessChromium chromium = HeadlessChromium.start()) {
      chromium.navigate(base + "/api/cameras"); // the API's origin, so the canvas may be read
      JsonNode meta = chromium.eval(
          "new Promise((resolve, reject) => {"
              + " const v = document.createElement('video');"
              + " v.muted = true; v.preload = 'auto';"
              + " v.onloadedmetadata = () => resolve({duration: v.duration, width: v.videoWidth,"
              + "   height: v.videoHeight});"
              + " v.onerror = () => reject(new Error('media error ' + (v.error && v.error.code)"
              + "   + ' ' + (v.error && v.error.message)));"
              + " v.src = '/api/cameras/gate/clip.mp4" + query + "';"
              + " document.body.replaceChildren(v); window.clip = v; })",
          Duration.ofSeconds(30));
      assertThat(meta.path("width").asInt()).isEqualTo(320);
      // fMP4 is streamed without knowing its length: the browser learns it by reading it through.
      chromium.eval(
          "new Promise(r => { const v = window.clip;"
              + " if (v.readyState >= 4 && isFinite(v.duration)) { r(true); return; }"
              + " v.oncanplaythrough = () => r(true); v.ondurationchange = () => { if (isFinite("
              + "v.duration) && v.duration > 0) r(true); }; })",
          Duration.ofSeconds(30));
      double shown =
          chromium.eval("window.clip.duration", Duration.ofSeconds(5)).asDouble();
      assertThat(shown).isCloseTo(duration, within(0.1));

      assertThat(colorAt(chromium, blueAt + 0.5)).isEqualTo("blue");
      assertThat(colorAt(chromium, blueAt - 1.0)).isEqualTo("red");
      assertThat(colorAt(chromium, duration - 0.2)).isEqualTo("blue");
    }
  }

  /** Seeks the clip to {@code t} seconds and names the colour of the frame shown there. */
  private static String colorAt(HeadlessChromium chromium, double t) throws Exception {
    JsonNode r = chromium.eval(
        "new Promise((resolve, reject) => { const v = window.clip;"
            + " v.onseeked = () => { const c = document.createElement('canvas');"
            + " c.width = v.videoWidth; c.height = v.videoHeight;"
            + " const g = c.getContext('2d'); g.drawImage(v, 0, 0);"
            + " const p = g.getImageData(c.width / 2, c.height / 2, 1, 1).data;"
            + " resolve({t: v.currentTime, r: p[0], g: p[1], b: p[2]}); };"
            + " v.onerror = () => reject(new Error('media error'));"
            + " v.currentTime = " + t + "; })",
        Duration.ofSeconds(30));
    assertThat(r.path("t").asDouble()).isCloseTo(t, within(0.05));
    int red = r.path("r").asInt();
    int blue = r.path("b").asInt();
    if (red > 150 && blue < 100) {
      return "red";
    }
    if (blue > 150 && red < 100) {
      return "blue";
    }
    return "rgb(" + red + "," + r.path("g").asInt() + "," + blue + ")";
  }
}
