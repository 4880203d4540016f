package io.heldar.http;

import io.heldar.core.Heldar;
import io.heldar.core.clip.ClipException;
import io.heldar.core.clip.ClipFormat;
import io.heldar.core.clip.ClipGapException;
import io.heldar.core.clip.ClipManifest;
import io.heldar.core.clip.ClipReport;
import io.heldar.core.clip.ClipRequest;
import io.heldar.core.clip.Clips;
import io.heldar.core.clip.GapPolicy;
import io.heldar.core.clip.NoFootageException;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heldar's read-only HTTP API as a servlet: mount it on {@code /*} (or under a prefix, {@code
 * /heldar/*}) of any Jakarta Servlet 6.0 container. {@code heldar run --http} serves it on embedded
 * Jetty.
 *
 * <ul>
 *   <li>{@code GET /api/cameras}, {@code /api/cameras/{id}/timeline|segments|days}, {@code
 *       /api/timeline?from=&to=} (every camera's runs and gaps at once), {@code /api/storage}
 *       (the storage forecast: when the recordings file system fills, whose guarantee breaks), {@code
 *       /api/events?after=&limit=} (oldest first) or {@code ?before=latest|ID} (newest first): JSON
 *       in the shapes of {@link ApiJson};
 *   <li>{@code GET /api/cameras/{id}/clip.mp4?start=&end=[&gaps=skip|split|fail][&part=N]
 *       [&container=fmp4|mp4]}: the footage as one file, streamed as it is read (fragmented MP4 by
 *       default); {@code clip.json} with the same query: its manifest (signed when {@link
 *       HttpApiOptions#clipSigningKey()} is set). At most {@link
 *       HttpApiOptions#maxConcurrentClips()} at once (429 with {@code Retry-After} beyond), each at
 *       most {@link HttpApiOptions#maxClipLength()} long; 404 when the range has no footage, 409
 *       when {@code gaps=fail} and it has a gap;
 *   <li>{@code GET /list?path=&start=&end=} and {@code /get?path=&start=&duration=&format=}:
 *       MediaMTX's playback API on Heldar's index ({@code path} is the camera id), so its clients
 *       work unchanged;
 *   <li>{@code GET /api/cameras/{id}/snapshots?from=&to=&limit=&after=}: a camera's snapshots;
 *       {@code /snapshot.jpg?at=}: the one nearest that instant, with an {@code ETag}; {@code
 *       /thumbnails.jpg?from=&to=&count=} and {@code /thumbnails.vtt}: a sprite sheet of
 *       thumbnails over the range and its WebVTT thumbnails track;
 *   <li>{@code GET /}: the page (cameras, their timelines with gaps by cause, click to play), plain
 *       HTML, CSS and JavaScript from the jar; it holds no data and asks the API for it;
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
  private final transient Semaphore clipSlots;

  /** Serves {@code heldar} with {@code options}. */
  public HeldarApiServlet(Heldar heldar, HttpApiOptions options) {
    this.heldar = Objects.requireNonNull(heldar, "heldar");
    this.options = Objects.requireNonNull(options, "options");
    this.clipSlots = new Semaphore(options.maxConcurrentClips());
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
      if (req.getPathInfo() == null
          && !req.getServletPath().isEmpty()
          && req.getHttpServletMapping().getMappingMatch()
              == jakarta.servlet.http.MappingMatch.PATH) {
        // Mounted under a prefix (/heldar/*) and asked for the prefix itself: the page's relative
        // links need the trailing slash.
        resp.setStatus(308);
        resp.setHeader("Location", req.getRequestURI() + "/");
        return;
      }
      String path = path(req);
      if (PAGE.containsKey(path)) {
        // The page holds no data (it asks the API, with the token): served to anyone.
        page(req, resp, path, head);
        return;
      }
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
            PrometheusText.write(heldar).getBytes(StandardCharsets.UTF_8),
            head);
        case "/api/cameras" -> json(req, resp, 200, cameras(), head);
        case "/api/events" -> json(req, resp, 200, events(q), head);
        case "/api/timeline" -> json(req, resp, 200, allTimelines(q), head);
        case "/api/storage" -> json(
            req,
            resp,
            200,
            ApiJson.storage(
                heldar
                    .storageForecast()
                    .orElseThrow(
                        () -> new BadRequest(
                            503,
                            "no storage forecast yet (the first comes one scan interval and 5 s after start)"))),
            head);
        case "/list" -> json(req, resp, 200, mediamtxList(req, q), head);
        case "/get" -> mediamtxGet(req, resp, q, head);
        default -> {
          String[] parts = path.split("/", -1);
          // "", "api", "cameras", id, resource
          if (parts.length != 5 || !parts[1].equals("api") || !parts[2].equals("cameras")) {
            throw new BadRequest(404, "no such resource: " + printable(path));
          }
          String resource = parts[4];
          if (!resource.equals("timeline")
              && !resource.equals("segments")
              && !resource.equals("days")
              && !resource.equals("clip.mp4")
              && !resource.equals("clip.json")
              && !resource.equals("snapshots")
              && !resource.equals("snapshot.jpg")
              && !resource.equals("thumbnails.jpg")
              && !resource.equals("thumbnails.vtt")) {
            throw new BadRequest(404, "no such resource: " + printable(path));
          }
          String cameraId = camera(parts[3]);
          if (resource.equals("clip.mp4")) {
            ClipRequest request = clipRequest(cameraId, q, "fmp4");
            streamClip(req, resp, request, (int) longParam(q, "part", 1), head);
            return;
          }
          if (resource.equals("thumbnails.jpg")) {
            thumbnailSprite(req, resp, cameraId, q, head);
            return;
          }
          if (resource.equals("thumbnails.vtt")) {
            thumbnailTrack(req, resp, q, head);
            return;
          }
          if (resource.equals("snapshot.jpg")) {
            snapshotJpeg(req, resp, cameraId, q, head);
            return;
          }
          if (resource.equals("snapshots")) {
            json(req, resp, 200, snapshots(cameraId, q), head);
            return;
          }
          if (resource.equals("clip.json")) {
            json(req, resp, 200, manifest(clipRequest(cameraId, q, "fmp4")), head);
            return;
          }
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
    } catch (NoFootageException e) {
      error(req, resp, 404, e.getMessage(), head);
    } catch (ClipGapException e) {
      error(req, resp, 409, e.getMessage(), head);
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

  /**
   * Events oldest first after {@code after} (default), or newest first before {@code before}
   * ({@code before=latest}: the newest): one page of each, with where the next page starts.
   */
  private Map<String, Object> events(Map<String, String> q) {
    int limit = intParam(q, "limit", Math.min(DEFAULT_EVENTS, options.maxPageSize()));
    if (q.containsKey("before")) {
      if (q.containsKey("after")) {
        throw new BadRequest(400, "give after or before, not both");
      }
      long before = "latest".equals(q.get("before")) ? Long.MAX_VALUE : longParam(q, "before", 0);
      List<StoredEvent> page = heldar.client().eventsBefore(before, limit);
      return ApiJson.object(
          "events",
          page.stream().map(ApiJson::event).toList(),
          "next_before",
          page.size() < limit ? null : page.get(page.size() - 1).id());
    }
    long after = longParam(q, "after", 0);
    List<StoredEvent> page = heldar.client().events(after, limit);
    return ApiJson.object(
        "events",
        page.stream().map(ApiJson::event).toList(),
        "next_after",
        page.isEmpty() ? after : page.get(page.size() - 1).id());
  }

  /**
   * Every camera's runs and gaps over one range, cameras in id order after {@code after}, as many
   * as fit in {@link HttpApiOptions#maxTimelineItems()} runs plus gaps together; {@code next_after}
   * names the last camera given when more are left. The page asks once per page of cameras, not
   * once per camera or per segment.
   */
  private Map<String, Object> allTimelines(Map<String, String> q) {
    Instant[] range = range(q);
    String after = q.getOrDefault("after", "");
    List<Camera> cameras = heldar.client().cameras().stream()
        .filter(c -> c.id().compareTo(after) > 0)
        .sorted(java.util.Comparator.comparing(Camera::id))
        .toList();
    List<Map<String, Object>> rows = new ArrayList<>();
    long items = 0;
    String next = null;
    for (Camera c : cameras) {
      Coverage cov = heldar
          .client()
          .timeline()
          .coverage(c.id(), range[0], range[1], Timeline.DEFAULT_TOLERANCE);
      int size = cov.runs().size() + cov.gaps().size();
      if (items + size > options.maxTimelineItems()) {
        if (rows.isEmpty()) {
          throw new BadRequest(
              400,
              "camera " + c.id() + " alone has " + size + " runs and gaps over this range, more"
                  + " than " + options.maxTimelineItems() + ": narrow it, or page through its"
                  + " /segments");
        }
        next = (String) rows.get(rows.size() - 1).get("camera");
        break;
      }
      items += size;
      Map<String, Object> row = ApiJson.coverage(cov);
      row.put("snapshots", hasSnapshotIn(c.id(), range));
      rows.add(row);
    }
    return ApiJson.object("from", range[0], "to", range[1], "cameras", rows, "next_after", next);
  }

  /**
   * Whether a snapshot of the camera lies in the range, served: the one nearest the range's middle
   * does if any does, so one indexed query answers.
   */
  private boolean hasSnapshotIn(String cameraId, Instant[] range) {
    if (heldar.snapshotsRoot().isEmpty()) {
      return false;
    }
    Instant middle = range[0].plus(Duration.between(range[0], range[1]).dividedBy(2));
    return heldar
        .store()
        .snapshots()
        .nearest(cameraId, middle)
        .filter(s -> !s.takenAt().isBefore(range[0]) && s.takenAt().isBefore(range[1]))
        .isPresent();
  }

  // ---- snapshots -----------------------------------------------------------------------------

  /** The largest snapshot served. */
  private static final long MAX_SNAPSHOT_BYTES = 32L << 20;

  /**
   * A camera's snapshots in {@code [from, to)}, oldest first, at most {@code limit}, after the
   * instant {@code after} (the previous page's {@code next_after}).
   */
  private Map<String, Object> snapshots(String cameraId, Map<String, String> q) {
    Instant[] range = range(q);
    int limit = intParam(q, "limit", Math.min(DEFAULT_SEGMENTS, options.maxPageSize()));
    Instant after = instantParam(q, "after", null);
    List<Map<String, Object>> rows = new ArrayList<>();
    Object next = null;
    for (io.heldar.core.model.Snapshot s :
        heldar.store().snapshots().list(cameraId, range[0], range[1])) {
      if (after != null && !s.takenAt().isAfter(after)) {
        continue;
      }
      if (rows.size() == limit) {
        next = rows.get(rows.size() - 1).get("taken_at");
        break;
      }
      rows.add(ApiJson.object(
          "taken_at",
          s.takenAt().toString(),
          "schedule_id",
          s.scheduleId().isPresent() ? s.scheduleId().getAsLong() : null,
          "bytes",
          s.sizeBytes(),
          "url",
          "api/cameras/" + encode(cameraId) + "/snapshot.jpg?at="
              + encode(s.takenAt().toString())));
    }
    return ApiJson.object("camera", cameraId, "snapshots", rows, "next_after", next);
  }

  /**
   * The camera's snapshot nearest to {@code at} (default: now) as JPEG, with an {@code ETag}: a
   * client asks again cheaply ({@code If-None-Match}, 304), since a later snapshot may become the
   * nearest.
   */
  private void snapshotJpeg(
      HttpServletRequest req,
      HttpServletResponse resp,
      String cameraId,
      Map<String, String> q,
      boolean head)
      throws IOException {
    Instant at = instantParam(q, "at", heldar.clock().instant());
    Optional<java.nio.file.Path> root = heldar.snapshotsRoot();
    if (root.isEmpty()) {
      throw new BadRequest(404, "snapshots are not served: this Heldar takes none");
    }
    io.heldar.core.model.Snapshot s = heldar
        .store()
        .snapshots()
        .nearest(cameraId, at)
        .orElseThrow(() -> new BadRequest(404, "camera " + cameraId + " has no snapshot"));
    java.nio.file.Path file = snapshotFile(root.get(), s)
        .orElseThrow(() -> new BadRequest(404, "no snapshot file")); // outside: not served
    String etag = "\"" + s.takenAt().toEpochMilli() + "-" + s.sizeBytes() + "\"";
    resp.setHeader("ETag", etag);
    resp.setHeader("Cache-Control", "private, no-cache");
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setHeader("X-Heldar-Taken-At", s.takenAt().toString());
    if (etag.equals(req.getHeader("If-None-Match"))) {
      resp.setStatus(304);
      return;
    }
    byte[] bytes;
    try {
      if (java.nio.file.Files.size(file) > MAX_SNAPSHOT_BYTES) {
        throw new BadRequest(404, "snapshot too large to serve");
      }
      bytes = java.nio.file.Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new BadRequest(404, "the snapshot's file is gone: " + s.path());
    }
    resp.setStatus(200);
    resp.setContentType("image/jpeg");
    resp.setContentLength(bytes.length);
    if (!head) {
      try (OutputStream out = resp.getOutputStream()) {
        out.write(bytes);
      }
    }
  }

  /**
   * A snapshot row's file under the snapshots root; empty when its path (or a link on the way)
   * leads outside the root, which is never served.
   */
  private static Optional<java.nio.file.Path> snapshotFile(
      java.nio.file.Path root, io.heldar.core.model.Snapshot s) throws IOException {
    java.nio.file.Path base = root.toAbsolutePath().normalize();
    java.nio.file.Path file = base.resolve(s.path()).normalize();
    if (!file.startsWith(base)
        || (java.nio.file.Files.exists(file) && !file.toRealPath().startsWith(base.toRealPath()))) {
      return Optional.empty();
    }
    return Optional.of(file);
  }

  /** Thumbnails in one sprite sheet at most, and their width in pixels. */
  static final int MAX_THUMBNAILS = 100;

  static final int THUMBNAIL_WIDTH = 160;
  private static final int SPRITE_COLUMNS = 10;

  /** {@code count} instants evenly over the range, each in the middle of its share. */
  private static List<Instant> thumbnailTimes(Instant[] range, int count) {
    long span = Duration.between(range[0], range[1]).toMillis();
    List<Instant> times = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      times.add(range[0].plusMillis((long) ((i + 0.5) * span / count)));
    }
    return times;
  }

  private int thumbnailCount(Map<String, String> q) {
    long n = longParam(q, "count", 20);
    if (n < 1 || n > MAX_THUMBNAILS) {
      throw new BadRequest(400, "count must be 1.." + MAX_THUMBNAILS + ": " + n);
    }
    return (int) n;
  }

  /**
   * The sprite sheet of {@code count} thumbnails over the range: the snapshot nearest each of
   * {@code count} evenly spaced instants, {@value #THUMBNAIL_WIDTH} pixels wide, ten to a row, in
   * one JPEG (what players use for scrub previews, with {@code thumbnails.vtt}). A tile without a
   * snapshot is left dark.
   */
  private void thumbnailSprite(
      HttpServletRequest req,
      HttpServletResponse resp,
      String cameraId,
      Map<String, String> q,
      boolean head)
      throws IOException {
    Instant[] range = range(q);
    int count = thumbnailCount(q);
    java.nio.file.Path root = heldar
        .snapshotsRoot()
        .orElseThrow(() -> new BadRequest(404, "snapshots are not served: this Heldar takes none"));
    List<java.awt.image.BufferedImage> tiles = new ArrayList<>();
    int tileHeight = THUMBNAIL_WIDTH * 9 / 16;
    // A tile shows the snapshot nearest its middle if that lies within the tile's own span or the
    // next one's: a snapshot hours away would show the wrong scene; dark says "none near here".
    Duration reach = Duration.between(range[0], range[1]).dividedBy(count);
    Map<java.nio.file.Path, Optional<java.awt.image.BufferedImage>> decoded = new HashMap<>();
    for (Instant t : thumbnailTimes(range, count)) {
      Optional<io.heldar.core.model.Snapshot> s = heldar
          .store()
          .snapshots()
          .nearest(cameraId, t)
          .filter(x -> Duration.between(x.takenAt(), t).abs().compareTo(reach) <= 0);
      Optional<java.nio.file.Path> file =
          s.isPresent() ? snapshotFile(root, s.get()) : Optional.empty();
      if (file.isPresent() && !decoded.containsKey(file.get())) {
        java.awt.image.BufferedImage image = null;
        if (java.nio.file.Files.isRegularFile(file.get(), java.nio.file.LinkOption.NOFOLLOW_LINKS)
            && java.nio.file.Files.size(file.get()) <= MAX_SNAPSHOT_BYTES) {
          image = javax.imageio.ImageIO.read(file.get().toFile()); // null when not an image
        }
        decoded.put(file.get(), Optional.ofNullable(image));
      }
      tiles.add(file.flatMap(decoded::get).orElse(null));
    }
    int rows = (count + SPRITE_COLUMNS - 1) / SPRITE_COLUMNS;
    int columns = Math.min(count, SPRITE_COLUMNS);
    java.awt.image.BufferedImage sheet = new java.awt.image.BufferedImage(
        columns * THUMBNAIL_WIDTH, rows * tileHeight, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = sheet.createGraphics();
    try {
      g.setRenderingHint(
          java.awt.RenderingHints.KEY_INTERPOLATION,
          java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      for (int i = 0; i < tiles.size(); i++) {
        if (tiles.get(i) != null) {
          g.drawImage(
              tiles.get(i),
              (i % SPRITE_COLUMNS) * THUMBNAIL_WIDTH,
              (i / SPRITE_COLUMNS) * tileHeight,
              THUMBNAIL_WIDTH,
              tileHeight,
              null);
        }
      }
    } finally {
      g.dispose();
    }
    java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(sheet, "jpg", jpeg);
    resp.setHeader("Cache-Control", "private, no-cache");
    send(req, resp, 200, "image/jpeg", jpeg.toByteArray(), head);
  }

  /**
   * The WebVTT thumbnails track of the same sprite sheet: a cue per thumbnail, its times in
   * seconds from the range's start, its picture the sprite's tile ({@code #xywh=}).
   */
  private void thumbnailTrack(
      HttpServletRequest req, HttpServletResponse resp, Map<String, String> q, boolean head)
      throws IOException {
    Instant[] range = range(q);
    int count = thumbnailCount(q);
    String sprite = "thumbnails.jpg?from=" + encode(range[0].toString()) + "&to="
        + encode(range[1].toString()) + "&count=" + count;
    long span = Duration.between(range[0], range[1]).toMillis();
    int tileHeight = THUMBNAIL_WIDTH * 9 / 16;
    StringBuilder vtt = new StringBuilder("WEBVTT\n\n");
    for (int i = 0; i < count; i++) {
      vtt.append(vttTime(i * span / count))
          .append(" --> ")
          .append(vttTime((i + 1) * span / count))
          .append('\n')
          .append(sprite)
          .append("#xywh=")
          .append((i % SPRITE_COLUMNS) * THUMBNAIL_WIDTH)
          .append(',')
          .append((i / SPRITE_COLUMNS) * tileHeight)
          .append(',')
          .append(THUMBNAIL_WIDTH)
          .append(',')
          .append(tileHeight)
          .append("\n\n");
    }
    send(
        req,
        resp,
        200,
        "text/vtt; charset=utf-8",
        vtt.toString().getBytes(StandardCharsets.UTF_8),
        head);
  }

  /** {@code ms} as a WebVTT time stamp, hh:mm:ss.ttt. */
  static String vttTime(long ms) {
    return String.format(
        Locale.ROOT,
        "%02d:%02d:%02d.%03d",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000);
  }

  // ---- the page ------------------------------------------------------------------------------

  /** The page's files by path, with their types: the whole of what {@code /} serves. */
  private static final Map<String, String[]> PAGE = Map.of(
      "/", new String[] {"index.html", "text/html; charset=utf-8"},
      "/page/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
      "/page/style.css", new String[] {"style.css", "text/css; charset=utf-8"},
      "/page/icon.svg", new String[] {"icon.svg", "image/svg+xml"});

  /** The page may load only from this server, and show clips and snapshots fetched with a token. */
  static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " img-src 'self' blob:; media-src 'self' blob:; connect-src 'self'; base-uri 'none';"
      + " form-action 'none'; frame-ancestors 'none'";

  private static final Map<String, byte[]> PAGE_BYTES =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static void page(
      HttpServletRequest req, HttpServletResponse resp, String path, boolean head)
      throws IOException {
    String[] file = PAGE.get(path);
    byte[] bytes = PAGE_BYTES.computeIfAbsent(file[0], name -> {
      try (java.io.InputStream in = HeldarApiServlet.class.getResourceAsStream("page/" + name)) {
        if (in == null) {
          throw new IllegalStateException("the page's " + name + " is not in the jar");
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    resp.setHeader("Content-Security-Policy", PAGE_POLICY);
    resp.setHeader("Referrer-Policy", "no-referrer");
    send(req, resp, 200, file[1], bytes, head);
  }

  // ---- clips ---------------------------------------------------------------------------------

  /** The clip a query asks for: {@code start}, {@code end}, {@code gaps}, {@code container}. */
  private ClipRequest clipRequest(String cameraId, Map<String, String> q, String container) {
    Instant start = instantParam(q, "start", null);
    Instant end = instantParam(q, "end", null);
    if (start == null || end == null) {
      throw new BadRequest(400, "a clip needs start and end");
    }
    return clipRequest(cameraId, start, end, q, container);
  }

  private ClipRequest clipRequest(
      String cameraId, Instant start, Instant end, Map<String, String> q, String container) {
    if (!end.isAfter(start)) {
      throw new BadRequest(400, "end " + end + " is not after start " + start);
    }
    if (Duration.between(start, end).compareTo(options.maxClipLength()) > 0) {
      throw new BadRequest(
          400, "a clip covers at most " + options.maxClipLength().toHours() + " h per request");
    }
    GapPolicy gaps =
        switch (q.getOrDefault("gaps", "skip")) {
          case "skip" -> GapPolicy.SKIP;
          case "split" -> GapPolicy.SPLIT;
          case "fail" -> GapPolicy.FAIL;
          default -> throw new BadRequest(400, "gaps must be skip, split or fail");
        };
    ClipFormat format =
        switch (q.getOrDefault("container", q.getOrDefault("format", container))) {
          case "fmp4" -> ClipFormat.FRAGMENTED_MP4;
          case "mp4" -> ClipFormat.MP4;
          default -> throw new BadRequest(400, "container must be fmp4 or mp4");
        };
    return new ClipRequest(cameraId, start, end, gaps, format, false);
  }

  private Clips clips() {
    try {
      return heldar.clips();
    } catch (IllegalStateException e) {
      throw new BadRequest(404, "clips are not served: this Heldar has no recordings root");
    }
  }

  /** The manifest of a clip, signed when the options carry a key. */
  private Object manifest(ClipRequest request) {
    if (!clipSlots.tryAcquire()) {
      throw busy();
    }
    try {
      ClipManifest m = ClipManifest.of(clips().measure(request));
      if (options.clipSigningKey().isPresent()) {
        m = m.signed(options.clipSigningKey().get());
      }
      try {
        return new com.fasterxml.jackson.databind.ObjectMapper().readValue(m.json(), Map.class);
      } catch (IOException e) {
        throw new IllegalStateException("a manifest that is not JSON", e);
      }
    } finally {
      clipSlots.release();
    }
  }

  private BadRequest busy() {
    return new BadRequest(
        429, options.maxConcurrentClips() + " clip(s) are being served; " + "try again shortly");
  }

  /**
   * Streams part {@code part} of a clip as it is read, whole (200) or one byte range (206, what
   * browsers ask for to seek). The clip is sized first from its segments' tables, so the length
   * is known before the first byte. Until the first byte, a failure is an ordinary error
   * response; after it, the response is aborted (never ended as if complete), so a client never
   * takes a cut clip for a whole one. A client that goes away ends the export at its next write,
   * which frees the files and the slot.
   */
  private void streamClip(
      HttpServletRequest req, HttpServletResponse resp, ClipRequest request, int part, boolean head)
      throws IOException {
    if (part < 1) {
      throw new BadRequest(400, "part must be 1 or more");
    }
    Clips clips = clips();
    if (!clipSlots.tryAcquire()) {
      resp.setHeader("Retry-After", "2");
      throw busy();
    }
    try {
      ClipReport plan = clips.size(request);
      if (plan.parts().size() < part) {
        throw new BadRequest(
            404, "the clip has " + plan.parts().size() + " part(s), no part " + part);
      }
      long total = plan.parts().get(part - 1).bytes().orElseThrow();
      long[] range;
      try {
        range = byteRange(req.getHeader("Range"), total);
      } catch (BadRequest e) {
        resp.setHeader("Content-Range", "bytes */" + total);
        throw e;
      }
      resp.setContentType("video/mp4");
      resp.setHeader("Cache-Control", "no-store");
      resp.setHeader("X-Content-Type-Options", "nosniff");
      resp.setHeader("Accept-Ranges", "bytes");
      resp.setHeader("X-Heldar-Parts", Integer.toString(plan.parts().size()));
      resp.setHeader(
          "Content-Disposition",
          "inline; filename=\"" + request.cameraId() + "-"
              + request.from().toString().replace(':', '-') + (part > 1 ? "-" + part : "")
              + ".mp4\"");
      if (range == null) {
        resp.setStatus(200);
        range = new long[] {0, total};
      } else {
        resp.setStatus(206);
        resp.setHeader(
            "Content-Range", "bytes " + range[0] + "-" + (range[0] + range[1] - 1) + "/" + total);
      }
      resp.setContentLengthLong(range[1]);
      if (head || range[1] == 0) {
        return;
      }
      ByteRangeOutput out = new ByteRangeOutput(resp.getOutputStream(), range[0], range[1]);
      try {
        clips.stream(plan, part, out);
      } catch (ClipException e) {
        if (!ByteRangeOutput.completed(e)) {
          if (!resp.isCommitted()) {
            resp.reset();
            throw e;
          }
          log.debug("HTTP {}: clip ended early: {}", req.getRequestURI(), e.getMessage());
          throw new IOException("clip aborted after its first bytes: " + e.getMessage(), e);
        }
      }
      if (out.sent() != range[1]) {
        // A source changed between sizing and sending: the length promised is not what was made.
        throw new IOException("clip of " + request.cameraId() + " changed while it was sent");
      }
    } finally {
      clipSlots.release();
    }
  }

  /**
   * The one byte range {@code header} asks for, as {first, length}; null for the whole (no header,
   * several ranges, or not bytes).
   *
   * @throws BadRequest 416 when the range lies past the end
   */
  static long[] byteRange(String header, long total) {
    if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
      return null;
    }
    String spec = header.substring("bytes=".length()).strip();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String a = spec.substring(0, dash).strip();
      String b = spec.substring(dash + 1).strip();
      long first;
      long last;
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        first = Math.max(0, total - suffix);
        last = total - 1;
      } else {
        first = Long.parseLong(a);
        last = b.isEmpty() ? total - 1 : Math.min(Long.parseLong(b), total - 1);
      }
      if (first < 0 || first >= total || last < first) {
        throw new BadRequest(
            416, "range " + printable(spec) + " is not within the clip's " + total + " bytes");
      }
      return new long[] {first, last - first + 1};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  // ---- MediaMTX's playback API ------------------------------------------------------------------

  /**
   * MediaMTX's {@code /list}: the runs of footage of {@code path} (a camera), each with its start,
   * duration in seconds and a {@code /get} URL for it; {@code start} and {@code end} narrow it.
   */
  private List<Map<String, Object>> mediamtxList(HttpServletRequest req, Map<String, String> q) {
    String cameraId = camera(q.getOrDefault("path", ""));
    Instant from = instantParam(q, "start", null);
    Instant to = instantParam(q, "end", null);
    if (from == null) {
      from =
          heldar.store().segments().oldestFirst(Optional.of(cameraId), 1, Optional.empty()).stream()
              .findFirst()
              .map(s -> s.start())
              .orElse(null);
    }
    if (to == null) {
      to = heldar.store().segments().newest(cameraId).map(s -> s.end()).orElse(null);
    }
    if (from == null || to == null || !to.isAfter(from)) {
      throw new BadRequest(404, "no recordings found for " + cameraId);
    }
    Coverage c =
        heldar.client().timeline().coverage(cameraId, from, to, Timeline.DEFAULT_TOLERANCE);
    if (c.runs().isEmpty()) {
      throw new BadRequest(404, "no recordings found for " + cameraId);
    }
    if (c.runs().size() > options.maxTimelineItems()) {
      throw new BadRequest(
          400,
          "the range holds " + c.runs().size() + " runs, more than " + options.maxTimelineItems()
              + " in one response: narrow it with start and end");
    }
    String uri = req.getRequestURI();
    String base = req.getScheme() + "://" + req.getServerName() + ":" + req.getServerPort()
        + uri.substring(0, uri.length() - "/list".length()) + "/get";
    List<Map<String, Object>> out = new ArrayList<>();
    for (Coverage.Run r : c.runs()) {
      double seconds = r.length().toNanos() / 1e9;
      String duration =
          java.math.BigDecimal.valueOf(seconds).stripTrailingZeros().toPlainString();
      out.add(ApiJson.object(
          "start",
          r.start().toString(),
          "duration",
          seconds,
          "url",
          base + "?path=" + encode(cameraId) + "&start=" + encode(r.start().toString())
              + "&duration=" + duration));
    }
    return out;
  }

  /** MediaMTX's {@code /get}: {@code duration} seconds of {@code path} from {@code start}. */
  private void mediamtxGet(
      HttpServletRequest req, HttpServletResponse resp, Map<String, String> q, boolean head)
      throws IOException {
    String cameraId = camera(q.getOrDefault("path", ""));
    Instant start = instantParam(q, "start", null);
    if (start == null || q.getOrDefault("duration", "").isEmpty()) {
      throw new BadRequest(400, "/get needs start and duration");
    }
    Duration length = mediamtxDuration(q.get("duration"));
    Map<String, String> policy = new LinkedHashMap<>(q);
    policy.putIfAbsent("gaps", "split"); // MediaMTX stops at the first gap
    ClipRequest request = clipRequest(cameraId, start, start.plus(length), policy, "fmp4");
    streamClip(req, resp, request, 1, head);
  }

  /** Seconds ({@code 12.5}) or a Go duration ({@code 1h2m3.5s}), as MediaMTX reads it. */
  static Duration mediamtxDuration(String text) {
    try {
      double seconds = Double.parseDouble(text);
      if (!(seconds > 0) || Double.isInfinite(seconds)) {
        throw new BadRequest(400, "duration must be positive: " + printable(text));
      }
      return Duration.ofNanos(Math.round(seconds * 1e9));
    } catch (NumberFormatException e) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile(
              "(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+(?:\\.\\d+)?)s)?")
          .matcher(text);
      if (text.isEmpty() || !m.matches()) {
        throw new BadRequest(
            400,
            "duration: '" + printable(text)
                + "' is neither seconds (12.5) nor a duration (1h2m3s)");
      }
      double total = (m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 3600.0)
          + (m.group(2) == null ? 0 : Long.parseLong(m.group(2)) * 60.0)
          + (m.group(3) == null ? 0 : Double.parseDouble(m.group(3)));
      if (!(total > 0)) {
        throw new BadRequest(400, "duration must be positive: " + printable(text));
      }
      return Duration.ofNanos(Math.round(total * 1e9));
    }
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
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
