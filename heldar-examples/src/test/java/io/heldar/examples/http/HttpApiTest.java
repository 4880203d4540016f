package io.heldar.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heldar.core.Heldar;
import io.heldar.core.model.Camera;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.runtime.RuntimeOptions;
import io.heldar.core.testing.Await;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.http.HttpApiOptions;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API of {@code heldar run --http} over loopback with a real HTTP client, on a running
 * Heldar that indexed real MP4 segments into a real SQLite file: every resource, paging by cursor,
 * bad input (400 with a JSON error), a missing camera (404), bounded ranges, the bearer token, and
 * a parse of {@code /metrics} against the Prometheus text format.
 */
class HttpApiTest {
  static final Instant FOOTAGE = Instant.parse("2026-11-21T10:00:00Z");
  static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC);
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private SqliteHeldarStore store;
  private Heldar heldar;
  private JettyApiServer api;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    for (int k : new int[] {0, 1, 3}) { // a hole at 2
      Path f = TestMedia.make(
          dir.resolve("rec/gate").resolve(NAME.format(FOOTAGE.plusSeconds(10L * k)) + ".mp4"),
          TestMedia.Spec.plain().seconds(10));
      TestMedia.touch(f, Instant.now().minusSeconds(60));
    }
    store = SqliteHeldarStore.open(dir.resolve("heldar.db"));
    store.cameras().add(new Camera("gate", "gate", Optional.empty(), Instant.now()));
    heldar = Heldar.builder()
        .store(store)
        .recordingsRoot(dir.resolve("rec"))
        .probe(MediaProbes.nativeMp4())
        .scanInterval(Duration.ofMillis(200))
        .runtime(RuntimeOptions.builder().stopTimeout(Duration.ofSeconds(2)).build())
        .build();
    heldar.start();
    Await.until(Duration.ofSeconds(20), () -> store.segments().count("gate") == 3, "indexed");
    Await.until(
        Duration.ofSeconds(20),
        () -> heldar.metrics().camera("gate").map(c -> c.segmentsIndexed() == 3).orElse(false),
        "metrics after the scan");
    api = new JettyApiServer(heldar, loopback(), HttpApiOptions.defaults());
    api.start();
  }

  @AfterEach
  void tearDown() {
    if (api != null) {
      api.close();
    }
    heldar.stop();
    store.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(api, path)).GET().build());
  }

  static InetSocketAddress loopback() {
    return new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
  }

  private static URI uri(JettyApiServer on, String path) {
    return URI.create("http://127.0.0.1:" + on.address().getPort() + path);
  }

  private HttpResponse<String> send(HttpRequest r) throws Exception {
    return client.send(r, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    return JSON.readTree(r.body());
  }

  @Test
  void camerasTimelineDaysAndSegmentsPagedByCursor() throws Exception {
    HttpResponse<String> cams = get("/api/cameras");
    assertThat(cams.statusCode()).isEqualTo(200);
    JsonNode gate = json(cams).get(0);
    assertThat(gate.path("id").asText()).isEqualTo("gate");
    assertThat(gate.path("status").asText()).isEqualTo("stale"); // footage from a day ago
    assertThat(gate.path("newest_footage_end").asText()).isEqualTo("2026-11-21T10:00:40Z");

    JsonNode timeline = json(
        get("/api/cameras/gate/timeline?from=2026-11-21T09:00:00Z" + "&to=2026-11-21T11:00:00Z"));
    assertThat(timeline.path("recorded_seconds").asDouble()).isEqualTo(30.0);
    assertThat(timeline.path("runs")).hasSize(2);
    assertThat(timeline.path("gaps")).singleElement().satisfies(g -> {
      assertThat(g.path("start_time").asText()).isEqualTo("2026-11-21T10:00:20Z");
      assertThat(g.path("gap_seconds").asDouble()).isEqualTo(10.0);
    });

    JsonNode days =
        json(get("/api/cameras/gate/days?zone=Europe/Berlin&from=2026-11-20" + "&to=2026-11-22"));
    assertThat(days.path("days")).hasSize(3);
    assertThat(days.path("days").get(1).path("recorded_seconds").asDouble()).isEqualTo(30.0);

    String range = "from=2026-11-21&to=2026-11-22";
    JsonNode first = json(get("/api/cameras/gate/segments?" + range + "&limit=2"));
    assertThat(first.path("segments")).hasSize(2);
    String cursor = first.path("next_cursor").asText();
    assertThat(cursor).matches("[A-Za-z0-9_-]+");
    JsonNode second =
        json(get("/api/cameras/gate/segments?" + range + "&limit=2&cursor=" + cursor));
    assertThat(second.path("segments")).singleElement().satisfies(s -> {
      assertThat(s.path("start_time").asText()).isEqualTo("2026-11-21T10:00:30Z");
      assertThat(s.path("duration_s").asDouble()).isBetween(9.9, 10.1);
      assertThat(s.path("codec").asText()).isEqualTo("h264");
    });
    assertThat(second.path("next_cursor").isNull()).isTrue();

    // the cursor's segment deleted meanwhile (retention): paging goes on from where it stood
    store
        .segments()
        .delete(java.util.List.of(first.path("segments").get(1).path("path").asText()));
    JsonNode after = json(get("/api/cameras/gate/segments?" + range + "&limit=2&cursor=" + cursor));
    assertThat(after.path("segments"))
        .extracting(s -> s.path("start_time").asText())
        .containsExactly("2026-11-21T10:00:30Z");
  }

  @Test
  void everyCamerasTimelineInPagesOfCamerasBoundedByItems() throws Exception {
    for (String c : new String[] {"door", "yard"}) {
      store.cameras().add(new Camera(c, c, Optional.empty(), Instant.now()));
      store
          .gaps()
          .insertOpen(
              c,
              FOOTAGE,
              FOOTAGE.plusSeconds(60),
              io.heldar.core.model.GapCause.LOST,
              Instant.now());
    }
    String range = "from=2026-11-21T09:00:00Z&to=2026-11-21T11:00:00Z";
    JsonNode all = json(get("/api/timeline?" + range));
    assertThat(all.path("cameras"))
        .extracting(c -> c.path("camera").asText())
        .containsExactly("door", "gate", "yard");
    JsonNode gate = json(get("/api/cameras/gate/timeline?" + range));
    assertThat(all.path("cameras").get(1).path("runs")).isEqualTo(gate.path("runs"));
    assertThat(all.path("cameras").get(1).path("gaps")).isEqualTo(gate.path("gaps"));
    assertThat(all.path("cameras").get(1).path("snapshots").asBoolean()).isFalse();
    assertThat(all.path("next_after").isNull()).isTrue();

    // gate has 2 runs and 1 gap, door and yard a gap each: at most 3 items a page
    api.close();
    api = new JettyApiServer(
        heldar, loopback(), HttpApiOptions.builder().maxTimelineItems(3).build());
    api.start();
    JsonNode first = json(get("/api/timeline?" + range));
    assertThat(first.path("cameras"))
        .extracting(c -> c.path("camera").asText())
        .containsExactly("door");
    assertThat(first.path("next_after").asText()).isEqualTo("door");
    JsonNode second = json(get("/api/timeline?" + range + "&after=door"));
    assertThat(second.path("cameras"))
        .extracting(c -> c.path("camera").asText())
        .containsExactly("gate");
    JsonNode third = json(get("/api/timeline?" + range + "&after=gate"));
    assertThat(third.path("cameras"))
        .extracting(c -> c.path("camera").asText())
        .containsExactly("yard");
    assertThat(third.path("next_after").isNull()).isTrue();
    api.close();
    api = new JettyApiServer(
        heldar, loopback(), HttpApiOptions.builder().maxTimelineItems(2).build());
    api.start();
    HttpResponse<String> tooMany = get("/api/timeline?" + range + "&after=door");
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(json(tooMany).path("error").asText()).contains("camera gate alone has 3");
  }

  @Test
  void theStorageForecastIsServedAndInTheMetrics() throws Exception {
    Await.until(
        Duration.ofSeconds(20),
        () -> heldar.storageForecast().isPresent(),
        "the first forecast (a few seconds after start)");
    JsonNode storage = json(get("/api/storage"));
    assertThat(storage.path("tiers").get(0).path("name").asText()).isEqualTo("recordings");
    assertThat(storage.path("tiers").get(0).path("total_bytes").asLong()).isPositive();
    assertThat(storage.path("cameras").get(0).path("camera").asText()).isEqualTo("gate");
    assertThat(storage.path("cameras").get(0).path("bytes_held").asLong()).isPositive();
    assertThat(storage.path("cameras").get(0).path("at_risk").asBoolean()).isFalse();
    assertThat(get("/metrics").body()).contains("heldar_storage_bytes_per_day{camera=\"gate\"} ");
  }

  @Test
  void eventsReadAfterACursorHealthAndMetricsInThePrometheusTextFormat() throws Exception {
    heldar
        .store()
        .events()
        .append(io.heldar.core.event.HeldarEvent.global(
            "host_note",
            io.heldar.core.model.Severity.INFO,
            java.util.Map.of("n", 1L),
            Instant.now()));
    JsonNode page = json(get("/api/events?after=0&limit=1"));
    assertThat(page.path("events")).hasSize(1);
    assertThat(page.path("events").get(0).path("kind").asText()).isEqualTo("recording_gap");
    long next = page.path("next_after").asLong();
    assertThat(next).isEqualTo(page.path("events").get(0).path("id").asLong());
    JsonNode rest = json(get("/api/events?after=" + next + "&limit=1000"));
    assertThat(rest.path("events")).singleElement().satisfies(e -> {
      assertThat(e.path("id").asLong()).isGreaterThan(next);
      assertThat(e.path("kind").asText()).isEqualTo("host_note");
      assertThat(e.path("payload").path("n").asLong()).isEqualTo(1);
      assertThat(e.path("camera_id").isNull()).isTrue();
    });
    // newest first, read back from an id
    JsonNode newest = json(get("/api/events?before=latest&limit=1"));
    assertThat(newest.path("events"))
        .singleElement()
        .satisfies(e -> assertThat(e.path("kind").asText()).isEqualTo("host_note"));
    JsonNode older =
        json(get("/api/events?before=" + newest.path("next_before").asLong() + "&limit=5"));
    assertThat(older.path("events"))
        .extracting(e -> e.path("id").asLong())
        .contains(page.path("events").get(0).path("id").asLong())
        .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(older.path("next_before").isNull()).as("none older left").isTrue();
    assertThat(get("/api/events?before=latest&after=3").statusCode()).isEqualTo(400);
    long last = rest.path("next_after").asLong();
    JsonNode none = json(get("/api/events?after=" + last));
    assertThat(none.path("events")).isEmpty();
    assertThat(none.path("next_after").asLong())
        .as("a reader stays where it is")
        .isEqualTo(last);

    HttpResponse<String> health = get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health).path("status").asText()).isEqualTo("ok");
    assertThat(json(health).path("warnings").get(0).asText()).contains("camera gate");

    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
    Pattern sample = Pattern.compile(
        "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\""
            + "(,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\")*})? (-?[0-9]+(\\.[0-9]+)?"
            + "([eE][-+]?[0-9]+)?|NaN|[-+]Inf)");
    Pattern help = Pattern.compile("# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+");
    Pattern type = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|summary)");
    Set<String> typed = new HashSet<>();
    for (String line : metrics.body().split("\n")) {
      var t = type.matcher(line);
      if (t.matches()) {
        typed.add(t.group(1));
        if (t.group(2).equals("counter")) {
          assertThat(t.group(1)).as("a counter's name").endsWith("_total");
        }
        continue;
      }
      if (help.matcher(line).matches()) {
        continue;
      }
      var s = sample.matcher(line);
      assertThat(s.matches()).as("a sample line: %s", line).isTrue();
      // a summary's samples are its name with _count and _sum
      String family =
          typed.contains(s.group(1)) ? s.group(1) : s.group(1).replaceAll("_(count|sum)$", "");
      assertThat(typed).as("its family declared first: %s", line).contains(family);
    }
    assertThat(metrics.body())
        .contains("heldar_segments_indexed_total{camera=\"gate\"} 3\n")
        .contains("heldar_open_gaps{camera=\"gate\"} 1\n")
        .contains("heldar_camera_status{camera=\"gate\",status=\"stale\"} 1\n")
        .contains("heldar_task_runs_total{task=\"segment-indexer\"} ")
        // beside Heldar's own: its build, its roots' disk space, the Java process
        .containsPattern("heldar_build_info\\{java=\"[^\"]+\",version=\"0\\.1\\.0[^\"]*\"\\} 1\n")
        .containsPattern(
            "heldar_filesystem_free_bytes\\{path=\"[^\"]+\",root=\"recordings\"\\} [0-9]+\n")
        .containsPattern("process_cpu_seconds_total [0-9.E]+\n")
        .containsPattern("process_open_fds [0-9]+\n")
        .containsPattern("jvm_memory_bytes_used\\{area=\"heap\"\\} [0-9]+\n")
        .containsPattern("jvm_gc_collection_seconds_count\\{gc=\"[^\"]+\"\\} [0-9]+\n");
  }

  @Test
  void badInputIsA400WithAJsonErrorAndAMissingCameraA404() throws Exception {
    record Case(String path, int status, String error) {}
    for (Case c : new Case[] {
      new Case("/api/cameras/gate/timeline?from=yesterday", 400, "from:"),
      new Case("/api/cameras/gate/timeline?from=2026-01-01&to=2026-03-01", 400, "at most 31 days"),
      new Case("/api/cameras/gate/timeline?from=2026-03-01&to=2026-01-01", 400, "not after"),
      new Case("/api/cameras/gate/segments?limit=100000", 400, "limit must be 1..1000"),
      new Case("/api/cameras/gate/segments?limit=abc", 400, "not a number"),
      new Case("/api/cameras/gate/segments?cursor=%21%21", 400, "invalid cursor"),
      new Case("/api/cameras/gate/segments?cursor=czEKeAp5", 400, "invalid cursor"),
      new Case("/api/cameras/gate/days?zone=Mars/Olympus", 400, "unknown zone"),
      new Case("/api/cameras/gate/days?from=2020-01-01&to=2026-01-01", 400, "at most 366 days"),
      new Case("/api/events?after=-1", 400, "must not be negative"),
      new Case("/api/events?limit=1&limit=2", 400, "given twice"),
      new Case("/api/cameras/..%2F..%2Fetc/timeline", 400, "Bad Request"),
      new Case("/api/cameras/a%20b/timeline", 400, "invalid camera id"),
      new Case("/api/cameras/nope/timeline", 404, "no camera nope"),
      new Case("/api/nothing", 404, "no such resource"),
    }) {
      HttpResponse<String> r = get(c.path());
      assertThat(r.statusCode()).as(c.path() + " -> " + r.body()).isEqualTo(c.status());
      assertThat(json(r).path("error").asText()).as(c.path()).contains(c.error());
      assertThat(r.body()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
    }
    // what java.net.URI will not even send: a malformed percent-encoding in the request line,
    // CONNECT, a trailing %: Jetty refuses them before the servlet, in the API's JSON
    for (String line : new String[] {
      "GET /api/cameras/gate/timeline?from=%zz HTTP/1.1",
      "GET /api/cameras/gate/timeline% HTTP/1.1",
      "GET /api/cameras/gate%zz/timeline HTTP/1.1",
      "CONNECT 127.0.0.1:22 HTTP/1.1",
    }) {
      String response = RawHttp.exchange(
          api.address(), line + "\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      assertThat(response).as(line).startsWith("HTTP/1.1 4");
      RawHttp.assertJsonError(response, line);
    }
    // a range of scattered footage: more runs than one response holds
    store.useTransaction(() -> {
      List<io.heldar.core.model.Segment> many = new ArrayList<>();
      for (int i = 0; i < HttpApiOptions.DEFAULT_MAX_TIMELINE_ITEMS + 1; i++) {
        many.add(io.heldar.store.contract.StoreContract.segment("gate", 100 + 2 * i, 5));
      }
      store.segments().insertAll(many);
    });
    HttpResponse<String> scattered =
        get("/api/cameras/gate/timeline?from=2026-11-21&to=2026-11-25");
    assertThat(scattered.statusCode()).as(scattered.body()).isEqualTo(400);
    assertThat(json(scattered).path("error").asText()).contains("page through /segments");
    HttpResponse<String> post = send(HttpRequest.newBuilder(uri(api, "/api/cameras"))
        .POST(HttpRequest.BodyPublishers.ofString("{}"))
        .build());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
    assertThat(json(post).path("error").asText()).contains("only GET and HEAD");
    HttpResponse<Void> head = client.send(
        HttpRequest.newBuilder(uri(api, "/api/cameras"))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.discarding());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValueAsLong("Content-Length").orElse(0))
        .as("HEAD says how long the GET's body is")
        .isEqualTo(get("/api/cameras").body().getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void aTokenIsRequiredWhenConfiguredAndAnyAddressButLoopbackNeedsOne() throws Exception {
    String token = "s3cret-token-of-some-length";
    try (JettyApiServer guarded = new JettyApiServer(
        heldar, loopback(), HttpApiOptions.builder().token(Optional.of(token)).build())) {
      guarded.start();
      HttpResponse<String> none =
          send(HttpRequest.newBuilder(uri(guarded, "/health")).build());
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
      HttpResponse<String> wrong = send(HttpRequest.newBuilder(uri(guarded, "/health"))
          .header("Authorization", "Bearer " + token + "x")
          .build());
      assertThat(wrong.statusCode()).isEqualTo(401);
      HttpResponse<String> right = send(HttpRequest.newBuilder(uri(guarded, "/api/cameras"))
          .header("Authorization", "Bearer " + token)
          .build());
      assertThat(right.statusCode()).isEqualTo(200);
    }
    assertThatThrownBy(() -> new JettyApiServer(
            heldar, new InetSocketAddress("0.0.0.0", 0), HttpApiOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a loopback address: it needs a token");
    assertThatThrownBy(() -> HttpApiOptions.builder().token(Optional.of("short")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 16 characters");
    // probes open, the API still guarded
    try (JettyApiServer probes = new JettyApiServer(
        heldar,
        loopback(),
        HttpApiOptions.builder().token(Optional.of(token)).openProbes(true).build())) {
      probes.start();
      assertThat(send(HttpRequest.newBuilder(uri(probes, "/health")).build()).statusCode())
          .isEqualTo(200);
      assertThat(send(HttpRequest.newBuilder(uri(probes, "/metrics")).build()).statusCode())
          .isEqualTo(200);
      assertThat(
              send(HttpRequest.newBuilder(uri(probes, "/api/cameras")).build()).statusCode())
          .isEqualTo(401);
    }
  }
}
