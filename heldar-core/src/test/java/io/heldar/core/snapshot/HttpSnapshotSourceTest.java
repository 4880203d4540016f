package io.heldar.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.heldar.core.model.Camera;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDK HTTP source against a real HTTP server on loopback. */
class HttpSnapshotSourceTest {
  static final byte[] JPEG = {
    (byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 7, (byte) 0xff, (byte) 0xd9
  };
  HttpServer server;
  String base;
  final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/snap.jpg", ex -> {
      String expected = "Basic "
          + Base64.getEncoder().encodeToString("admin:s3cr:et".getBytes(StandardCharsets.UTF_8));
      if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.sendResponseHeaders(401, -1);
        ex.close();
        return;
      }
      ex.sendResponseHeaders(200, JPEG.length);
      ex.getResponseBody().write(JPEG);
      ex.close();
    });
    server.createContext("/big.jpg", ex -> {
      ex.sendResponseHeaders(200, 0); // chunked: no Content-Length to trust
      byte[] chunk = new byte[8192];
      for (int i = 0; i < 100; i++) {
        ex.getResponseBody().write(chunk);
      }
      ex.close();
    });
    server.createContext("/slow.jpg", ex -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(200, JPEG.length);
      ex.getResponseBody().write(JPEG);
      ex.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  static Camera camera(String url) {
    return Camera.of("cam", Instant.EPOCH).withSourceUrl(url);
  }

  @Test
  void fetchesWithBasicAuthFromTheUrlOrFromConfiguration() {
    SnapshotSource fromUrl = SnapshotSources.http();
    assertThat(fromUrl.capture(
            camera("http://admin:s3cr%3Aet@" + base.substring(7) + "/snap.jpg"),
            Duration.ofSeconds(5)))
        .isEqualTo(JPEG);
    SnapshotSource configured = SnapshotSources.http(
        SnapshotSources.HttpOptions.builder().credentials("admin", "s3cr:et").build());
    assertThat(configured.capture(camera(base + "/snap.jpg"), Duration.ofSeconds(5)))
        .isEqualTo(JPEG);
    assertThatThrownBy(() -> fromUrl.capture(camera(base + "/snap.jpg"), Duration.ofSeconds(5)))
        .isInstanceOf(SnapshotCaptureException.class)
        .hasMessageContaining("HTTP 401");
  }

  @Test
  void capsTheSizeAndTheTimeAndNeverShowsCredentials() {
    SnapshotSource small = SnapshotSources.http(
        SnapshotSources.HttpOptions.builder().maxBytes(100_000).build());
    assertThatThrownBy(() -> small.capture(camera(base + "/big.jpg"), Duration.ofSeconds(5)))
        .isInstanceOf(SnapshotCaptureException.class)
        .hasMessageContaining("exceeds the limit");
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> small.capture(
            camera("http://admin:hunter2@" + base.substring(7) + "/slow.jpg"),
            Duration.ofMillis(300)))
        .isInstanceOf(SnapshotCaptureException.class)
        .satisfies(e -> assertThat(((SnapshotCaptureException) e).timedOut()).isTrue())
        .hasMessageNotContaining("hunter2");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void refusedConnectionsFailClearly() throws Exception {
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(() -> SnapshotSources.http()
            .capture(camera("http://127.0.0.1:" + port + "/x.jpg"), Duration.ofSeconds(2)))
        .isInstanceOf(SnapshotCaptureException.class)
        .hasMessageContaining("cam")
        .hasMessageContaining("cannot fetch");
  }

  @Test
  void byScheme() {
    SnapshotSource rtsp = (cam, t) -> new byte[] {1};
    SnapshotSource chooser =
        SnapshotSources.byScheme(Map.of("rtsp", rtsp, "http", SnapshotSources.http()));
    assertThat(chooser.capture(camera("rtsp://10.0.0.1/live"), Duration.ofSeconds(1)))
        .containsExactly(1);
    assertThatThrownBy(() -> chooser.capture(camera("/var/x.mp4"), Duration.ofSeconds(1)))
        .hasMessageContaining("scheme 'file'");
    assertThatThrownBy(
            () -> chooser.capture(Camera.of("cam", Instant.EPOCH), Duration.ofSeconds(1)))
        .hasMessageContaining("no source URL");
    assertThat(SnapshotSources.schemeOf("C:/x")).isEqualTo("file");
    assertThat(SnapshotSources.schemeOf("HTTPS://x")).isEqualTo("https");
  }

  @Test
  void jpegValidation() {
    assertThat(Jpeg.isComplete(JPEG)).isTrue();
    assertThat(Jpeg.isComplete(
            new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 1, (byte) 0xff, (byte) 0xd9, 0, 0}))
        .isTrue();
    assertThat(Jpeg.isComplete(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 1}))
        .isFalse();
    assertThat(Jpeg.isComplete(new byte[0])).isFalse();
    assertThat(Jpeg.isComplete("GIF89a....".getBytes(StandardCharsets.US_ASCII)))
        .isFalse();
  }

  /** Fault 6: a camera that accepts the connection and never sends a byte, or stalls mid-body. */
  @Test
  void aCameraThatAcceptsAndNeverAnswersTimesOut() throws Exception {
    try (java.net.ServerSocket silent =
        new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      java.util.List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            java.net.Socket c = silent.accept();
            held.add(c);
            if (held.size() == 2) { // the second one sends headers and a little body, then stalls
              c.getOutputStream()
                  .write(
                      ("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n")
                          .getBytes(StandardCharsets.US_ASCII));
              c.getOutputStream().write(new byte[] {(byte) 0xff, (byte) 0xd8});
              c.getOutputStream().flush();
            }
          }
        } catch (java.io.IOException closed) {
          // server closed
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      String url = "http://127.0.0.1:" + silent.getLocalPort() + "/snap.jpg";
      for (int i = 0; i < 2; i++) {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> SnapshotSources.http().capture(camera(url), Duration.ofSeconds(1)))
            .isInstanceOf(SnapshotCaptureException.class)
            .satisfies(
                e -> assertThat(((SnapshotCaptureException) e).timedOut()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2500));
      }
      for (java.net.Socket c : held) {
        c.close();
      }
    }
  }
}
