package io.heldar.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.Heldar;
import io.heldar.core.model.Camera;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.runtime.RuntimeOptions;
import io.heldar.core.testing.Await;
import io.heldar.http.HttpApiOptions;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
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
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP server under hostile clients, over loopback: idle and slow connections, clients that
 * pipeline and never read, malformed and oversized requests. {@code /health} must keep answering
 * within a second, and every error Jetty answers itself is the API's JSON error. Each of these held
 * the JDK {@code HttpServer} (4 threads, no header timeout) for 13 s to forever.
 */
class HostileClientsTest {
  static final Duration PROMPT = Duration.ofSeconds(1);

  @TempDir
  Path dir;

  private SqliteHeldarStore store;
  private Heldar heldar;
  private JettyApiServer api;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(dir.resolve("rec"));
    store = SqliteHeldarStore.open(dir.resolve("heldar.db"));
    store.cameras().add(new Camera("gate", "gate", Optional.empty(), Instant.now()));
    heldar = Heldar.builder()
        .store(store)
        .recordingsRoot(dir.resolve("rec"))
        .probe(MediaProbes.nativeMp4())
        .runtime(RuntimeOptions.builder().stopTimeout(Duration.ofSeconds(2)).build())
        .build();
    heldar.start();
    api = new JettyApiServer(heldar, HttpApiTest.loopback(), HttpApiOptions.defaults());
    api.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    api.close();
    heldar.stop();
    store.close();
  }

  /** {@code /health} answers 200 within {@link #PROMPT}. */
  private void healthIsPrompt(String while_) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r = client.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + api.address().getPort() + "/health"))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(r.statusCode()).as(while_).isEqualTo(200);
    assertThat(took).as("/health " + while_).isLessThan(PROMPT);
  }

  private Socket open() throws Exception {
    Socket s = new Socket(api.address().getAddress(), api.address().getPort());
    sockets.add(s);
    return s;
  }

  private static boolean closedByServer(Socket s) {
    try {
      s.setSoTimeout(1);
      InputStream in = s.getInputStream();
      int b = in.read();
      return b < 0;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (java.io.IOException e) {
      return true; // reset
    }
  }

  @Test
  void idleAndSlowConnectionsNeitherStallHealthNorStayOpen() throws Exception {
    // 4 connections that each send one byte: the JDK server's four threads, all held
    for (int i = 0; i < 4; i++) {
      open().getOutputStream().write('G');
    }
    for (int i = 0; i < 5; i++) {
      healthIsPrompt("with 4 idle connections open");
    }
    // 300 slowloris connections: a request head begun, one more header line now and then
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Socket s = open();
      s.getOutputStream()
          .write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      slow.add(s);
    }
    healthIsPrompt("with 300 slow connections open");
    for (Socket s : slow) {
      try {
        s.getOutputStream().write("X-a: b\r\n".getBytes(StandardCharsets.US_ASCII));
      } catch (SocketException e) {
        // closed already
      }
    }
    healthIsPrompt("with 300 slow connections trickling");
    // the server closes every one that has not finished its request head in time
    Await.until(
        JettyApiServer.HEADER_TIMEOUT.plusSeconds(10),
        () -> slow.stream().allMatch(HostileClientsTest::closedByServer)
            && sockets.subList(0, 4).stream().allMatch(HostileClientsTest::closedByServer),
        "every slow connection closed by the server");
    assertThat(api.headTimeouts()).isGreaterThanOrEqualTo(304);
    healthIsPrompt("after the slow connections");
  }

  @Test
  void clientsThatPipelineAndNeverReadHoldNothingElse() throws Exception {
    // 300 cameras make /api/cameras about 90 kB: a few answers fill a small socket buffer
    for (int i = 0; i < 300; i++) {
      store.cameras().add(new Camera("cam-" + i, "cam " + i, Optional.empty(), Instant.now()));
    }
    byte[] sixty = ascii("GET /api/cameras HTTP/1.1\r\nHost: x\r\n\r\n".repeat(60));
    // more clients than the server has threads, each 60 requests ahead and reading nothing
    for (int c = 0; c < JettyApiServer.MAX_THREADS + 8; c++) {
      Socket s = new Socket();
      sockets.add(s);
      s.setReceiveBufferSize(4096);
      s.connect(api.address());
      s.getOutputStream().write(sixty);
    }
    // the server answers what it can, then every client's socket is full: no thread may stay
    // held by them (a blocking write holds one until the idle timeout, and 32 of them all)
    Await.until(
        JettyApiServer.IDLE_TIMEOUT.minusSeconds(2),
        () -> api.requestsInProgress() == 0,
        "no request thread held by clients that do not read");
    for (int i = 0; i < 5; i++) {
      healthIsPrompt("with 40 clients pipelining and never reading");
    }
  }

  @Test
  void malformedAndOversizedRequestsGetAPromptJsonError() throws Exception {
    record Case(String name, byte[] request, String status) {}
    byte[] random = new byte[4096];
    new Random(7).nextBytes(random);
    StringBuilder manyHeaders = new StringBuilder("GET /health HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 2000; i++) {
      manyHeaders.append("X-").append(i).append(": v\r\n");
    }
    manyHeaders.append("\r\n");
    String bigHeader =
        "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(1 << 20) + "\r\n\r\n";
    for (Case c : new Case[] {
      new Case("random bytes", random, "HTTP/1.1 400"),
      new Case("2,000 headers", ascii(manyHeaders.toString()), "HTTP/1.1 431"),
      new Case("a 1 MB header", ascii(bigHeader), "HTTP/1.1 431"),
      new Case(
          "a 10,000-character URI",
          ascii("GET /api/cameras/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
          "HTTP/1.1 414"),
      new Case("HTTP/0.9", ascii("GET /health\r\n\r\n"), "HTTP/1.1 505"),
    }) {
      long t0 = System.nanoTime();
      String response = RawHttp.exchange(api.address(), c.request());
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(response).as(c.name()).startsWith(c.status());
      RawHttp.assertJsonError(response, c.name());
      assertThat(took).as(c.name()).isLessThan(Duration.ofSeconds(2));
    }
    // bare LF line ends: answered at once, whichever way
    long t0 = System.nanoTime();
    String bareLf =
        RawHttp.exchange(api.address(), "GET /health HTTP/1.1\nHost: x\nConnection: close\n\n");
    assertThat(bareLf).matches("(?s)HTTP/1.1 (200|400) .*");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    // a GET that announces a 1 GB body it never sends: answered, not waited for
    try (Socket s = open()) {
      s.setSoTimeout(2000);
      s.getOutputStream()
          .write(ascii("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n"));
      byte[] head = new byte[12];
      int n = s.getInputStream().readNBytes(head, 0, 12);
      assertThat(new String(head, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 ");
    }
    healthIsPrompt("after the malformed requests");
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
