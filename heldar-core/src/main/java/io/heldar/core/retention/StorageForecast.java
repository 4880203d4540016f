package io.heldar.core.retention;

import io.heldar.core.model.Camera;
import io.heldar.core.model.TimelineBucket;
import io.heldar.core.store.HeldarStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Whether retention's guarantees will hold, and when the recordings file system fills: per camera
 * the bytes it records a day (from the index's 15-minute roll-ups over the last {@link #WINDOW}),
 * what it holds, and what keeping its {@code maxAge} takes; for the file system, when its
 * projected use crosses the free-space floor.
 *
 * <p>The projection: each camera's footage grows at its rate until it reaches what its limits keep
 * (its age limit's worth, capped by its byte budget), then stays there; what is not Heldar's
 * footage on the file system stays as it is. The file system is <em>full</em> when that use passes
 * its total less the floor ({@code minFreeBytes}, {@code minFreePercent}). From then on the
 * floor makes retention delete the oldest footage whatever its age, so every camera with an age
 * limit is <em>at risk</em>: {@link CameraForecast#breaksAt()} is that date, {@link
 * CameraForecast#holdsDays()} how many days it would keep at steady state.
 *
 * @param at when it was computed
 * @param recordings the recordings file system
 * @param cameras per camera, in id order
 */
public record StorageForecast(Instant at, TierForecast recordings, List<CameraForecast> cameras) {
  /** The window rates are measured over: 7 days (less for cameras with less footage). */
  public static final Duration WINDOW = Duration.ofDays(7);

  /** How far ahead the forecast looks: 10 years. */
  public static final Duration HORIZON = Duration.ofDays(3650);

  private static final double DAY_MS = 86_400_000.0;

  /** Validates and freezes. */
  public StorageForecast {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(recordings, "recordings");
    cameras = List.copyOf(cameras);
  }

  /**
   * A file system holding footage.
   *
   * @param name {@code recordings}
   * @param root its root
   * @param totalBytes its size
   * @param freeBytes free for this process now
   * @param floorBytes what retention keeps free ({@code minFreeBytes}, {@code minFreePercent})
   * @param bytesPerDay all its cameras together
   * @param fullAt when its projected use passes {@code totalBytes - floorBytes}, if within {@link
   *     #HORIZON}
   */
  public record TierForecast(
      String name,
      Path root,
      long totalBytes,
      long freeBytes,
      long floorBytes,
      double bytesPerDay,
      Optional<Instant> fullAt) {
    /** Validates. */
    public TierForecast {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(root, "root");
      Objects.requireNonNull(fullAt, "fullAt");
    }

    /** Days from {@code now} until {@link #fullAt()}, if it fills. */
    public OptionalDouble daysUntilFull(Instant now) {
      return fullAt.isEmpty()
          ? OptionalDouble.empty()
          : OptionalDouble.of(
              Math.max(0, (fullAt.get().toEpochMilli() - now.toEpochMilli()) / DAY_MS));
    }
  }

  /**
   * One camera.
   *
   * @param cameraId the camera
   * @param bytesHeld what its indexed segments take now
   * @param bytesPerDay what it records a day, over the last {@link #WINDOW} (or its footage, if
   *     shorter)
   * @param keeps its age limit: the guarantee, if it has one
   * @param bytesToKeep what keeping it takes at this rate (capped by its byte budget), if it has one
   * @param atRisk the file system fills while this camera's guarantee still needs its footage
   * @param breaksAt when: the file system's {@code fullAt}
   * @param holdsDays at steady state, the days it would keep (less than {@code keeps}), when every
   *     camera on the file system has a limit
   */
  public record CameraForecast(
      String cameraId,
      long bytesHeld,
      double bytesPerDay,
      Optional<Duration> keeps,
      Optional<Long> bytesToKeep,
      boolean atRisk,
      Optional<Instant> breaksAt,
      OptionalDouble holdsDays) {
    /** Validates. */
    public CameraForecast {
      Objects.requireNonNull(cameraId, "cameraId");
      Objects.requireNonNull(keeps, "keeps");
      Objects.requireNonNull(bytesToKeep, "bytesToKeep");
      Objects.requireNonNull(breaksAt, "breaksAt");
      Objects.requireNonNull(holdsDays, "holdsDays");
    }
  }

  /**
   * The forecast of {@code store}'s cameras under {@code policy}, footage under {@code
   * recordingsRoot}, at {@code now}. Reads each camera's statistics and a week of its 15-minute
   * roll-ups (672 rows), never its segments.
   *
   * @throws IOException when the file system's size cannot be read
   */
  public static StorageForecast compute(
      HeldarStore store, RetentionPolicy policy, Path recordingsRoot, DiskSpace disk, Instant now)
      throws IOException {
    List<Rate> rates = new ArrayList<>();
    for (Camera c : store.cameras().list()) {
      long held = store.cameraStats().find(c.id()).map(s -> s.totalBytes()).orElse(0L);
      List<TimelineBucket> week = store.segments().buckets(c.id(), now.minus(WINDOW), now);
      long bytes = 0;
      Instant first = now;
      for (TimelineBucket b : week) {
        bytes += b.bytes();
        if (b.bytes() > 0 && b.start().isBefore(first)) {
          first = b.start();
        }
      }
      // Over the days the footage covers (at least an hour, so a first segment is no spike).
      double days = Math.max(Duration.between(first, now).toMillis(), 3_600_000) / DAY_MS;
      double perDay = bytes / days;
      Optional<Duration> keeps = policy.maxAgeOf(c.id());
      Optional<Long> toKeep = keeps.map(k -> (long) (perDay * k.toMillis() / DAY_MS));
      if (policy.maxBytesOf(c.id()).isPresent()) {
        long budget = policy.maxBytesOf(c.id()).getAsLong();
        toKeep = Optional.of(toKeep.map(t -> Math.min(t, budget)).orElse(budget));
      }
      rates.add(new Rate(c.id(), held, perDay, keeps, toKeep));
    }
    long total = disk.total(recordingsRoot);
    long free = disk.usable(recordingsRoot);
    long floor = Math.max(policy.minFreeBytes().orElse(0), (long)
        (policy.minFreePercent().orElse(0) / 100.0 * total));
    long heldAll = rates.stream().mapToLong(Rate::held).sum();
    long other = Math.max(0, total - free - heldAll);
    long capacity = total - floor;
    Optional<Instant> fullAt = fullAt(rates, other, capacity, now);
    double perDayAll = rates.stream().mapToDouble(Rate::perDay).sum();
    boolean allLimited = rates.stream().allMatch(r -> r.toKeep().isPresent());
    long steadyAll = rates.stream().mapToLong(r -> r.toKeep().orElse(0L)).sum();
    List<CameraForecast> cameras = new ArrayList<>();
    for (Rate r : rates) {
      boolean atRisk = fullAt.isPresent() && r.keeps().isPresent();
      OptionalDouble holds = OptionalDouble.empty();
      if (atRisk && allLimited && steadyAll > 0) {
        double share = Math.max(0, capacity - other) / (double) steadyAll;
        holds = OptionalDouble.of(Math.min(1, share) * r.keeps().get().toMillis() / DAY_MS);
      }
      cameras.add(new CameraForecast(
          r.id(),
          r.held(),
          r.perDay(),
          r.keeps(),
          r.toKeep(),
          atRisk,
          atRisk ? fullAt : Optional.empty(),
          holds));
    }
    return new StorageForecast(
        now,
        new TierForecast("recordings", recordingsRoot, total, free, floor, perDayAll, fullAt),
        cameras);
  }

  private record Rate(
      String id, long held, double perDay, Optional<Duration> keeps, Optional<Long> toKeep) {
    /** Bytes of footage {@code days} from now: growing at its rate, up to what its limits keep. */
    double after(double days) {
      double grown = held + perDay * days;
      return toKeep.isPresent() ? Math.min(grown, Math.max(toKeep.get(), 0)) : grown;
    }
  }

  /** The first instant the projected use passes {@code capacity}, within the horizon. */
  private static Optional<Instant> fullAt(
      List<Rate> rates, long other, long capacity, Instant now) {
    double horizon = HORIZON.toMillis() / DAY_MS;
    if (use(rates, other, 0) > capacity) {
      return Optional.of(now);
    }
    if (use(rates, other, horizon) <= capacity) {
      return Optional.empty();
    }
    double lo = 0;
    double hi = horizon;
    while (hi - lo > 1.0 / 1440) { // to the minute; use(t) never decreases
      double mid = (lo + hi) / 2;
      if (use(rates, other, mid) > capacity) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return Optional.of(now.plusMillis((long) (hi * DAY_MS)));
  }

  private static double use(List<Rate> rates, long other, double days) {
    double sum = other;
    for (Rate r : rates) {
      sum += r.after(days);
    }
    return sum;
  }
}
