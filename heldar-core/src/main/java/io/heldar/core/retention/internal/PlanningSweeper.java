package io.heldar.core.retention.internal;

import io.heldar.core.cluster.CameraAssignment;
import io.heldar.core.engine.internal.Engine;
import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.internal.StoreClient;
import io.heldar.core.model.Camera;
import io.heldar.core.model.CameraStats;
import io.heldar.core.model.GapCause;
import io.heldar.core.model.InvalidRow;
import io.heldar.core.model.PrintableText;
import io.heldar.core.model.RelativePaths;
import io.heldar.core.model.RetentionHold;
import io.heldar.core.model.Segment;
import io.heldar.core.model.Snapshot;
import io.heldar.core.retention.DeletionReason;
import io.heldar.core.retention.DiskSpace;
import io.heldar.core.retention.PlannedDeletion;
import io.heldar.core.retention.RetentionPlan;
import io.heldar.core.retention.RetentionPolicy;
import io.heldar.core.retention.RetentionSweeper;
import io.heldar.core.retention.SweepReport;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.store.LeaseLostException;
import io.heldar.core.store.LeaseStore.Duty;
import io.heldar.core.store.RetentionCandidate;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link RetentionSweeper}: plan from the index, check, mark, unlink, remove. */
public final class PlanningSweeper implements RetentionSweeper, Engine {
  private static final Logger log = LoggerFactory.getLogger(PlanningSweeper.class);
  private static final int PAGE = 5000;

  private final EngineContext context;
  /** The host operations on holds, shared with {@code HeldarClient}. */
  private final StoreClient holdsClient;

