package io.heldar.core.retention;

import io.heldar.core.model.Camera;
import io.heldar.core.model.TimelineBucket;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.tier.StorageTier;
import io.heldar.core.tier.StorageTiers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

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
 * <p>With {@linkplain StorageTiers storage tiers}, each tier is projected the same way with what
 * stays on it: on a tier footage moves on from, its move age's worth (capped by its byte budget);
 * on the last, the rest of the age limit. A tier with a free-space move rule does not fill (moves
 * keep it above its floor, as long as the next tier takes them). A camera is at risk when the last
 * tier, or a tier footage cannot move on from by free space, fills while its guarantee still needs
 * its footage.
 *
 * @param at when it was computed
 * @param recordings the recordings file system (the first tier)
 * @param tiers every tier, the first one ({@code recordings}) included, in order
 * @param cameras per camera, in id order
 */
public record StorageForecast(
    Instant at, TierForecast recordings, List<TierForecast> tiers, List<CameraForecast> cameras) {
  /** The window rates are measured over: 7 days (less for cameras with less footage). */
  public static final Duration WINDOW = Duration.ofDays(7);

  /** How far ahead the forecast looks: 10 years. */
  public static final Duration HORIZON = Duration.ofDays(3650);

  private static final double DAY_MS = 86_400_000.0;

  /** Validates and freezes. */
  public StorageForecast {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(recordings, "recordings");
    tiers = List.copyOf(tiers);
    cameras = List.copyOf(cameras);
  }

  /** A forecast of the recordings file system alone (one tier). */
  public StorageForecast(Instant at, TierForecast recordings, List<CameraForecast> cameras) {
    this(at, recordings, List.of(recordings), cameras);
  }

  /**
   * A file system holding footage.
   *
   * @param name {@code recordings} for the recordings root alone; with tiers, the tier's name
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
    return compute(store, policy, StorageTiers.of(recordingsRoot), disk, now);
  }

  /**
   * The forecast of {@code store}'s cameras under {@code policy} on {@code tiers}, at {@code now}.
   * Reads each camera's statistics, bytes per tier and a week of its 15-minute roll-ups, never its
   * segments.
   *
   * @throws IOException when a tier's file system size cannot be read
   */
  public static StorageForecast compute(
      HeldarStore store, RetentionPolicy policy, StorageTiers tiers, DiskSpace disk, Instant now)
      throws IOException {
    List<Camera> cams = store.cameras().list();
    Map<String, Double> perDay = new HashMap<>();
    Map<String, Long> heldAll = new HashMap<>();
    for (Camera c : cams) {
      heldAll.put(
          c.id(), store.cameraStats().find(c.id()).map(s -> s.totalBytes()).orElse(0L));
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
      perDay.put(c.id(), bytes / days);
    }
    long retentionFloorBytes = policy.minFreeBytes().orElse(0);
    double retentionFloorPercent = policy.minFreePercent().orElse(0);
    List<StorageTier> all = tiers.all();
    boolean single = all.size() == 1;
    List<TierForecast> out = new ArrayList<>();
    // Per tier, per camera: what stays there (the rates of that tier's projection).
    List<List<Rate>> perTier = new ArrayList<>();
    List<Long> capacities = new ArrayList<>();
    List<Long> others = new ArrayList<>();
    Map<String, Map<Optional<String>, Long>> byTier = new HashMap<>();
    for (int k = 0; k < all.size(); k++) {
      StorageTier tier = all.get(k);
      boolean last = k == all.size() - 1;
      List<Rate> rates = new ArrayList<>();
      for (Camera c : cams) {
        String id = c.id();
        double rate = perDay.get(id);
        long held;
        if (single) {
          held = heldAll.get(id);
        } else {
          held = byTier
              .computeIfAbsent(id, store.segments()::bytesByTier)
              .getOrDefault(tiers.stored(tier), 0L);
        }
        Optional<Duration> age;
        OptionalLong budget;
        if (last) {
          Duration before = timeBefore(all, k, id);
          age = policy
              .maxAgeOf(id)
              .map(kp -> kp.compareTo(before) > 0 ? kp.minus(before) : Duration.ZERO);
          budget = policy.maxBytesOf(id);
        } else {
          age = tier.moveAfterOf(id);
          budget = tier.maxBytesOf(id);
        }
        Optional<Long> toKeep = age.map(a -> (long) (rate * a.toMillis() / DAY_MS));
        if (budget.isPresent()) {
          long cap = budget.getAsLong();
          toKeep = Optional.of(toKeep.map(t -> Math.min(t, cap)).orElse(cap));
        }
        rates.add(new Rate(id, held, rate, policy.maxAgeOf(id), toKeep));
      }
      long total = disk.total(tier.root());
      long free = disk.usable(tier.root());
      long floor = Math.max(retentionFloorBytes, (long) (retentionFloorPercent / 100.0 * total));
      long held = rates.stream().mapToLong(Rate::held).sum();
      long other = Math.max(0, total - free - held);
      long capacity = total - floor;
      boolean regulated =
          !last && (tier.minFreeBytes().isPresent() || tier.minFreePercent().isPresent());
      Optional<Instant> fullAt = regulated ? Optional.empty() : fullAt(rates, other, capacity, now);
      double perDayAll = rates.stream().mapToDouble(Rate::perDay).sum();
      out.add(new TierForecast(
          single ? "recordings" : tier.name(), tier.root(), total, free, floor, perDayAll, fullAt));
      perTier.add(rates);
      capacities.add(capacity);
      others.add(other);
    }
    // A camera's guarantee breaks at the first tier that fills while it keeps footage there.
    List<CameraForecast> cameras = new ArrayList<>();
    for (int i = 0; i < cams.size(); i++) {
      String id = cams.get(i).id();
      Optional<Duration> keeps = policy.maxAgeOf(id);
      Optional<Instant> breaks = Optional.empty();
      OptionalDouble holds = OptionalDouble.empty();
      for (int k = 0; k < out.size(); k++) {
        Optional<Instant> full = out.get(k).fullAt();
        if (full.isPresent() && (breaks.isEmpty() || full.get().isBefore(breaks.get()))) {
          breaks = full;
          List<Rate> rates = perTier.get(k);
          boolean allLimited = rates.stream().allMatch(r -> r.toKeep().isPresent());
          long steady = rates.stream().mapToLong(r -> r.toKeep().orElse(0L)).sum();
          holds = OptionalDouble.empty();
          if (keeps.isPresent() && allLimited && steady > 0) {
            double share =
                Math.min(1, Math.max(0, capacities.get(k) - others.get(k)) / (double) steady);
            double stayDays =
                rates.get(i).toKeep().orElse(0L) / Math.max(1e-9, rates.get(i).perDay());
            double beforeDays = timeBefore(all, k, id).toMillis() / DAY_MS;
            double keepDays = keeps.get().toMillis() / DAY_MS;
            holds = OptionalDouble.of(
                Math.min(keepDays, beforeDays + share * Math.min(stayDays, keepDays)));
          }
        }
      }
      boolean atRisk = breaks.isPresent() && keeps.isPresent();
      Rate first = perTier.get(0).get(i);
      Optional<Long> toKeep = keeps.map(kp -> (long) (first.perDay() * kp.toMillis() / DAY_MS));
      if (policy.maxBytesOf(id).isPresent()) {
        long cap = policy.maxBytesOf(id).getAsLong();
        toKeep = Optional.of(toKeep.map(t -> Math.min(t, cap)).orElse(cap));
      }
      cameras.add(new CameraForecast(
          id,
          heldAll.get(id),
          first.perDay(),
          keeps,
          toKeep,
          atRisk,
          atRisk ? breaks : Optional.empty(),
          atRisk ? holds : OptionalDouble.empty()));
    }
    return new StorageForecast(now, out.get(0), out, cameras);
  }

  /** How long a camera's footage stays on the tiers before tier {@code k} (their move ages). */
  private static Duration timeBefore(List<StorageTier> all, int k, String cameraId) {
    Duration d = Duration.ZERO;
    for (int j = 0; j < k; j++) {
      d = d.plus(all.get(j).moveAfterOf(cameraId).orElse(Duration.ZERO));
    }
    return d;
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
