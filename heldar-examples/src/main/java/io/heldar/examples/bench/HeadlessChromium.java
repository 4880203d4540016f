package io.heldar.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's Chromium ({@code /usr/bin/chromium}, installed by {@code .ci/run}) started headless
 * and driven over the DevTools protocol with the JDK's own WebSocket client: navigate, and
 * evaluate JavaScript (promises awaited) to read what the page shows. No driver download, no
 * network: the flags keep Chromium from calling out. The browser tests and {@code heldar bench
 * page} use it.
 */
public final class HeadlessChromium implements AutoCloseable {
  /** The Chromium used unless told otherwise: {@code -Dheldar.chromium}, else Debian's. */
  public static final Path BINARY =
      Path.of(System.getProperty("heldar.chromium", "/usr/bin/chromium"));

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START = Duration.ofSeconds(30);

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private HeadlessChromium(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  /** Starts {@link #BINARY} and attaches to its first page. */
  public static HeadlessChromium start() throws Exception {
    return start(BINARY);
  }

  /** Starts the Chromium at {@code binary} and attaches to its first page. */
  public static HeadlessChromium start(Path binary) throws Exception {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(binary + " is missing: install Debian's chromium (.ci/run"
          + " does), or point -Dheldar.chromium at a Chromium");
    }
    Path profile = Files.createTempDirectory("heldar-chromium-");
    Process p = new ProcessBuilder(List.of(
            binary.toString(),
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--mute-audio",
            "--autoplay-policy=no-user-gesture-required",
            "--remote-debugging-port=0",
            "--remote-allow-origins=*",
            "--user-data-dir=" + profile,
            "about:blank"))
        .redirectErrorStream(true)
        .redirectOutput(profile.resolve("chromium.log").toFile())
        .start();
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      long deadline = System.nanoTime() + START.toNanos();
      while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2)) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("Chromium did not open its DevTools port: "
              + Files.readString(profile.resolve("chromium.log")));
        }
        Thread.onSpinWait();
        TimeUnit.MILLISECONDS.sleep(20); // polling a file the browser writes once
      }
      int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
      HttpClient http = HttpClient.newHttpClient();
      String page = null;
      while (page == null) {
        JsonNode targets = JSON.readTree(http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
        for (JsonNode t : targets) {
          if (t.path("type").asText().equals("page")) {
            page = t.path("webSocketDebuggerUrl").asText();
          }
        }
        if (page == null && System.nanoTime() > deadline) {
          throw new IllegalStateException("Chromium shows no page");
        }
      }
      Listener listener = new Listener();
      WebSocket ws = http.newWebSocketBuilder()
          .buildAsync(URI.create(page), listener)
          .get(30, TimeUnit.SECONDS);
      HeadlessChromium c = new HeadlessChromium(p, profile, ws);
      listener.owner = c;
      return c;
    } catch (Exception e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw e;
    }
  }

  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();
    volatile HeadlessChromium owner;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(text.toString());
          if (message.has("id") && owner != null) {
            CompletableFuture<JsonNode> f =
                owner.pending.remove(message.get("id").asInt());
            if (f != null) {
              f.complete(message);
            }
          } else if (owner != null) {
            owner.event(message);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } finally {
          text.setLength(0);
        }
      }
      ws.request(1);
      return null;
    }
  }

  private final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Keeps what the page reports as an error: uncaught exceptions, console errors, log errors. */
  private void event(JsonNode m) {
    String method = m.path("method").asText();
    JsonNode p = m.path("params");
    if (method.equals("Runtime.exceptionThrown")) {
      errors.add("exception: "
          + p.path("exceptionDetails")
              .path("exception")
              .path("description")
              .asText(p.path("exceptionDetails").path("text").asText()));
    } else if (method.equals("Runtime.consoleAPICalled")
        && p.path("type").asText().equals("error")) {
      errors.add("console.error: " + p.path("args"));
    } else if (method.equals("Log.entryAdded")
        && p.path("entry").path("level").asText().equals("error")) {
      errors.add("log: " + p.path("entry").path("text").asText() + " "
          + p.path("entry").path("url").asText());
    }
  }

  /** The errors the page reported since {@link #watchErrors()}. */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  /** Starts collecting the page's errors (exceptions, console errors, failed loads). */
  public void watchErrors() throws Exception {
    call("Runtime.enable", JSON.createObjectNode(), Duration.ofSeconds(10));
    call("Log.enable", JSON.createObjectNode(), Duration.ofSeconds(10));
  }

  /** A PNG of what the page shows. */
  public byte[] screenshot() throws Exception {
    ObjectNode p = JSON.createObjectNode();
    p.put("format", "png");
    return java.util.Base64.getDecoder()
        .decode(call("Page.captureScreenshot", p, Duration.ofSeconds(30))
            .path("data")
            .asText());
  }

  /** Sets the page's viewport, as a window of that size would. */
  public void viewport(int width, int height) throws Exception {
    ObjectNode p = JSON.createObjectNode();
    p.put("width", width);
    p.put("height", height);
    p.put("deviceScaleFactor", 1);
    p.put("mobile", false);
    call("Emulation.setDeviceMetricsOverride", p, Duration.ofSeconds(10));
  }

  /** Sends a DevTools command and waits for its result. */
  public JsonNode call(String method, ObjectNode params, Duration timeout) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode m = JSON.createObjectNode();
    m.put("id", id);
    m.put("method", method);
    m.set("params", params);
    socket.sendText(JSON.writeValueAsString(m), true).get(10, TimeUnit.SECONDS);
    JsonNode r = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (r.has("error")) {
      throw new IllegalStateException(method + " failed: " + r.get("error"));
    }
    return r.path("result");
  }

  /** Loads {@code url} and waits for its load event. */
  public void navigate(String url) throws Exception {
    ObjectNode p = JSON.createObjectNode();
    p.put("url", url);
    call("Page.navigate", p, Duration.ofSeconds(30));
    eval(
        "new Promise(r => document.readyState === 'complete' ? r(true)"
            + " : window.addEventListener('load', () => r(true)))",
        Duration.ofSeconds(30));
  }

  /**
   * The value of a JavaScript expression (a promise is awaited), as JSON.
   *
   * @throws IllegalStateException when it throws or rejects, with its message
   */
  public JsonNode eval(String expression, Duration timeout) throws Exception {
    ObjectNode p = JSON.createObjectNode();
    p.put("expression", expression);
    p.put("awaitPromise", true);
    p.put("returnByValue", true);
    p.put("timeout", timeout.toMillis());
    JsonNode r = call("Runtime.evaluate", p, timeout.plusSeconds(5));
    if (r.has("exceptionDetails")) {
      JsonNode d = r.get("exceptionDetails");
      throw new IllegalStateException("the page's script failed: "
          + d.path("exception").path("description").asText(d.path("text").asText()));
    }
    return r.path("result").path("value");
  }

  @Override
  public void close() {
    socket.abort();
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // a leftover temp profile is not worth failing a test for
    }
  }
}
