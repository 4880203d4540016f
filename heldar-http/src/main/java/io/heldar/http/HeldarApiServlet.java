package io.heldar.http;

import io.heldar.core.Heldar;
import io.heldar.core.event.StoredEvent;
import io.heldar.core.metrics.CameraMetrics;
import io.heldar.core.metrics.HeldarMetrics;
import io.heldar.core.model.Camera;
import io.heldar.core.model.InvalidCameraIdException;
import io.heldar.core.store.StoreException;
import io.heldar.core.timeline.Coverage;
import io.heldar.core.timeline.DaySummary;
import io.heldar.core.timeline.SegmentPage;
import io.heldar.core.timeline.Timeline;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heldar's read-only HTTP API as a servlet: mount it on {@code /*} (or under a prefix, {@code
 * /heldar/*}) of any Jakarta Servlet 6.0 container. {@code heldar run --http} serves it on embedded
 * Jetty.
 *
 * <ul>
 *   <li>{@code GET /api/cameras}, {@code /api/cameras/{id}/timeline|segments|days}, {@code
 *       /api/events?after=&limit=}: JSON in the shapes of {@link ApiJson};
 *   <li>{@code GET /health}: 200 or 503 with the reasons ({@link HealthReport});
 *   <li>{@code GET /metrics}: {@link PrometheusText}.
 * </ul>
 *
 * <p>{@code HEAD} answers wherever {@code GET} does, without the body. Every other method is a 405.
 * Every input is checked: a client's mistake is a 400 (404 for a missing camera or resource, 401
 * without the token) with a JSON body {@code {"error": "..."}}; a failure of Heldar is a 500 with no
 * detail (logged with its stack trace on the server). No response carries a Java type or a stack
 * trace. Where the container supports it (mark the servlet async-supported), responses are written
 * without blocking, so a client that does not read holds a socket, never a request thread. The
 * servlet holds no state of its own: one instance serves any number of threads.
 */
