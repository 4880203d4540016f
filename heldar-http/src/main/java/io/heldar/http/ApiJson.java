package io.heldar.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.heldar.core.event.StoredEvent;
import io.heldar.core.model.Camera;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.model.Segment;
import io.heldar.core.snapshot.SnapshotSources;
import io.heldar.core.timeline.Coverage;
import io.heldar.core.timeline.DaySummary;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON shapes of the HTTP API and of the CLI's {@code --format json}, in one place so both
 * write a row the same way. Keys are the {@code snake_case} column names of the tables (see
 * docs/schema.md) in a fixed order; instants are ISO-8601 UTC strings, durations seconds (numbers),
 * absent values {@code null} (never missing keys).
 */
public final class ApiJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final com.fasterxml.jackson.databind.ObjectWriter INDENTED =
      MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT);

  private ApiJson() {}

  /**
   * {@code value} (maps, lists, strings, numbers, booleans, null) as indented JSON text, for
   * people (the CLI's {@code --format json}).
   */
  public static String write(Object value) {
    try {
      return INDENTED.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** {@code value} as compact JSON UTF-8 bytes, for the wire (the HTTP API). */
  public static byte[] compact(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /**
   * An ordered map from alternating keys and values; {@link Instant}s become ISO-8601 strings,
   * {@link Duration}s seconds, empty {@link Optional}s {@code null}.
   */
  public static Map<String, Object> object(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values come in pairs");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      Object v = keysAndValues[i + 1];
      m.put(
          (String) keysAndValues[i],
          v instanceof Optional<?> o ? o.map(ApiJson::plain).orElse(null) : plain(v));
    }
    return m;
  }

  private static Object plain(Object v) {
    if (v instanceof Instant t) {
      return t.toString();
    }
    if (v instanceof Duration d) {
      return d.toMillis() / 1000.0;
    }
    return v;
  }

  /** A camera row; its source URL with any password redacted. */
  public static Map<String, Object> camera(Camera c) {
    return object(
        "id",
        c.id(),
        "name",
        c.name(),
        "source_url",
        c.sourceUrl().map(SnapshotSources::redact),
        "recorder_name",
        c.recorderName(),
        "edge_url",
        c.edgeUrl().map(SnapshotSources::redact),
        "created_at",
        c.createdAt());
  }

  /** A timeline's coverage: the range, recorded seconds, runs and open gaps. */
  public static Map<String, Object> coverage(Coverage c) {
    return object(
        "camera",
        c.cameraId(),
        "from",
        c.from(),
        "to",
        c.to(),
        "recorded_seconds",
        c.recorded().toMillis() / 1000.0,
        "runs",
        c.runs().stream()
            .map(r -> object("start", r.start(), "end", r.end(), "segments", r.segments()))
            .toList(),
        "gaps",
        c.gaps().stream().map(ApiJson::gap).toList());
  }

  /** One local day's summary. */
  public static Map<String, Object> day(DaySummary d) {
    return object(
        "date",
        d.date().toString(),
        "hours",
        d.length().toMinutes() / 60.0,
        "recorded_seconds",
        d.recorded().toMillis() / 1000.0,
        "gaps",
        d.gaps(),
        "gap_seconds",
        d.gapTime().toMillis() / 1000.0,
        "segments",
        d.segments(),
        "bytes",
        d.bytes(),
        "snapshots",
        d.snapshots());
  }

  /** A recording gap row. */
  public static Map<String, Object> gap(RecordingGap g) {
    return object(
        "id",
        g.id(),
        "camera_id",
        g.cameraId(),
        "start_time",
        g.start(),
        "end_time",
        g.end(),
        "gap_seconds",
        g.gapSeconds(),
        "status",
        g.status().name().toLowerCase(Locale.ROOT),
        "cause",
        g.cause().dbValue());
  }

  /** An indexed segment. */
  public static Map<String, Object> segment(Segment s) {
    return object(
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

  /**
   * The storage forecast: the recordings file system (sizes, the floor retention keeps free, bytes
   * a day, when it fills) and per camera its rate and whether its guarantee holds.
   */
  public static Map<String, Object> storage(io.heldar.core.retention.StorageForecast f) {
    List<Map<String, Object>> cameras = new java.util.ArrayList<>();
    for (io.heldar.core.retention.StorageForecast.CameraForecast c : f.cameras()) {
      cameras.add(object(
          "camera",
          c.cameraId(),
          "bytes_held",
          c.bytesHeld(),
          "bytes_per_day",
          Math.round(c.bytesPerDay()),
          "keeps_days",
          c.keeps().map(k -> k.toMillis() / 86_400_000.0),
          "bytes_to_keep",
          c.bytesToKeep(),
          "at_risk",
          c.atRisk(),
          "breaks_at",
          c.breaksAt(),
          "holds_days",
          c.holdsDays().isPresent() ? Math.round(c.holdsDays().getAsDouble() * 10) / 10.0 : null));
    }
    return object(
        "computed_at",
        f.at(),
        "tiers",
        f.tiers().stream()
            .map(t -> object(
                "name",
                t.name(),
                "root",
                t.root().toString(),
                "total_bytes",
                t.totalBytes(),
                "free_bytes",
                t.freeBytes(),
                "floor_bytes",
                t.floorBytes(),
                "bytes_per_day",
                Math.round(t.bytesPerDay()),
                "full_at",
                t.fullAt(),
                "days_until_full",
                t.daysUntilFull(f.at()).isPresent()
                    ? Math.round(t.daysUntilFull(f.at()).getAsDouble() * 10) / 10.0
                    : null))
            .toList(),
        "cameras",
        cameras);
  }

  /** A stored event with its cursor id. */
  public static Map<String, Object> event(StoredEvent e) {
    return object(
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
        e.event().createdAt());
  }
}
