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

  /**
   * What {@code /metrics} serves: {@code heldar}'s figures ({@link #write(HeldarMetrics)}), {@code
   * heldar_build_info}, the free and total bytes of the file systems of its recordings and
   * snapshots roots, and the standard {@code process_*} and {@code jvm_*} families of the Java
   * process (the names of Prometheus's own Java client, so its dashboards work).
   */
  public static String write(io.heldar.core.Heldar heldar) {
    PrometheusText p = new PrometheusText();
    io.heldar.core.metrics.HeldarMetrics metrics = heldar.metrics();
    p.heldar(metrics);
    p.family("heldar_build_info", "gauge", "1, labelled with this Heldar's version and Java's.");
    p.sample(
        "heldar_build_info",
        Map.of(
            "version",
            io.heldar.core.HeldarVersion.current(),
            "java",
            System.getProperty("java.version", "unknown")),
        1);
    Map<String, java.nio.file.Path> roots = new TreeMap<>();
    heldar.recordingsRoot().ifPresent(r -> roots.put("recordings", r));
    heldar.snapshotsRoot().ifPresent(r -> roots.put("snapshots", r));
    heldar.storageTiers().ifPresent(t -> t.all()
        .subList(1, t.all().size())
        .forEach(tier -> roots.put(tier.name(), tier.root())));
    p.family(
        "heldar_filesystem_free_bytes",
        "gauge",
        "Bytes a non-root user may still write on the file system of a root.");
    Map<String, long[]> space = new TreeMap<>();
    roots.forEach((name, path) -> {
      try {
        java.nio.file.FileStore store = java.nio.file.Files.getFileStore(path);
        space.put(name, new long[] {store.getUsableSpace(), store.getTotalSpace()});
      } catch (java.io.IOException | SecurityException e) {
        // an unmounted root has no sample: its absence is what an alert on it sees
      }
    });
    space.forEach((name, v) -> p.sample(
        "heldar_filesystem_free_bytes",
        Map.of("root", name, "path", roots.get(name).toString()),
        v[0]));
    p.family("heldar_filesystem_size_bytes", "gauge", "Size of the file system of a root.");
    space.forEach((name, v) -> p.sample(
        "heldar_filesystem_size_bytes",
        Map.of("root", name, "path", roots.get(name).toString()),
        v[1]));
    heldar.storageForecast().ifPresent(p::forecast);
    heldar
        .storageTiers()
        .filter(io.heldar.core.tier.StorageTiers::hasFurtherTiers)
        .ifPresent(t -> {
          p.family(
              "heldar_storage_tier_unavailable",
              "gauge",
              "1 while the last round of tier moves could not use the tier (moves to it wait).");
          Map<String, String> down = metrics.retention().unavailableTiers();
          t.all()
              .forEach(tier -> p.sample(
                  "heldar_storage_tier_unavailable",
                  Map.of("tier", tier.name()),
                  down.containsKey(tier.name()) ? 1 : 0));
        });
    p.jvm();
    return p.out.toString();
  }

  /** The last storage forecast (kept in memory: a scrape runs no SQL). */
  private void forecast(io.heldar.core.retention.StorageForecast f) {
    family("heldar_storage_bytes_per_day", "gauge", "Bytes a camera records a day (last 7 days).");
    f.cameras()
        .forEach(c -> sample(
            "heldar_storage_bytes_per_day",
            Map.of("camera", c.cameraId()),
            Math.round(c.bytesPerDay())));
    family(
        "heldar_retention_guarantee_at_risk",
        "gauge",
        "1 when the file system fills before the camera's age limit is reached.");
    f.cameras().stream()
        .filter(c -> c.keeps().isPresent())
        .forEach(c -> sample(
            "heldar_retention_guarantee_at_risk",
            Map.of("camera", c.cameraId()),
            c.atRisk() ? 1 : 0));
    family(
        "heldar_storage_days_until_full",
        "gauge",
        "Days until the file system reaches retention's free-space floor at the current rates"
            + " (absent: not within 10 years).");
    f.tiers().forEach(t -> t.daysUntilFull(f.at())
        .ifPresent(d -> sample(
            "heldar_storage_days_until_full",
            Map.of("root", t.name()),
            Math.round(d * 100) / 100.0)));
  }

  /** The exposition of {@code m} alone. */
  public static String write(HeldarMetrics m) {
    PrometheusText p = new PrometheusText();
    p.heldar(m);
    return p.out.toString();
  }

  private void heldar(HeldarMetrics m) {
    PrometheusText p = this;
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
    p.family(
        "heldar_tier_moved_segments_total", "counter", "Segments moved to the next storage tier.");
    p.sample("heldar_tier_moved_segments_total", Map.of(), m.retention().segmentsMoved());
    p.family("heldar_tier_moved_bytes_total", "counter", "Bytes moved to the next storage tier.");
    p.sample("heldar_tier_moved_bytes_total", Map.of(), m.retention().bytesMoved());
    p.family(
        "heldar_tier_move_failures_total",
        "counter",
        "Tier moves that failed (the segment stayed where it was).");
    p.sample("heldar_tier_move_failures_total", Map.of(), m.retention().moveFailures());
  }

  /** The Java process: CPU, start time, file descriptors, memory, threads, garbage collection. */
  private void jvm() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    java.lang.management.RuntimeMXBean runtime =
        java.lang.management.ManagementFactory.getRuntimeMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      family("process_cpu_seconds_total", "counter", "CPU time of the process, user and system.");
      sample("process_cpu_seconds_total", Map.of(), sun.getProcessCpuTime() / 1e9);
    }
    family("process_start_time_seconds", "gauge", "Start of the process since the Unix epoch.");
    sample("process_start_time_seconds", Map.of(), runtime.getStartTime() / 1e3);
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      family("process_open_fds", "gauge", "Open file descriptors.");
      sample("process_open_fds", Map.of(), unix.getOpenFileDescriptorCount());
      family("process_max_fds", "gauge", "The most file descriptors the process may open.");
      sample("process_max_fds", Map.of(), unix.getMaxFileDescriptorCount());
    }
    long[] statm = residentAndVirtual();
    if (statm != null) {
      family("process_resident_memory_bytes", "gauge", "Resident memory of the process.");
      sample("process_resident_memory_bytes", Map.of(), statm[0]);
      family("process_virtual_memory_bytes", "gauge", "Virtual memory of the process.");
      sample("process_virtual_memory_bytes", Map.of(), statm[1]);
    }
    java.lang.management.MemoryMXBean memory =
        java.lang.management.ManagementFactory.getMemoryMXBean();
    family("jvm_memory_bytes_used", "gauge", "Memory used, by area.");
    sample(
        "jvm_memory_bytes_used",
        Map.of("area", "heap"),
        memory.getHeapMemoryUsage().getUsed());
    sample(
        "jvm_memory_bytes_used",
        Map.of("area", "nonheap"),
        memory.getNonHeapMemoryUsage().getUsed());
    family("jvm_memory_bytes_max", "gauge", "The most memory of an area (-1: no limit).");
    sample(
        "jvm_memory_bytes_max",
        Map.of("area", "heap"),
        memory.getHeapMemoryUsage().getMax());
    sample(
        "jvm_memory_bytes_max",
        Map.of("area", "nonheap"),
        memory.getNonHeapMemoryUsage().getMax());
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    family("jvm_threads_current", "gauge", "Live threads.");
    sample("jvm_threads_current", Map.of(), threads.getThreadCount());
    family("jvm_threads_daemon", "gauge", "Live daemon threads.");
    sample("jvm_threads_daemon", Map.of(), threads.getDaemonThreadCount());
    family("jvm_gc_collection_seconds", "summary", "Time spent in each garbage collector.");
    for (java.lang.management.GarbageCollectorMXBean gc :
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      sample(
          "jvm_gc_collection_seconds_count", Map.of("gc", gc.getName()), gc.getCollectionCount());
      sample(
          "jvm_gc_collection_seconds_sum",
          Map.of("gc", gc.getName()),
          gc.getCollectionTime() / 1e3);
    }
    family("jvm_info", "gauge", "1, labelled with the Java runtime.");
    sample(
        "jvm_info",
        Map.of(
            "runtime", String.valueOf(runtime.getVmName()),
            "vendor", String.valueOf(runtime.getVmVendor()),
            "version", String.valueOf(System.getProperty("java.runtime.version"))),
        1);
  }

  /** Resident and virtual bytes from {@code /proc/self/statm} (Linux), else null. */
  private static long[] residentAndVirtual() {
    java.nio.file.Path statm = java.nio.file.Path.of("/proc/self/statm");
    try {
      String[] f = java.nio.file.Files.readString(statm).trim().split("\\s+");
      long page = 4096;
      return new long[] {Long.parseLong(f[1]) * page, Long.parseLong(f[0]) * page};
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
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
