package io.heldar.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heldar.core.testing.Await;
import io.heldar.ffmpeg.testing.ClipFootage;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.http.HttpApiOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clips over HTTP from a running Heldar on real Jetty: {@code clip.mp4} streams what {@code
 * clip.json} describes (same SHA-256, ffprobe's frame count), errors are JSON before the first
 * byte, MediaMTX's {@code /list} and {@code /get} work on the index, and clips are bounded: a
 * client that stalls holds one slot (others get 429) until it goes away.
 */
class HttpClipTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC);
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  ServedHeldar served;
  JettyApiServer api;
  final HttpClient client = HttpClient.newHttpClient();

  /**
   * Camera gate: 2 s segments of H.264 (B-frames) and AAC over [0, 10) s and [16, 20) s (a hole of
   * 6 s); camera big: 10 s of large lossless segments, for the bounds.
   */
  static void record(Path root) {
    for (int k : new int[] {0, 1, 2, 3, 4, 8, 9}) {
      Path f = root.resolve("gate").resolve(NAME.format(T0.plusSeconds(2L * k)) + ".mp4");
      ClipFootage.segment(ClipFootage.parents(f), 2.0 * k, 2, "320x240", true, ClipFootage.H264);
      TestMedia.touch(f, Instant.now().minusSeconds(60));
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    Path root = dir.resolve("rec");
    record(root);
    for (int k = 0; k < 10; k++) {
      Path f = root.resolve("big").resolve(NAME.format(T0.plusSeconds(2L * k)) + ".mp4");
      ClipFootage.segment(
          ClipFootage.parents(f),
          0,
          2,
          "640x480",
          false,
          List.of("-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-g", "25"));
      TestMedia.touch(f, Instant.now().minusSeconds(60));
    }
    served = new ServedHeldar(
        dir,
        root,
        Map.of("gate", 7, "big", 10),
        HttpApiOptions.builder()
            .maxConcurrentClips(1)
            .maxClipLength(Duration.ofHours(1))
            .build());
    api = served.api;
  }

  @AfterEach
  void tearDown() {
    if (served != null) {
      served.close();
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + api.address().getPort() + path);
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String at(double seconds) {
    return T0.plusMillis(Math.round(seconds * 1000)).toString();
  }

  @Test
  void aClipStreamsWhatItsManifestDescribes() throws Exception {
    String query = "?start=" + at(1) + "&end=" + at(19);
    HttpResponse<byte[]> clip = get("/api/cameras/gate/clip.mp4" + query);
    assertThat(clip.statusCode()).isEqualTo(200);
    assertThat(clip.headers().firstValue("Content-Type")).contains("video/mp4");
    assertThat(clip.headers().firstValue("Content-Disposition"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("inline; filename=\"gate-"));
    HttpResponse<byte[]> manifest = get("/api/cameras/gate/clip.json" + query);
    assertThat(manifest.statusCode()).isEqualTo(200);
    JsonNode m = JSON.readTree(manifest.body());

    assertThat(m.path("parts").get(0).path("sha256").asText()).isEqualTo(sha256(clip.body()));
    assertThat(m.path("parts").get(0).path("bytes").asLong()).isEqualTo(clip.body().length);
    // 1 s to 10 s, then 16 s to 19 s: 12 s at 25 fps.
    assertThat(m.path("parts").get(0).path("frames").asLong()).isEqualTo(300);
    assertThat(m.path("gaps")).hasSize(1);
    assertThat(m.path("gaps").get(0).path("cause").asText()).isEqualTo("missing");
    Path file = dir.resolve("got.mp4");
    Files.write(file, clip.body());
    assertThat(ClipFootage.probe(file).videoFrames()).isEqualTo(300);
    assertThat(ClipFootage.decodeErrors(file)).isEmpty();
  }

  @Test
  void byteRangesAreTheSameBytesAsTheWhole() throws Exception {
    String path = "/api/cameras/gate/clip.mp4?start=" + at(0) + "&end=" + at(6);
    byte[] whole = get(path).body();
    HttpResponse<byte[]> middle = client.send(
        HttpRequest.newBuilder(uri(path)).header("Range", "bytes=1000-99999").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(middle.headers().firstValue("Content-Range"))
        .contains("bytes 1000-99999/" + whole.length);
    assertThat(middle.body()).isEqualTo(java.util.Arrays.copyOfRange(whole, 1000, 100000));
    HttpResponse<byte[]> tail = client.send(
        HttpRequest.newBuilder(uri(path)).header("Range", "bytes=-500").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(tail.body())
        .isEqualTo(java.util.Arrays.copyOfRange(whole, whole.length - 500, whole.length));
    HttpResponse<byte[]> past = client.send(
        HttpRequest.newBuilder(uri(path))
            .header("Range", "bytes=" + whole.length + "-")
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(past.statusCode()).isEqualTo(416);
    assertThat(past.headers().firstValue("Content-Range")).contains("bytes */" + whole.length);
  }

  @Test
  void errorsAreJsonBeforeTheFirstByte() throws Exception {
    assertThat(
            get("/api/cameras/gate/clip.mp4?start=" + at(11) + "&end=" + at(15)).statusCode())
        .isEqualTo(404);
    HttpResponse<byte[]> fail =
        get("/api/cameras/gate/clip.mp4?start=" + at(0) + "&end=" + at(20) + "&gaps=fail");
    assertThat(fail.statusCode()).isEqualTo(409);
    assertThat(new String(fail.body(), StandardCharsets.UTF_8)).contains("\"error\"", "gap");
    assertThat(get("/api/cameras/gate/clip.mp4?start=" + at(0) + "&end=" + at(7200))
            .statusCode())
        .isEqualTo(400);
    assertThat(get("/api/cameras/gate/clip.mp4?start=" + at(0) + "&end=" + at(4) + "&gaps=maybe")
            .statusCode())
        .isEqualTo(400);
    assertThat(get("/api/cameras/gate/clip.mp4?start=" + at(0)).statusCode()).isEqualTo(400);
    assertThat(get("/api/cameras/gate/clip.mp4?start=" + at(0) + "&end=" + at(4) + "&part=2")
            .statusCode())
        .isEqualTo(404);
    assertThat(
            get("/api/cameras/nobody/clip.mp4?start=" + at(0) + "&end=" + at(4)).statusCode())
        .isEqualTo(404);
  }

  @Test
  void mediamtxListAndGetWorkOnTheIndex() throws Exception {
    HttpResponse<byte[]> list = get("/list?path=gate");
    assertThat(list.statusCode()).isEqualTo(200);
    JsonNode runs = JSON.readTree(list.body());
    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).path("start").asText()).isEqualTo(T0.toString());
    assertThat(runs.get(0).path("duration").asDouble()).isEqualTo(10.0);
    assertThat(runs.get(1).path("duration").asDouble()).isEqualTo(4.0);
    String url = runs.get(1).path("url").asText();
    assertThat(url).contains("/get?path=gate&start=").endsWith("&duration=4");

    HttpResponse<byte[]> second = client.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(second.statusCode()).isEqualTo(200);
    Path file = dir.resolve("get.mp4");
    Files.write(file, second.body());
    assertThat(ClipFootage.probe(file).videoFrames()).isEqualTo(100);
    // /get stops at the first gap, as MediaMTX does; durations as Go writes them are read too.
    HttpResponse<byte[]> across = get("/get?path=gate&start=" + at(8) + "&duration=0h0m12s");
    Files.write(file, across.body());
    assertThat(ClipFootage.probe(file).videoFrames()).isEqualTo(50);
    assertThat(get("/list?path=gate&start=" + at(16) + "&end=" + at(18)).statusCode())
        .isEqualTo(200);
    assertThat(get("/list?path=nobody").statusCode()).isEqualTo(404);
    assertThat(get("/get?path=gate&start=" + at(0) + "&duration=soon").statusCode())
        .isEqualTo(400);
  }

  @Test
  void aStalledClientHoldsOneSlotUntilItGoesAway() throws Exception {
    String path = "/api/cameras/big/clip.mp4?start=" + at(0) + "&end=" + at(20);
    Socket stalled = new Socket();
    stalled.setReceiveBufferSize(4096);
    stalled.connect(api.address());
    OutputStream req = stalled.getOutputStream();
    req.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    req.flush();
    InputStream in = stalled.getInputStream();
    assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).endsWith("200");
    // It reads no more: the export blocks on its writes and keeps the only slot.
    HttpResponse<byte[]> busy = get(path);
    assertThat(busy.statusCode()).isEqualTo(429);
    assertThat(busy.headers().firstValue("Retry-After")).contains("2");

    stalled.close(); // the export's next write fails: the slot and the files are freed
    Await.until(
        Duration.ofSeconds(20),
        () -> {
          try {
            return get("/api/cameras/gate/clip.mp4?start=" + at(0) + "&end=" + at(2))
                    .statusCode()
                == 200;
          } catch (Exception e) {
            return false;
          }
        },
        "a clip served after the stalled client went away");
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
