package io.heldar.http;

import io.heldar.core.metrics.CameraMetrics;
import io.heldar.core.metrics.CameraStatus;
import io.heldar.core.metrics.HeldarMetrics;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * {@link HeldarMetrics} in the Prometheus text exposition format, version 0.0.4 (served as {@code
 * text/plain; version=0.0.4}). Counters end in {@code _total}; every family is declared ({@code #
 * HELP}, {@code # TYPE}) before its samples; label values are escaped. The families are listed in
 * docs/operations.md.
 */
public final class PrometheusText {
  /** The content type of the text this writes. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder out = new StringBuilder();

  private PrometheusText() {}

  /** The whole exposition of {@code m}. */
  public static String write(HeldarMetrics m) {
    PrometheusText p = new PrometheusText();
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
    p.cameraCounter(
        m, "heldar_segments_indexed_total", "Segments indexed.", CameraMetrics::segmentsIndexed);
    p.cameraCounter(
        m,
        "heldar_segments_unreadable_total",
        "Files found unreadable.",
        CameraMetrics::unreadable);
    p.cameraCounter(
        m, "heldar_snapshots_taken_total", "Snapshots committed.", CameraMetrics::snapshotsTaken);
    p.cameraCounter(
        m,
        "heldar_snapshots_failed_total",
        "Snapshot slots whose capture failed.",
        CameraMetrics::snapshotsFailed);
    p.cameraCounter(
        m,
        "heldar_snapshots_missed_total",
        "Snapshot slots passed without a capture.",
        CameraMetrics::snapshotsMissed);
    p.cameraCounter(
        m,
        "heldar_captures_not_started_total",
        "Snapshot slots failed because every capture thread was busy (Heldar saturated).",
        CameraMetrics::capturesNotStarted);
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
    return p.out.toString();
  }

  private void cameraCounter(
      HeldarMetrics m, String name, String help, ToLongFunction<CameraMetrics> value) {
    family(name, "counter", help);
    m.cameras()
        .values()
        .forEach(c -> sample(name, Map.of("camera", c.cameraId()), value.applyAsLong(c)));
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private void family(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private void sample(String name, Map<String, String> labels, double value) {
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{');
      String sep = "";
      for (Map.Entry<String, String> l : new TreeMap<>(labels).entrySet()) {
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
}
