package io.heldar.core.retention.internal;

import io.heldar.core.engine.internal.Engine;
import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.retention.DiskSpace;
import io.heldar.core.retention.RetentionPolicy;
import io.heldar.core.retention.StorageForecast;
import io.heldar.core.store.LeaseStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine that computes the {@link StorageForecast} every retention interval, keeps the last
 * one (for {@code Heldar.storageForecast()}, the metrics and {@code /api/storage}), and raises
 * {@code retention_guarantee_at_risk} for a camera when its guarantee becomes at risk, and again
 * only when the date it breaks moves a day or more earlier: one warning per change, not one per
 * tick.
 */
public final class StorageForecaster implements Engine {
  private static final Logger log = LoggerFactory.getLogger(StorageForecaster.class);

  private final EngineContext context;
  private final RetentionPolicy policy;
  private final Path root;
  private final DiskSpace disk;
  private final Map<String, Instant> warned = new HashMap<>();
  private volatile StorageForecast last;

  /** Forecasts the context's cameras under {@code policy} (no limits: the fill date only). */
  public StorageForecaster(
      EngineContext context, RetentionPolicy policy, Path root, DiskSpace disk) {
    this.context = Objects.requireNonNull(context, "context");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.root = Objects.requireNonNull(root, "root");
    this.disk = Objects.requireNonNull(disk, "disk");
  }

  @Override
  public String name() {
    return "storage-forecast";
  }

  @Override
  public Duration tick() {
    try {
      forecast();
      unreadable = false;
    } catch (UncheckedIOException e) {
      // An unmounted root is the indexer's to report (and not a failure of this task, which
      // would make Heldar unhealthy): the last forecast stays, and this is said once.
      if (!unreadable) {
        log.warn("{}; the forecast waits for it", e.getMessage());
      }
      unreadable = true;
    }
    return AT_PACE;
  }

  private volatile boolean unreadable;

  /**
   * Computes the forecast now, keeps it, and raises what changed.
   *
   * @throws UncheckedIOException when the root's file system cannot be read
   */
  public synchronized StorageForecast forecast() {
    Instant now = context.clock().instant();
    StorageForecast f;
    try {
      f = StorageForecast.compute(
          context.store(),
          policy,
          context.tiers().orElseGet(() -> io.heldar.core.tier.StorageTiers.of(root)),
          disk,
          now);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "storage forecast: cannot read the size of " + root + " (" + e.getMessage() + ")", e);
    }
    last = f;
    for (StorageForecast.CameraForecast c : f.cameras()) {
      // In a cluster, the node holding the camera's files lease speaks for it: one warning.
      if (!context.assignment().owns(c.cameraId(), LeaseStore.Duty.FILES) || !c.atRisk()) {
        warned.remove(c.cameraId());
        continue;
      }
      Instant breaks = c.breaksAt().orElseThrow();
      Instant before = warned.get(c.cameraId());
      if (before != null && !breaks.isBefore(before.minus(Duration.ofDays(1)))) {
        continue;
      }
      warned.put(c.cameraId(), breaks);
      // The file system that fills first: with tiers, the one whose date this is.
      String where = f.tiers().stream()
          .filter(t -> t.fullAt().filter(breaks::equals).isPresent())
          .map(t -> t.root().toString())
          .findFirst()
          .orElse(root.toString());
      double keepsDays = c.keeps().orElseThrow().toMillis() / 86_400_000.0;
      log.warn(
          "camera {}: keeping {} days will not hold: {} fills at {} at the current rates",
          c.cameraId(),
          Math.round(keepsDays * 10) / 10.0,
          where,
          breaks);
      context
          .events()
          .publish(HeldarEvent.of(
              c.cameraId(),
              new TypedEvent.RetentionGuaranteeAtRisk(
                  keepsDays, c.holdsDays().orElse(-1), breaks, c.bytesPerDay(), where),
              now));
    }
    log.debug("storage forecast: {} fills {}", root, f.recordings().fullAt());
    return f;
  }

  /** The last forecast computed, if one was. */
  public Optional<StorageForecast> last() {
    return Optional.ofNullable(last);
  }
}