public class HeldarApiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(HeldarApiServlet.class);

  /** Segments per page by default. */
  public static final int DEFAULT_SEGMENTS = 100;
  /** Events per page by default. */
  public static final int DEFAULT_EVENTS = 100;
  /** The content type of every JSON response. */
  public static final String JSON_TYPE = "application/json; charset=utf-8";

  private static final int MAX_QUERY_LENGTH = 8192;
  private static final int MAX_CURSOR_LENGTH = 4096;

  private final transient Heldar heldar;
  private final transient HttpApiOptions options;

  /** Serves {@code heldar} with {@code options}. */
  public HeldarApiServlet(Heldar heldar, HttpApiOptions options) {
    this.heldar = Objects.requireNonNull(heldar, "heldar");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** The options it serves with. */
  public HttpApiOptions options() {
    return options;
  }

  /** A client's mistake: its status and message. */
  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    BadRequest(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String method = req.getMethod();
    if (method.equals("GET") || method.equals("HEAD")) {
      answer(req, resp, method.equals("HEAD"));
    } else {
      resp.setHeader("Allow", "GET, HEAD");
      error(req, resp, 405, "only GET and HEAD are served, not " + printable(method), false);
    }
  }

  private void answer(HttpServletRequest req, HttpServletResponse resp, boolean head)
      throws IOException {
    try {
      String path = path(req);
      boolean probe = path.equals("/health") || path.equals("/metrics");
      if (!(probe && options.openProbes())) {
        authorize(req, resp);
      }
      Map<String, String> q = query(req.getQueryString());
      switch (path) {
        case "/health" -> {
          HealthReport report = HealthReport.of(heldar, options.maxHealthWarnings());
          json(req, resp, report.healthy() ? 200 : 503, report.toJson(), head);
        }
        case "/metrics" -> send(
            req,
            resp,
            200,
            PrometheusText.CONTENT_TYPE,
            PrometheusText.write(heldar.metrics()).getBytes(StandardCharsets.UTF_8),
            head);
        case "/api/cameras" -> json(req, resp, 200, cameras(), head);
        case "/api/events" -> json(req, resp, 200, events(q), head);
        default -> {
          String[] parts = path.split("/", -1);
          // "", "api", "cameras", id, resource
          if (parts.length != 5 || !parts[1].equals("api") || !parts[2].equals("cameras")) {
            throw new BadRequest(404, "no such resource: " + printable(path));
          }
          String resource = parts[4];
          if (!resource.equals("timeline")
              && !resource.equals("segments")
              && !resource.equals("days")) {
            throw new BadRequest(404, "no such resource: " + printable(path));
          }
          String cameraId = camera(parts[3]);
          Object body =
              switch (resource) {
                case "timeline" -> timeline(cameraId, q);
                case "segments" -> segments(cameraId, q);
                default -> days(cameraId, q);
              };
          json(req, resp, 200, body, head);
        }
      }
    } catch (BadRequest e) {
      error(req, resp, e.status, e.getMessage(), head);
    } catch (InvalidCameraIdException e) {
      error(req, resp, 400, e.getMessage(), head);
    } catch (IllegalArgumentException e) {
      error(req, resp, 400, HealthReport.forClients(e.getMessage()), head);
    } catch (StoreException e) {
      log.warn("HTTP {} failed: the store", req.getRequestURI(), e);
      error(req, resp, 503, "the database does not answer; try again", head);
    } catch (RuntimeException e) {
      log.warn("HTTP {} failed", req.getRequestURI(), e);
      error(req, resp, 500, "internal error (logged on the server)", head);
    }
  }

  /** The path within this servlet (after its context and servlet paths). */
  private static String path(HttpServletRequest req) {
    String info = req.getPathInfo();
    String p = info != null ? info : req.getServletPath();
    return p == null || p.isEmpty() ? "/" : p;
  }

  private void authorize(HttpServletRequest req, HttpServletResponse resp) {
    if (options.token().isEmpty()) {
      return;
    }
    String header = req.getHeader("Authorization");
    String given =
        header != null && header.startsWith("Bearer ") ? header.substring("Bearer ".length()) : "";
    if (!MessageDigest.isEqual(
        given.getBytes(StandardCharsets.UTF_8),
        options.token().get().getBytes(StandardCharsets.UTF_8))) {
      resp.setHeader("WWW-Authenticate", "Bearer");
      throw new BadRequest(401, "missing or wrong bearer token");
    }
  }

  // ---- resources ---------------------------------------------------------------------------

  private List<Map<String, Object>> cameras() {
    HeldarMetrics m = heldar.metrics();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Camera c : heldar.client().cameras()) {
      Map<String, Object> row = ApiJson.camera(c);
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
    Coverage c = heldar
        .client()
        .timeline()
        .coverage(cameraId, range[0], range[1], Timeline.DEFAULT_TOLERANCE);
    if (c.runs().size() + c.gaps().size() > options.maxTimelineItems()) {
      throw new BadRequest(
          400,
          "the range holds " + c.runs().size() + " runs and " + c.gaps().size()
              + " gaps, more than " + options.maxTimelineItems() + " in one response: narrow"
              + " it, or page through /segments");
    }
    return ApiJson.coverage(c);
  }

  private Map<String, Object> segments(String cameraId, Map<String, String> q) {
    Instant[] range = range(q);
    int limit = intParam(q, "limit", Math.min(DEFAULT_SEGMENTS, options.maxPageSize()));
    Optional<String> cursor = Optional.ofNullable(q.get("cursor")).filter(s -> !s.isEmpty());
    if (cursor.isPresent() && cursor.get().length() > MAX_CURSOR_LENGTH) {
      throw new BadRequest(400, "cursor too long");
    }
    SegmentPage page =
        heldar.client().timeline().segmentPage(cameraId, range[0], range[1], limit, cursor);
    return ApiJson.object(
        "camera",
        cameraId,
        "segments",
        page.segments().stream().map(ApiJson::segment).toList(),
        "next_cursor",
        page.nextCursor());
  }

  private Map<String, Object> days(String cameraId, Map<String, String> q) {
    ZoneId zone;
    try {
      zone = ZoneId.of(q.getOrDefault("zone", "UTC"));
    } catch (DateTimeException e) {
      throw new BadRequest(400, "unknown zone: " + printable(q.get("zone")));
    }
    LocalDate today = LocalDate.now(heldar.clock().withZone(zone));
    LocalDate first = dateParam(q, "from", today.minusDays(6));
    LocalDate last = dateParam(q, "to", today);
    if (last.isBefore(first)) {
      throw new BadRequest(400, "to " + last + " is before from " + first);
    }
    if (first.plusDays(options.maxDays() - 1L).isBefore(last)) {
      throw new BadRequest(400, "at most " + options.maxDays() + " days per request");
    }
    List<DaySummary> days = heldar.client().timeline().daily(cameraId, first, last, zone);
    return ApiJson.object(
        "camera",
        cameraId,
        "zone",
        zone.getId(),
        "days",
        days.stream().map(ApiJson::day).toList());
  }

  private Map<String, Object> events(Map<String, String> q) {
    long after = longParam(q, "after", 0);
    int limit = intParam(q, "limit", Math.min(DEFAULT_EVENTS, options.maxPageSize()));
    List<StoredEvent> page = heldar.client().events(after, limit);
    return ApiJson.object(
        "events",
        page.stream().map(ApiJson::event).toList(),
        "next_after",
        page.isEmpty() ? after : page.get(page.size() - 1).id());
  }

  // ---- input ---------------------------------------------------------------------------------

  /** A known camera's id from the path (decoded, validated), or 404. */
  private String camera(String raw) {
    String id = decode(raw);
    try {
      Camera.requireValidId(id);
    } catch (InvalidCameraIdException e) {
      throw new BadRequest(400, "invalid camera id: " + e.getMessage());
    }
    if (heldar.client().camera(id).isEmpty()) {
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
    if (Duration.between(from, to).compareTo(options.maxRange()) > 0) {
      throw new BadRequest(400, "at most " + options.maxRange().toDays() + " days per request");
    }
    return new Instant[] {from, to};
  }

  /**
   * An instant: ISO-8601 with an offset ({@code 2026-11-21T10:00:00Z}), a local date-time or a day
   * (both in UTC).
   */
  static Instant parseInstant(String text) {
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      // not with an offset
    }
    try {
      return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // not a local date-time
    }
    try {
      return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + printable(text)
          + "' is not a time (2026-11-21T10:00:00Z, 2026-11-21T10:00 or 2026-11-21; UTC)");
    }
  }

  private static Instant instantParam(Map<String, String> q, String name, Instant otherwise) {
    String v = q.get(name);
    if (v == null || v.isEmpty()) {
      return otherwise;
    }
    try {
      return parseInstant(v);
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
      throw new BadRequest(400, name + ": '" + printable(v) + "' is not a day (2026-11-21)");
    }
  }

  private int intParam(Map<String, String> q, String name, int otherwise) {
    long v = longParam(q, name, otherwise);
    if (v < 1 || v > options.maxPageSize()) {
      throw new BadRequest(400, name + " must be 1.." + options.maxPageSize() + ": " + v);
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
      throw new BadRequest(400, name + ": '" + printable(v) + "' is not a number");
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    if (raw.length() > MAX_QUERY_LENGTH) {
      throw new BadRequest(414, "query longer than " + MAX_QUERY_LENGTH + " characters");
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (q.put(k, v) != null) {
        throw new BadRequest(400, "parameter " + printable(k) + " given twice");
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

  /** Client text echoed in an error: control characters escaped, at most 200 characters. */
  private static String printable(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 200; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return s.length() > 200 ? b + "..." : b.toString();
  }

  // ---- output --------------------------------------------------------------------------------

  private static void error(
      HttpServletRequest req, HttpServletResponse resp, int status, String message, boolean head)
      throws IOException {
    json(req, resp, status, ApiJson.object("error", message), head);
  }

  private static void json(
      HttpServletRequest req, HttpServletResponse resp, int status, Object body, boolean head)
      throws IOException {
    byte[] compact = ApiJson.compact(body);
    byte[] line = java.util.Arrays.copyOf(compact, compact.length + 1);
    line[compact.length] = '\n';
    send(req, resp, status, JSON_TYPE, line, head);
  }

  private static void send(
      HttpServletRequest req,
      HttpServletResponse resp,
      int status,
      String type,
      byte[] bytes,
      boolean head)
      throws IOException {
    resp.setStatus(status);
    resp.setContentType(type);
    resp.setHeader("Cache-Control", "no-store");
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setContentLength(bytes.length);
    if (head) {
      return;
    }
    if (!req.isAsyncSupported()) {
      try (OutputStream out = resp.getOutputStream()) {
        out.write(bytes);
      }
      return;
    }
    // Written without blocking: a client that does not read its responses (pipelining ahead, or
    // a slow reader) holds a socket, never a request thread; the container's idle timeout ends it.
    AsyncContext async = req.startAsync();
    async.setTimeout(0); // the connection's idle timeout bounds it
    ServletOutputStream out = resp.getOutputStream();
    out.setWriteListener(new WriteListener() {
      private boolean written;

      @Override
      public void onWritePossible() throws IOException {
        if (!written && out.isReady()) {
          written = true;
          out.write(bytes);
        }
        if (written && out.isReady()) {
          async.complete();
        }
      }

      @Override
      public void onError(Throwable t) {
        log.debug("HTTP {}: the client went away: {}", req.getRequestURI(), t.toString());
        async.complete();
      }
    });
  }
}
