package io.heldar.spring.boot;

import io.heldar.core.Heldar;
import io.heldar.core.metrics.CameraMetrics;
import io.heldar.core.metrics.CameraStatus;
import io.heldar.core.metrics.HeldarMetrics;
import io.heldar.core.runtime.TaskHealth;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heldar's figures as Micrometer meters, named so that a Prometheus registry writes the same
 * families as Heldar's own {@code /metrics} ({@code heldar_segments_indexed_total{camera=…}},
 * {@code heldar_open_gaps}, {@code heldar_footage_age_seconds}, {@code heldar_camera_status}, the
 * tasks' and retention's counters). Cameras added at run time get their meters, and removed
 * cameras lose them, at the next refresh ({@code heldar.metrics.refresh}, 10 s), on a daemon
 * thread of its own that {@link #close()} stops. Meters read one copy of {@link Heldar#metrics()}
 * taken at most once a second, so a scrape of many cameras costs one copy, not one per meter.
 */
public final class HeldarMeterBinder implements MeterBinder, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HeldarMeterBinder.class);
  private static final long COPY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Heldar heldar;
  private final Duration refresh;
  private final Map<String, List<Meter>> cameraMeters = new HashMap<>();
  private final Map<MeterRegistry, Set<String>> tasks = new java.util.IdentityHashMap<>();
  private final List<MeterRegistry> registries = new ArrayList<>();
  private ScheduledExecutorService refresher;
  private volatile HeldarMetrics copy;
  private volatile long copiedAt;

  /** Meters of {@code heldar}, refreshed every {@code refresh}. */
  public HeldarMeterBinder(Heldar heldar, Duration refresh) {
    this.heldar = Objects.requireNonNull(heldar, "heldar");
    if (refresh.isNegative() || refresh.isZero()) {
      throw new IllegalArgumentException("heldar.metrics.refresh must be positive: " + refresh);
    }
    this.refresh = refresh;
  }

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    registries.add(registry);
    retention(registry);
    Gauge.builder("heldar.build.info", () -> 1)
        .description("1, labelled with this Heldar's version and Java's.")
        .tag("version", io.heldar.core.HeldarVersion.current())
        .tag("java", System.getProperty("java.version", "unknown"))
        .register(registry);
    List<String> tierNames = heldar
        .storageTiers()
        .filter(io.heldar.core.tier.StorageTiers::hasFurtherTiers)
        .map(t -> t.all().stream().map(io.heldar.core.tier.StorageTier::name).toList())
        .orElse(List.of("recordings"));
    for (String tier : tierNames) {
      Gauge.builder("heldar.storage.days.until.full", heldar, h -> h.storageForecast()
              .flatMap(f -> f.tiers().stream()
                  .filter(t -> t.name().equals(tier))
                  .findFirst()
                  .flatMap(t -> {
                    java.util.OptionalDouble d = t.daysUntilFull(f.at());
                    return d.isPresent()
                        ? Optional.of(Math.round(d.getAsDouble() * 100) / 100.0)
                        : Optional.empty();
                  }))
              .orElse(Double.NaN))
          .description("Days until the file system reaches retention's free-space floor at the"
              + " current rates (NaN: not within 10 years).")
          .tag("root", tier)
          .register(registry);
      if (tierNames.size() > 1) {
        Gauge.builder(
                "heldar.storage.tier.unavailable",
                heldar,
                h -> h.metrics().retention().unavailableTiers().containsKey(tier) ? 1 : 0)
            .description(
                "1 while the last round of tier moves could not use the tier (moves to it wait).")
            .tag("tier", tier)
            .register(registry);
      }
    }
    Map<String, java.nio.file.Path> roots = new java.util.TreeMap<>();
    heldar.recordingsRoot().ifPresent(r -> roots.put("recordings", r));
    heldar.snapshotsRoot().ifPresent(r -> roots.put("snapshots", r));
    heldar.storageTiers().ifPresent(t -> t.all()
        .subList(1, t.all().size())
        .forEach(tier -> roots.put(tier.name(), tier.root())));
    roots.forEach((name, path) -> {
      Gauge.builder("heldar.filesystem.free", path, HeldarMeterBinder::usable)
          .description("Bytes a non-root user may still write on the file system of a root.")
          .baseUnit("bytes")
          .tag("root", name)
          .tag("path", path.toString())
          .register(registry);
      Gauge.builder("heldar.filesystem.size", path, HeldarMeterBinder::total)
          .description("Size of the file system of a root.")
          .baseUnit("bytes")
          .tag("root", name)
          .tag("path", path.toString())
          .register(registry);
    });
    refresh();
    if (refresher == null) {
      refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heldar-meters");
        t.setDaemon(true);
        return t;
      });
      refresher.scheduleWithFixedDelay(
          this::refreshQuietly, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Adds the meters of cameras and tasks that appeared, removes those of cameras that went. */
  public synchronized void refresh() {
    HeldarMetrics m = copy(true);
    for (MeterRegistry registry : registries) {
      for (TaskHealth t : m.tasks()) {
        if (tasks.computeIfAbsent(registry, x -> new HashSet<>()).add(t.name())) {
          task(registry, t.name());
        }
      }
    }
    Set<String> gone = new HashSet<>(cameraMeters.keySet());
    gone.removeAll(m.cameras().keySet());
    for (String id : gone) {
      for (Meter meter : cameraMeters.remove(id)) {
        registries.forEach(r -> r.remove(meter));
      }
    }
    for (String id : m.cameras().keySet()) {
      if (!cameraMeters.containsKey(id)) {
        List<Meter> meters = new ArrayList<>();
        registries.forEach(r -> meters.addAll(camera(r, id)));
        cameraMeters.put(id, meters);
      }
    }
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      log.warn("refreshing Heldar's meters failed; trying again in {}", refresh, e);
    }
  }

  /** Stops the refresh thread; the meters stay registered. */
  @Override
  public synchronized void close() {
    if (refresher != null) {
      refresher.shutdownNow();
      try {
        refresher.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      refresher = null;
    }
  }

  private static double usable(java.nio.file.Path root) {
    return space(root, java.nio.file.FileStore::getUsableSpace);
  }

  private static double total(java.nio.file.Path root) {
    return space(root, java.nio.file.FileStore::getTotalSpace);
  }

  /** A figure of the file system {@code root} is on; NaN while it cannot be reached. */
  private static double space(java.nio.file.Path root, FileStoreFigure figure) {
    try {
      return figure.of(java.nio.file.Files.getFileStore(root));
    } catch (java.io.IOException | SecurityException e) {
      return Double.NaN;
    }
  }

  @FunctionalInterface
  private interface FileStoreFigure {
    long of(java.nio.file.FileStore store) throws java.io.IOException;
  }

  private HeldarMetrics copy(boolean fresh) {
    HeldarMetrics c = copy;
    long now = System.nanoTime();
    if (fresh || c == null || now - copiedAt > COPY_NANOS) {
      c = heldar.metrics();
      copy = c;
      copiedAt = now;
    }
    return c;
  }

  private double camera(String id, ToDoubleFunction<CameraMetrics> value) {
    return copy(false).camera(id).map(value::applyAsDouble).orElse(Double.NaN);
  }

  private static double seconds(Optional<Duration> d) {
    return d.map(x -> x.toNanos() / 1e9).orElse(Double.NaN);
  }

  private List<Meter> camera(MeterRegistry r, String id) {
    List<Meter> meters = new ArrayList<>();
    counter(
        meters, r, id, "heldar.segments.indexed", "Segments indexed.", c -> c.segmentsIndexed());
    counter(
        meters,
        r,
        id,
        "heldar.segments.unreadable",
        "Files found unreadable.",
        c -> c.unreadable());
    counter(
        meters, r, id, "heldar.snapshots.taken", "Snapshots committed.", c -> c.snapshotsTaken());
    counter(
        meters,
        r,
        id,
        "heldar.snapshots.failed",
        "Snapshot slots whose capture failed.",
        c -> c.snapshotsFailed());
    counter(
        meters,
        r,
        id,
        "heldar.snapshots.missed",
        "Snapshot slots passed without a capture.",
        c -> c.snapshotsMissed());
    counter(
        meters,
        r,
        id,
        "heldar.captures.not.started",
        "Snapshot slots failed because every capture thread was busy (Heldar saturated).",
        c -> c.capturesNotStarted());
    meters.add(Gauge.builder("heldar.open.gaps", this, b -> b.camera(id, c -> c.openGaps()))
        .description("Open recording gaps per camera.")
        .tag("camera", id)
        .register(r));
    meters.add(TimeGauge.builder(
            "heldar.footage.age",
            this,
            TimeUnit.SECONDS,
            b -> b.camera(id, c -> seconds(c.footageAge())))
        .description("Now minus the end of the newest indexed footage.")
        .tag("camera", id)
        .register(r));
    meters.add(TimeGauge.builder(
            "heldar.capture.latency",
            this,
            TimeUnit.SECONDS,
            b -> b.camera(id, c -> seconds(c.lastCaptureLatency())))
        .description("From the last taken slot to its row committed.")
        .tag("camera", id)
        .register(r));
    meters.add(Gauge.builder("heldar.storage.bytes.per.day", this, b -> b.forecast(id)
            .map(f -> (double) Math.round(f.bytesPerDay()))
            .orElse(Double.NaN))
        .description("Bytes a camera records a day (last 7 days).")
        .tag("camera", id)
        .register(r));
    meters.add(Gauge.builder("heldar.retention.guarantee.at.risk", this, b -> b.forecast(id)
            .filter(f -> f.keeps().isPresent())
            .map(f -> f.atRisk() ? 1.0 : 0.0)
            .orElse(Double.NaN))
        .description("1 when the file system fills before the camera's age limit is reached.")
        .tag("camera", id)
        .register(r));
    for (CameraStatus.State s : CameraStatus.State.values()) {
      meters.add(Gauge.builder(
              "heldar.camera.status", this, b -> b.camera(id, c -> c.status().state() == s ? 1 : 0))
          .description("1 for the camera's current status.")
          .tag("camera", id)
          .tag("status", s.name().toLowerCase(Locale.ROOT))
          .register(r));
    }
    return meters;
  }

  private void counter(
      List<Meter> meters,
      MeterRegistry r,
      String id,
      String name,
      String help,
      ToDoubleFunction<CameraMetrics> value) {
    meters.add(FunctionCounter.builder(name, this, b -> {
          double v = b.camera(id, value);
          return Double.isNaN(v) ? 0 : v;
        })
        .description(help)
        .tag("camera", id)
        .register(r));
  }

  private Optional<io.heldar.core.retention.StorageForecast.CameraForecast> forecast(String id) {
    return heldar
        .storageForecast()
        .flatMap(f -> f.cameras().stream().filter(c -> c.cameraId().equals(id)).findFirst());
  }

  private double task(String name, ToDoubleFunction<TaskHealth> value) {
    return copy(false).tasks().stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .map(value::applyAsDouble)
        .orElse(Double.NaN);
  }

  private void task(MeterRegistry r, String name) {
    FunctionCounter.builder("heldar.task.runs", this, b -> b.task(name, t -> t.runs()))
        .description("Ticks started per supervised task.")
        .tag("task", name)
        .register(r);
    FunctionCounter.builder("heldar.task.failures", this, b -> b.task(name, t -> t.failures()))
        .description("Ticks that threw per supervised task.")
        .tag("task", name)
        .register(r);
    Gauge.builder(
            "heldar.task.consecutive.failures",
            this,
            b -> b.task(name, t -> t.consecutiveFailures()))
        .description("Failures since the task's last success.")
        .tag("task", name)
        .register(r);
    TimeGauge.builder(
            "heldar.task.last.duration",
            this,
            TimeUnit.SECONDS,
            b -> b.task(name, t -> seconds(t.lastDuration())))
        .description("How long the latest tick took.")
        .tag("task", name)
        .register(r);
  }

  private void retention(MeterRegistry r) {
    FunctionCounter.builder(
            "heldar.retention.sweeps", this, b -> b.copy(false).retention().sweeps())
        .description("Retention sweeps run.")
        .register(r);
    FunctionCounter.builder("heldar.retention.deleted.files", this, b -> b.copy(false)
            .retention()
            .segmentsDeleted())
        .description("Files retention deleted.")
        .tag("kind", "segment")
        .register(r);
    FunctionCounter.builder("heldar.retention.deleted.files", this, b -> b.copy(false)
            .retention()
            .snapshotsDeleted())
        .description("Files retention deleted.")
        .tag("kind", "snapshot")
        .register(r);
    FunctionCounter.builder(
            "heldar.retention.freed.bytes", this, b -> b.copy(false).retention().bytesFreed())
        .description("Bytes retention freed.")
        .register(r);
    FunctionCounter.builder(
            "heldar.retention.refusals", this, b -> b.copy(false).retention().refusals())
        .description("Cameras a sweep refused to touch.")
        .register(r);
    FunctionCounter.builder(
            "heldar.events.pruned", this, b -> b.copy(false).retention().eventsPruned())
        .description("Events deleted for their age.")
        .register(r);
    FunctionCounter.builder(
            "heldar.tier.moved.segments", this, b -> b.copy(false).retention().segmentsMoved())
        .description("Segments moved to the next storage tier.")
        .register(r);
    FunctionCounter.builder(
            "heldar.tier.moved.bytes", this, b -> b.copy(false).retention().bytesMoved())
        .description("Bytes moved to the next storage tier.")
        .register(r);
    FunctionCounter.builder(
            "heldar.tier.move.failures", this, b -> b.copy(false).retention().moveFailures())
        .description("Tier moves that failed (the segment stayed where it was).")
        .register(r);
  }
}
