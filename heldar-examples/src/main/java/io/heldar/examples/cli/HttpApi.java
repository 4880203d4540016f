package io.heldar.examples.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.heldar.core.Heldar;
import io.heldar.core.metrics.CameraMetrics;
import io.heldar.core.metrics.CameraStatus;
import io.heldar.core.metrics.HeldarMetrics;
import io.heldar.core.model.Camera;
import io.heldar.core.model.InvalidCameraIdException;
import io.heldar.core.model.Segment;
import io.heldar.core.model.StoredEvent;
import io.heldar.core.runtime.TaskHealth;
import io.heldar.core.timeline.Coverage;
import io.heldar.core.timeline.DaySummary;
import io.heldar.core.timeline.SegmentPage;
import io.heldar.core.timeline.Timeline;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code heldar run --http}: a read-only HTTP API over a running {@link Heldar}, on the JDK's
 * {@link HttpServer}. JSON in the shapes of the CLI's {@code --format json}; {@code /metrics} in the
 * Prometheus text format; {@code /health} 200 or 503 with the reasons. Binds to loopback unless
 * told otherwise, and then only with a bearer token; every id and query value is checked (bad
 * input is a 400 with a JSON error, never a stack trace). See docs/operations.md.
 */
final class HttpApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  /** The longest range one timeline or segments request covers. */
  static final Duration MAX_RANGE = Duration.ofDays(31);
  /** The most days one days request covers. */
  static final int MAX_DAYS = 366;
  /** Runs plus gaps one timeline response holds at most (a range of scattered footage is refused). */
  static final int MAX_TIMELINE_ITEMS = 10_000;
  /** Segments per page at most, and by default. */
  static final int MAX_SEGMENTS = 1000;

  static final int DEFAULT_SEGMENTS = 100;
  /** Events per page at most, and by default. */
  static final int MAX_EVENTS = 1000;

  static final int DEFAULT_EVENTS = 100;
  /** A task this many failures in a row makes {@code /health} 503. */
  static final int UNHEALTHY_FAILURES = 3;

  private static final Pattern CAMERA_PATH =
      Pattern.compile("^/api/cameras/([^/]+)/(timeline|segments|days)$");

  private final Heldar heldar;
  private final Optional<String> token;
  private final HttpServer server;
  private final ExecutorService threads;

  /** A client's mistake: its status and message. */
  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    BadRequest(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /**
   * Binds (nothing is served before {@link #start()}).
   *
   * @param token the bearer token every request must carry; required unless {@code address} is a
   *     loopback address
   * @throws IllegalArgumentException when a non-loopback address has no token
   */
  HttpApi(Heldar heldar, InetSocketAddress address, Optional<String> token) throws IOException {
    if (!address.getAddress().isLoopbackAddress() && token.isEmpty()) {
      throw new IllegalArgumentException("--http " + address.getHostString() + ":"
          + address.getPort() + " is not a loopback address: it needs a token"
          + " (HELDAR_HTTP_TOKEN or --http-token-file)");
    }
    token.ifPresent(t -> {
      if (t.length() < 16) {
        throw new IllegalArgumentException("the HTTP token must be at least 16 characters");
      }
    });
    this.heldar = heldar;
    this.token = token;
    this.server = HttpServer.create(address, 50);
    this.threads = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "heldar-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    server.createContext("/", this::handle);
  }

  /** Where it listens (the port chosen when 0 was asked for). */
  InetSocketAddress address() {
    return server.getAddress();
  }

  void start() {
    server.start();
    log.info("HTTP API on http://{}:{}/", address().getHostString(), address().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
    try {
      threads.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      try {
        if (!x.getRequestMethod().equals("GET")) {
          x.getResponseHeaders().add("Allow", "GET");
          throw new BadRequest(405, "only GET is served");
        }
        authorize(x);
        String path = x.getRequestURI().getRawPath();
        Map<String, String> q = query(x.getRequestURI().getRawQuery());
        switch (path) {
          case "/health" -> health(x);
          case "/metrics" -> send(x, 200, "text/plain; version=0.0.4; charset=utf-8", metrics());
          case "/api/cameras" -> json(x, 200, cameras());
          case "/api/events" -> json(x, 200, events(q));
          default -> {
            Matcher m = CAMERA_PATH.matcher(path);
            if (!m.matches()) {
              throw new BadRequest(404, "no such resource: " + path);
            }
            String cameraId = camera(m.group(1));
            json(
                x,
                200,
                switch (m.group(2)) {
                  case "timeline" -> timeline(cameraId, q);
                  case "segments" -> segments(cameraId, q);
                  default -> days(cameraId, q);
                });
          }
        }
      } catch (BadRequest e) {
        json(x, e.status, Json.object("error", e.getMessage()));
      } catch (IllegalArgumentException e) {
        json(x, 400, Json.object("error", e.getMessage()));
      } catch (RuntimeException e) {
        log.warn("HTTP {} failed", x.getRequestURI().getRawPath(), e);
        json(x, 500, Json.object("error", "internal error: " + e.getClass().getSimpleName()));
      }
    }
  }

  private void authorize(HttpExchange x) {
    if (token.isEmpty()) {
      return;
    }
    String given = Optional.ofNullable(x.getRequestHeaders().getFirst("Authorization"))
        .filter(h -> h.startsWith("Bearer "))
        .map(h -> h.substring("Bearer ".length()))
        .orElse("");
    if (!MessageDigest.isEqual(
        given.getBytes(StandardCharsets.UTF_8), token.get().getBytes(StandardCharsets.UTF_8))) {
      x.getResponseHeaders().add("WWW-Authenticate", "Bearer");
      throw new BadRequest(401, "missing or wrong bearer token");
    }
  }

  // ---- resources ---------------------------------------------------------------------------

  private void health(HttpExchange x) throws IOException {
    List<String> reasons = new ArrayList<>();
    for (TaskHealth t : heldar.health()) {
      if (t.consecutiveFailures() >= UNHEALTHY_FAILURES) {
        reasons.add("task " + t.name() + " failed " + t.consecutiveFailures() + " times in a row: "
            + t.lastFailureMessage().orElse("?"));
      }
    }
    try {
      heldar.store().cameras().list(); // the database answers
    } catch (RuntimeException e) {
      reasons.add("the database does not answer: " + e.getMessage());
    }
    List<String> warnings = new ArrayList<>();
    heldar.metrics().cameras().values().stream()
        .filter(c -> c.status().needsAttention())
        .forEach(c -> warnings.add("camera " + c.cameraId() + ": " + c.status().reason()));
    json(
        x,
        reasons.isEmpty() ? 200 : 503,
        Json.object(
            "status",
            reasons.isEmpty() ? "ok" : "unhealthy",
            "reasons",
            reasons,
            "warnings",
            warnings));
  }

  private List<Map<String, Object>> cameras() {
    HeldarMetrics m = heldar.metrics();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Camera c : heldar.store().cameras().list()) {
      Map<String, Object> row = Json.camera(c);
      Optional<CameraMetrics> cm = m.camera(c.id());
      row.put(
          "status",
          cm.map(x -> x.status().state().name().toLowerCase(Locale.ROOT)).orElse("unknown"));
      row.put("status_reason", cm.map(x -> x.status().reason()).orElse("not seen yet"));
      row.put(
          "newest_footage_end",
          cm.flatMap(CameraMetrics::newestFootageEnd).map(Instant::toString).orElse(null));
      row.put("open_gaps", cm.map(CameraMetrics::openGaps).orElse(0L));
      out.add(row);
    }
    return out;
  }

  private Map<String, Object> timeline(String cameraId, Map<String, String> q) {
    Instant[] range = range(q);
    Coverage c =
        heldar.timeline().coverage(cameraId, range[0], range[1], Timeline.DEFAULT_TOLERANCE);
    if (c.runs().size() + c.gaps().size() > MAX_TIMELINE_ITEMS) {
      throw new BadRequest(
          400,
          "the range holds " + c.runs().size() + " runs and " + c.gaps().size()
              + " gaps, more than " + MAX_TIMELINE_ITEMS + " in one response: narrow it, or page"
              + " through /segments");
    }
    return Json.coverage(c);
  }

  private Map<String, Object> segments(String cameraId, Map<String, String> q) {
    Instant[] range = range(q);
    int limit = intParam(q, "limit", DEFAULT_SEGMENTS, 1, MAX_SEGMENTS);
    Optional<String> cursor = Optional.ofNullable(q.get("cursor")).filter(s -> !s.isEmpty());
    if (cursor.isPresent() && cursor.get().length() > 4096) {
      throw new BadRequest(400, "cursor too long");
    }
    SegmentPage page = heldar.timeline().segmentPage(cameraId, range[0], range[1], limit, cursor);
    return Json.object(
        "camera",
        cameraId,
        "segments",
        page.segments().stream().map(HttpApi::segment).toList(),
        "next_cursor",
        page.nextCursor());
  }

  private static Map<String, Object> segment(Segment s) {
    return Json.object(
        "path",
        s.path(),
        "start_time",
        s.start(),
        "end_time",
        s.end(),
        "duration_s",
        s.media().duration().toMillis() / 1000.0,
        "size_bytes",
        s.sizeBytes(),
        "container",
        s.media().container(),
        "codec",
        s.media().videoCodec(),
        "width",
        s.media().width(),
        "height",
        s.media().height());
  }

  private Map<String, Object> days(String cameraId, Map<String, String> q) {
    ZoneId zone;
    try {
      zone = ZoneId.of(q.getOrDefault("zone", "UTC"));
    } catch (DateTimeException e) {
      throw new BadRequest(400, "unknown zone: " + q.get("zone"));
    }
    LocalDate today = LocalDate.now(heldar.clock().withZone(zone));
    LocalDate first = dateParam(q, "from", today.minusDays(6));
    LocalDate last = dateParam(q, "to", today);
    if (last.isBefore(first)) {
      throw new BadRequest(400, "to " + last + " is before from " + first);
    }
    if (first.plusDays(MAX_DAYS - 1).isBefore(last)) {
      throw new BadRequest(400, "at most " + MAX_DAYS + " days per request");
    }
    List<DaySummary> days = heldar.timeline().daily(cameraId, first, last, zone);
    return Json.object(
        "camera",
        cameraId,
        "zone",
        zone.getId(),
        "days",
        days.stream().map(Json::day).toList());
  }

  private Map<String, Object> events(Map<String, String> q) {
    long after = longParam(q, "after", 0);
    int limit = intParam(q, "limit", DEFAULT_EVENTS, 1, MAX_EVENTS);
    List<StoredEvent> page = heldar.events(after, limit);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (StoredEvent e : page) {
      rows.add(Json.object(
          "id",
          e.id(),
          "camera_id",
          e.event().cameraId(),
          "kind",
          e.event().kind(),
          "severity",
          e.event().severity().name().toLowerCase(Locale.ROOT),
          "payload",
          e.event().payload(),
          "created_at",
          e.event().createdAt()));
    }
    return Json.object(
        "events",
        rows,
        "next_after",
        page.isEmpty() ? after : page.get(page.size() - 1).id());
  }

  // ---- /metrics ------------------------------------------------------------------------------

  private String metrics() {
    HeldarMetrics m = heldar.metrics();
    Prometheus p = new Prometheus();
    p.family("heldar_task_runs_total", "counter", "Ticks started per supervised task.");
    m.tasks().forEach(t -> p.sample("heldar_task_runs_total", Map.of("task", t.name()), t.runs()));
    p.family("heldar_task_failures_total", "counter", "Ticks that threw per supervised task.");
    m.tasks()
        .forEach(
            t -> p.sample("heldar_task_failures_total", Map.of("task", t.name()), t.failures()));
    p.family(
        "heldar_task_consecutive_failures", "gauge", "Failures since the task's last success.");
    m.tasks()
        .forEach(t -> p.sample(
            "heldar_task_consecutive_failures", Map.of("task", t.name()), t.consecutiveFailures()));
    p.family("heldar_task_last_duration_seconds", "gauge", "How long the latest tick took.");
    m.tasks().forEach(t -> t.lastDuration()
        .ifPresent(d ->
            p.sample("heldar_task_last_duration_seconds", Map.of("task", t.name()), seconds(d))));
    cameraCounter(
        p, m, "heldar_segments_indexed_total", "Segments indexed.", CameraMetrics::segmentsIndexed);
    cameraCounter(
        p,
        m,
        "heldar_segments_unreadable_total",
        "Files found unreadable.",
        CameraMetrics::unreadable);
    cameraCounter(
        p,
        m,
        "heldar_snapshots_taken_total",
        "Snapshots committed.",
        CameraMetrics::snapshotsTaken);
    cameraCounter(
        p,
        m,
        "heldar_snapshots_failed_total",
        "Snapshot slots whose capture failed.",
        CameraMetrics::snapshotsFailed);
    cameraCounter(
        p,
        m,
        "heldar_snapshots_missed_total",
        "Snapshot slots passed without a capture.",
        CameraMetrics::snapshotsMissed);
    p.family("heldar_open_gaps", "gauge", "Open recording gaps per camera.");
    m.cameras()
        .values()
        .forEach(c -> p.sample("heldar_open_gaps", Map.of("camera", c.cameraId()), c.openGaps()));
    p.family(
        "heldar_footage_age_seconds", "gauge", "Now minus the end of the newest indexed footage.");
    m.cameras().values().forEach(c -> c.footageAge()
        .ifPresent(a ->
            p.sample("heldar_footage_age_seconds", Map.of("camera", c.cameraId()), seconds(a))));
    p.family(
        "heldar_capture_latency_seconds",
        "gauge",
        "From the last taken slot to its row committed.");
    m.cameras().values().forEach(c -> c.lastCaptureLatency()
        .ifPresent(a -> p.sample(
            "heldar_capture_latency_seconds", Map.of("camera", c.cameraId()), seconds(a))));
    p.family("heldar_camera_status", "gauge", "1 for the camera's current status.");
    m.cameras().values().forEach(c -> {
      for (CameraStatus.State s : CameraStatus.State.values()) {
        p.sample(
            "heldar_camera_status",
            Map.of("camera", c.cameraId(), "status", s.name().toLowerCase(Locale.ROOT)),
            c.status().state() == s ? 1 : 0);
      }
    });
    p.family("heldar_retention_sweeps_total", "counter", "Retention sweeps run.");
    p.sample("heldar_retention_sweeps_total", Map.of(), m.retention().sweeps());
    p.family("heldar_retention_deleted_files_total", "counter", "Files retention deleted.");
    p.sample(
        "heldar_retention_deleted_files_total",
        Map.of("kind", "segment"),
        m.retention().segmentsDeleted());
    p.sample(
        "heldar_retention_deleted_files_total",
        Map.of("kind", "snapshot"),
        m.retention().snapshotsDeleted());
    p.family("heldar_retention_freed_bytes_total", "counter", "Bytes retention freed.");
    p.sample("heldar_retention_freed_bytes_total", Map.of(), m.retention().bytesFreed());
    p.family("heldar_retention_refusals_total", "counter", "Cameras a sweep refused to touch.");
    p.sample("heldar_retention_refusals_total", Map.of(), m.retention().refusals());
    p.family("heldar_events_pruned_total", "counter", "Events deleted for their age.");
    p.sample("heldar_events_pruned_total", Map.of(), m.retention().eventsPruned());
    return p.text();
  }

  private static void cameraCounter(
      Prometheus p,
      HeldarMetrics m,
      String name,
      String help,
      java.util.function.ToLongFunction<CameraMetrics> value) {
    p.family(name, "counter", help);
    m.cameras()
        .values()
        .forEach(c -> p.sample(name, Map.of("camera", c.cameraId()), value.applyAsLong(c)));
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  /** The Prometheus text exposition format, version 0.0.4. */
  private static final class Prometheus {
    private final StringBuilder out = new StringBuilder();

    void family(String name, String type, String help) {
      out.append("# HELP ").append(name).append(' ').append(help).append('\n');
      out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    void sample(String name, Map<String, String> labels, double value) {
      out.append(name);
      if (!labels.isEmpty()) {
        out.append('{');
        String sep = "";
        for (Map.Entry<String, String> l : new java.util.TreeMap<>(labels).entrySet()) {
          out.append(sep)
              .append(l.getKey())
              .append("=\"")
              .append(escape(l.getValue()))
              .append('"');
          sep = ",";
        }
        out.append('}');
      }
      out.append(' ');
      if (value == Math.rint(value) && Math.abs(value) < 1e15) {
        out.append((long) value);
      } else {
        out.append(value);
      }
      out.append('\n');
    }

    private static String escape(String v) {
      return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    String text() {
      return out.toString();
    }
  }

  // ---- input ---------------------------------------------------------------------------------

  /** A known camera's id from the path (validated, decoded), or 404. */
  private String camera(String raw) {
    String id = decode(raw);
    try {
      Camera.requireValidId(id);
    } catch (InvalidCameraIdException e) {
      throw new BadRequest(400, "invalid camera id: " + e.getMessage());
    }
    if (heldar.store().cameras().find(id).isEmpty()) {
      throw new BadRequest(404, "no camera " + id);
    }
    return id;
  }

  /** {@code from} and {@code to} (instants or days, UTC), by default the last 24 hours; bounded. */
  private Instant[] range(Map<String, String> q) {
    Instant now = heldar.clock().instant();
    Instant to = instantParam(q, "to", now);
    Instant from = instantParam(q, "from", to.minus(Duration.ofDays(1)));
    if (!to.isAfter(from)) {
      throw new BadRequest(400, "to " + to + " is not after from " + from);
    }
    if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
      throw new BadRequest(400, "at most " + MAX_RANGE.toDays() + " days per request");
    }
    return new Instant[] {from, to};
  }

  private static Instant instantParam(Map<String, String> q, String name, Instant otherwise) {
    String v = q.get(name);
    if (v == null || v.isEmpty()) {
      return otherwise;
    }
    try {
      return TimelineCommand.parse(v, ZoneOffset.UTC);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(400, name + ": " + e.getMessage());
    }
  }

  private static LocalDate dateParam(Map<String, String> q, String name, LocalDate otherwise) {
    String v = q.get(name);
    if (v == null || v.isEmpty()) {
      return otherwise;
    }
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new BadRequest(400, name + ": '" + v + "' is not a day (2026-11-21)");
    }
  }

  private static int intParam(Map<String, String> q, String name, int otherwise, int min, int max) {
    long v = longParam(q, name, otherwise);
    if (v < min || v > max) {
      throw new BadRequest(400, name + " must be " + min + ".." + max + ": " + v);
    }
    return (int) v;
  }

  private static long longParam(Map<String, String> q, String name, long otherwise) {
    String v = q.get(name);
    if (v == null || v.isEmpty()) {
      return otherwise;
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new BadRequest(400, name + " must not be negative: " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequest(400, name + ": '" + v + "' is not a number");
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    if (raw.length() > 8192) {
      throw new BadRequest(414, "query too long");
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (q.put(k, v) != null) {
        throw new BadRequest(400, "parameter " + k + " given twice");
      }
    }
    return q;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(400, "malformed percent-encoding");
    }
  }

  // ---- output --------------------------------------------------------------------------------

  private static void json(HttpExchange x, int status, Object body) throws IOException {
    send(x, status, "application/json; charset=utf-8", Json.write(body) + "\n");
  }

  private static void send(HttpExchange x, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }
}