  private final HeldarStore store;
  private final RetentionPolicy policy;
  private final io.heldar.core.tier.StorageTiers tiers;
  private final Optional<Path> snapshotsRoot;
  private final Clock clock;
  private final EventPublisher events;
  private final DiskSpace disk;
  private final GapDetector gaps;
  private final CameraAssignment assignment;
  /** Deletions already reported as failed (path and reason): one event each, not one per sweep. */
  private final Set<String> reportedFailures = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * The sweeper of the context's recordings (and snapshots, when it has a snapshots root), as
   * {@code policy} says, reading free space from {@code disk}. Use {@link RetentionSweeper#builder()}
   * outside Heldar.
   */
  public PlanningSweeper(EngineContext context, RetentionPolicy policy, DiskSpace disk) {
    this.context = context;
    this.store = context.store();
    this.assignment = context.assignment();
    this.policy = policy;
    this.tiers = context.requireTiers("retention");
    this.snapshotsRoot = context.snapshotsRoot();
    this.clock = context.clock();
    this.events = context.events();
    this.disk = disk;
    this.gaps = context.gaps();
    this.holdsClient = new StoreClient(store, clock, () -> {});
  }

  @Override
  public String name() {
    return "retention";
  }

  /** The engine's tick: one sweep, refused cameras skipped; its report to the metrics. */
  @Override
  public Duration tick() {
    context.observer().onSweep(sweep(false));
    return Engine.AT_PACE;
  }

  // ---- holds -----------------------------------------------------------------------------------

  @Override
  public RetentionHold hold(String cameraId, Instant from, Instant to, String reason) {
    return holdsClient.hold(cameraId, from, to, reason);
  }

  @Override
  public boolean release(long holdId) {
    return holdsClient.releaseHold(holdId);
  }

  @Override
  public List<RetentionHold> holds(String cameraId) {
    return holdsClient.holds(cameraId);
  }

  // ---- planning --------------------------------------------------------------------------------

  /** What must never be deleted of one camera. */
  private record Protection(Optional<String> newest, List<RetentionHold> holds) {
    boolean covers(RetentionCandidate s) {
      if (s.locked() || newest.filter(s.path()::equals).isPresent()) {
        return true;
      }
      for (RetentionHold h : holds) {
        if (h.overlaps(s.start(), s.end())) {
          return true;
        }
      }
      return false;
    }
  }

  @Override
  public RetentionPlan plan() {
    Instant now = clock.instant();
    Map<String, Protection> protection = new HashMap<>();
    Map<String, CameraStats> statsByCamera = new HashMap<>();
    Map<String, List<PlannedDeletion>> byCamera = new LinkedHashMap<>();
    Set<String> planned = new HashSet<>();
    List<Camera> cameras = store.cameras().list().stream()
        .filter(c -> assignment.owns(c.id(), Duty.FILES))
        .toList();
    boolean freeSpaceRule =
        policy.minFreeBytes().isPresent() || policy.minFreePercent().isPresent();
    for (Camera c : cameras) {
      String id = c.id();
      boolean laterRules = freeSpaceRule || policy.maxBytesOf(id).isPresent();
      protection.put(
          id,
          new Protection(
              store.segments().newest(id).map(Segment::path), store.holds().list(id)));
      List<PlannedDeletion> list = new ArrayList<>();
      byCamera.put(id, list);
      // One read of the camera's figures serves the byte budget and the share check; a camera
      // indexed without them gets them computed, so neither check silently sees zero.
      CameraStats stats =
          store.cameraStats().find(id).orElseGet(() -> store.cameraStats().refresh(id, now));
      statsByCamera.put(id, stats);
      long total = stats.totalBytes();
      Optional<Duration> maxAge = policy.maxAgeOf(id);
      if (maxAge.isPresent()) {
        Instant cutoff = now.minus(maxAge.get());
        forEachOldest(Optional.of(id), s -> {
          if (!s.end().isBefore(cutoff)) {
            return false;
          }
          if (!protection.get(id).covers(s)) {
            list.add(new PlannedDeletion(
                id, s.path(), s.sizeBytes(), DeletionReason.AGE, s.start(), s.tier()));
            if (laterRules) {
              planned.add(s.path()); // only the byte and free-space rules ask
            }
          }
          return true;
        });
      }
      long afterAge = total - list.stream().mapToLong(PlannedDeletion::bytes).sum();
      if (policy.maxBytesOf(id).isPresent() && afterAge > policy.maxBytesOf(id).getAsLong()) {
        long[] excess = {afterAge - policy.maxBytesOf(id).getAsLong()};
        forEachOldest(Optional.of(id), s -> {
          if (excess[0] <= 0) {
            return false;
          }
          if (!planned.contains(s.path()) && !protection.get(id).covers(s)) {
            list.add(new PlannedDeletion(
                id, s.path(), s.sizeBytes(), DeletionReason.BYTES, s.start(), s.tier()));
            planned.add(s.path());
            excess[0] -= s.sizeBytes();
          }
          return true;
        });
      }
    }
    planFreeSpace(byCamera, planned, protection);

    Map<String, String> refused = new LinkedHashMap<>();
    List<PlannedDeletion> segments = new ArrayList<>();
    for (Map.Entry<String, List<PlannedDeletion>> e : byCamera.entrySet()) {
      long count = statsByCamera.get(e.getKey()).segmentCount();
      if (!e.getValue().isEmpty()
          && count > 0
          && (double) e.getValue().size() / count > policy.maxDeleteShare()) {
        refused.put(
            e.getKey(),
            String.format(
                "the plan would delete %d of %d segments (%.0f %%), more than the allowed %.0f %%",
                e.getValue().size(),
                count,
                100.0 * e.getValue().size() / count,
                100 * policy.maxDeleteShare()));
      }
      segments.addAll(e.getValue());
    }
    List<PlannedDeletion> snapshots = new ArrayList<>();
    if (snapshotsRoot.isPresent()) {
      for (Camera c : cameras) {
        Optional<Duration> maxAge = policy.snapshotMaxAgeOf(c.id());
        if (maxAge.isEmpty()) {
          continue;
        }
        Instant cutoff = now.minus(maxAge.get());
        Optional<Snapshot> after = Optional.empty();
        List<Snapshot> page;
        do {
          page = store.snapshots().takenBefore(c.id(), cutoff, PAGE, after);
          for (Snapshot s : page) {
            snapshots.add(new PlannedDeletion(
                c.id(), s.path(), s.sizeBytes(), DeletionReason.SNAPSHOT_AGE, s.takenAt()));
          }
          after = page.isEmpty() ? after : Optional.of(page.get(page.size() - 1));
        } while (page.size() == PAGE);
      }
    }
    return new RetentionPlan(now, segments, snapshots, refused);
  }

  private interface SegmentVisitor {
    /** Returns whether to go on. */
    boolean visit(RetentionCandidate s);
  }

  private void forEachOldest(Optional<String> cameraId, SegmentVisitor visitor) {
    Optional<RetentionCandidate> after = Optional.empty();
    while (true) {
      List<RetentionCandidate> page = store.segments().oldestCandidates(cameraId, PAGE, after);
      for (RetentionCandidate s : page) {
        if (!visitor.visit(s)) {
          return;
        }
      }
      if (page.size() < PAGE) {
        return;
      }
      after = Optional.of(page.get(page.size() - 1));
    }
  }

  /**
   * The free-space floor, on the file system of every tier that can be used: what is short is the
   * oldest footage on that tier (of any camera), after what the age and byte rules delete there.
   * With tiers, tier moves keep a tier above its own (higher) move floor; this floor is the last
   * resort when they cannot (the next tier is down or full).
   */
  private void planFreeSpace(
      Map<String, List<PlannedDeletion>> byCamera,
      Set<String> planned,
      Map<String, Protection> protection) {
    if (policy.minFreeBytes().isEmpty() && policy.minFreePercent().isEmpty()) {
      return;
    }
    for (io.heldar.core.tier.StorageTier tier : tiers.all()) {
      Optional<String> stored = tiers.stored(tier);
      if (tier != tiers.primary()
          && io.heldar.core.tier.internal.TierMarkers.unusable(tier, true).isPresent()) {
        continue; // a tier that is not there has no free space to keep
      }
      long usable;
      long total;
      try {
        usable = disk.usable(tier.root());
        total = disk.total(tier.root());
      } catch (IOException e) {
        log.warn(
            "cannot read free space of {}: {}; the free-space floor is not applied this sweep",
            tier.root(),
            e.toString());
        continue;
      }
      long floor = Math.max(policy.minFreeBytes().orElse(0), (long)
          (policy.minFreePercent().orElse(0) / 100.0 * total));
      long freed = byCamera.values().stream()
          .flatMap(List::stream)
          .filter(d -> d.tier().equals(stored))
          .mapToLong(PlannedDeletion::bytes)
          .sum();
      long[] missing = {floor - usable - freed};
      if (missing[0] <= 0) {
        continue;
      }
      forEachOldest(Optional.empty(), s -> {
        if (missing[0] <= 0) {
          return false;
        }
        Protection p = protection.get(s.cameraId());
        if (s.tier().equals(stored) && p != null && !planned.contains(s.path()) && !p.covers(s)) {
          byCamera
              .get(s.cameraId())
              .add(new PlannedDeletion(
                  s.cameraId(),
                  s.path(),
                  s.sizeBytes(),
                  DeletionReason.FREE_SPACE,
                  s.start(),
                  s.tier()));
          planned.add(s.path());
          missing[0] -= s.sizeBytes();
        }
        return true;
      });
    }
  }

  // ---- carrying out ----------------------------------------------------------------------------

  @Override
  public SweepReport sweep(boolean force) {
    int finished = finishPending();
    RetentionPlan plan = plan();
    Instant now = clock.instant();
    for (Map.Entry<String, String> r : plan.refused().entrySet()) {
      log.warn(
          "retention {} camera {}: {}",
          force ? "forced for" : "refused for",
          r.getKey(),
          r.getValue());
      events.publish(
          HeldarEvent.of(r.getKey(), new TypedEvent.RetentionRefused(r.getValue(), force), now));
    }
    Map<String, List<String>> segmentsByCamera = new LinkedHashMap<>();
    for (PlannedDeletion d : plan.segments()) {
      if (force || !plan.refused().containsKey(d.cameraId())) {
        segmentsByCamera.computeIfAbsent(d.cameraId(), k -> new ArrayList<>()).add(d.path());
      }
    }
    Map<String, List<String>> snapshotsByCamera = new LinkedHashMap<>();
    for (PlannedDeletion d : plan.snapshots()) {
      snapshotsByCamera.computeIfAbsent(d.cameraId(), k -> new ArrayList<>()).add(d.path());
    }
    reportInvalidRows(now);
    // 1. mark, camera by camera under its lease: from here on a crash leaves marks the next sweep
    // finishes
    Set<String> marking = new java.util.TreeSet<>(segmentsByCamera.keySet());
    marking.addAll(snapshotsByCamera.keySet());
    for (String cameraId : marking) {
      try {
        assignment.fenced(cameraId, Duty.FILES, () -> {
          store.useTransaction(() -> {
            store.segments().markDeletePending(segmentsByCamera.getOrDefault(cameraId, List.of()));
            store
                .snapshots()
                .markDeletePending(snapshotsByCamera.getOrDefault(cameraId, List.of()));
          });
          return null;
        });
      } catch (LeaseLostException e) {
        log.info("retention: camera {} not marked: {}", cameraId, e.getMessage());
      }
    }
    long[] bytes = {0};
    int segments = removeSegments(store.segments().deletePending(Integer.MAX_VALUE), bytes);
    int snapshots = removeSnapshots(store.snapshots().deletePending(Integer.MAX_VALUE), bytes);
    if (segments + snapshots > 0) {
      log.info(
          "retention: deleted {} segment(s) and {} snapshot(s), {} bytes",
          segments,
          snapshots,
          bytes[0]);
    }
    return new SweepReport(plan, segments, snapshots, bytes[0], finished, false);
  }

  /**
   * The root of the tier a segment lives on. A further tier must carry its marker: an unmounted
   * tier (an empty mount point) would make every file look already deleted.
   *
   * @throws IllegalStateException the tier cannot be used now
   * @throws io.heldar.core.tier.UnknownTierException the tier is not configured
   */
  /** Each further tier's check, once per deletion pass. */
  private final Map<String, Optional<String>> tierChecks =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Path rootOf(Segment s) {
    io.heldar.core.tier.StorageTier tier = tiers.tierOf(s);
    if (tier != tiers.primary()) {
      Optional<String> why = tierChecks.computeIfAbsent(
          tier.name(), n -> io.heldar.core.tier.internal.TierMarkers.unusable(tier, true));
      if (why.isPresent()) {
        throw new IllegalStateException(
            "storage tier " + tier.name() + " cannot be used: " + why.get());
      }
    }
    return tier.root();
  }

  /** Whether this failure (what, and why) is reported for the first time; remembers it (bounded). */
  private boolean firstReport(String what, String reason) {
    if (reportedFailures.size() > 100_000) {
      reportedFailures.clear();
    }
    return reportedFailures.add(what + "\u0000" + reason);
  }

  /**
   * Rows the store could not read (edited by hand, written by another tool) are left alone — their
   * file may be anything — and each is reported once as {@code retention_failed}; the rest of the
   * plan goes ahead.
   */
  private void reportInvalidRows(Instant now) {
    for (InvalidRow row : store.invalidRows()) {
      if (!firstReport("row\u0000" + row.table() + "\u0000" + row.path(), row.reason())) {
        continue;
      }
      Optional<String> camera =
          Camera.isValidId(row.cameraId()) ? Optional.of(row.cameraId()) : Optional.empty();
      log.warn(
          "retention: {} row {} cannot be read and is left alone: {}",
          row.table(),
          PrintableText.of(row.path()),
          PrintableText.of(row.reason()));
      events.publish(new HeldarEvent(
          camera,
          new TypedEvent.RetentionFailed(
              Optional.of(row.table()),
              row.path(),
              "row cannot be read, left alone: " + row.reason()),
          now));
    }
  }

  /** Finishes deletions marked by a sweep that did not complete; returns how many. */
  private int finishPending() {
    long[] bytes = {0};
    int n = removeSegments(store.segments().deletePending(Integer.MAX_VALUE), bytes)
        + removeSnapshots(store.snapshots().deletePending(Integer.MAX_VALUE), bytes);
    if (n > 0) {
      log.info("retention: finished {} deletion(s) an interrupted sweep had marked", n);
    }
    return n;
  }

  private int removeSegments(List<Segment> marked, long[] bytes) {
    tierChecks.clear();
    return removeMarked(
        marked,
        Segment::cameraId,
        Segment::path,
        Segment::sizeBytes,
        this::rootOf,
        false,
        (cameraId, gone, keep) -> {
          store.segments().delete(gone.stream().map(Segment::path).toList());
          store.segments().clearDeletePending(keep); // the rows of files that could not be removed
          if (!gone.isEmpty()) {
            gaps.onSegmentsRemoved(cameraId, gone, GapCause.RETENTION);
            store.cameraStats().refresh(cameraId, clock.instant());
          }
        },
        bytes);
  }

  private int removeSnapshots(List<Snapshot> marked, long[] bytes) {
    if (marked.isEmpty() || snapshotsRoot.isEmpty()) {
      return 0;
    }
    return removeMarked(
        marked,
        Snapshot::cameraId,
        Snapshot::path,
        Snapshot::sizeBytes,
        snapshot -> snapshotsRoot.get(),
        true,
        (cameraId, gone, keep) -> {
          store.snapshots().delete(gone.stream().map(Snapshot::path).toList());
          store.snapshots().clearDeletePending(keep);
        },
        bytes);
  }

  /** What a removal records of one camera's rows: those whose file is gone, those kept. */
  private interface RowRemoval<T> {
    void record(String cameraId, List<T> gone, List<String> keep);
  }

  /**
   * Unlinks the files of marked rows camera by camera — only for the cameras whose files this
   * process owns — and records each camera's outcome in one fenced transaction. A camera lost in
   * between keeps its rows marked; its new owner finds the files gone and finishes them.
   */
  private <T> int removeMarked(
      List<T> marked,
      java.util.function.Function<T, String> camera,
      java.util.function.Function<T, String> path,
      java.util.function.ToLongFunction<T> size,
      java.util.function.Function<T, Path> rootOf,
      boolean underCameraDirectory,
      RowRemoval<T> rows,
      long[] bytes) {
    Map<String, List<T>> byCamera = new java.util.TreeMap<>();
    for (T row : marked) {
      byCamera.computeIfAbsent(camera.apply(row), k -> new ArrayList<>()).add(row);
    }
    int removed = 0;
    for (Map.Entry<String, List<T>> e : byCamera.entrySet()) {
      String cameraId = e.getKey();
      if (!assignment.owns(cameraId, Duty.FILES)) {
        continue; // another node's marks: it finishes them
      }
      List<T> gone = new ArrayList<>();
      List<String> keep = new ArrayList<>();
      long freed = 0;
      for (T row : e.getValue()) {
        Path root;
        try {
          root = rootOf.apply(row);
        } catch (RuntimeException unreachable) {
          String reason =
              unreachable.getMessage() == null ? unreachable.toString() : unreachable.getMessage();
          if (firstReport(path.apply(row), reason)) {
            log.warn(
                "retention: not deleting {} (camera {}): {}",
                PrintableText.of(path.apply(row)),
                cameraId,
                PrintableText.of(reason));
            events.publish(HeldarEvent.of(
                cameraId,
                new TypedEvent.RetentionFailed(path.apply(row), reason),
                clock.instant()));
          }
          keep.add(path.apply(row));
          continue;
        }
        if (unlink(root, cameraId, path.apply(row), underCameraDirectory)) {
          gone.add(row);
          freed += size.applyAsLong(row);
        } else {
          keep.add(path.apply(row));
        }
      }
      try {
        assignment.fenced(cameraId, Duty.FILES, () -> {
          store.useTransaction(() -> rows.record(cameraId, gone, keep));
          return null;
        });
        removed += gone.size();
        bytes[0] += freed;
      } catch (LeaseLostException lost) {
        log.info("retention: camera {}: deletions not recorded: {}", cameraId, lost.getMessage());
      }
    }
    return removed;
  }

  /**
   * Deletes {@code root/path} if it is a regular file inside the camera's directory, and returns
   * whether it is gone (deleted now, or already missing from a directory that is there).
   *
   * <p>Deleted through {@link io.heldar.core.internal.RootedFiles#delete}, which no symbolic link
   * leads out of the root. A directory that is missing or is a link keeps the row: the file may well
   * exist elsewhere.
   */
  private boolean unlink(Path root, String cameraId, String path, boolean underCameraDirectory) {
    try {
      // Segment paths follow the recorder's layout (the camera need not come first); snapshot
      // paths are always in the camera's own directory.
      if (underCameraDirectory) {
        RelativePaths.requireUnder(cameraId, path);
      } else {
        RelativePaths.requireRelative(path);
      }
      if (!io.heldar.core.internal.RootedFiles.delete(root, path)) {
        // Already gone (deleted by hand, or by another tool): nothing to delete; the row goes.
        log.info(
            "retention: {} (camera {}) was already gone from the disk; dropping its row",
            PrintableText.of(path),
            cameraId);
      }
      return true;
    } catch (IOException | RuntimeException e) {
      String reason = e.getMessage() == null ? e.toString() : e.getMessage();
      if (firstReport(path, reason)) {
        log.warn(
            "retention: not deleting {} (camera {}): {}",
            PrintableText.of(path),
            cameraId,
            PrintableText.of(reason));
        events.publish(HeldarEvent.of(
            cameraId, new TypedEvent.RetentionFailed(path, reason), clock.instant()));
      } else {
        log.debug(
            "retention: still not deleting {} (camera {}): {}",
            PrintableText.of(path),
            cameraId,
            PrintableText.of(reason));
      }
      return false;
    }
  }
}
