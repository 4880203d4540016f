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
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
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
  private final Path recordingsRoot;
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
    this.recordingsRoot = context.requireRecordingsRoot("retention");
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
    boolean covers(Segment s) {
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
    for (Camera c : cameras) {
      String id = c.id();
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
            list.add(
                new PlannedDeletion(id, s.path(), s.sizeBytes(), DeletionReason.AGE, s.start()));
            planned.add(s.path());
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
            list.add(
                new PlannedDeletion(id, s.path(), s.sizeBytes(), DeletionReason.BYTES, s.start()));
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
    boolean visit(Segment s);
  }

  private void forEachOldest(Optional<String> cameraId, SegmentVisitor visitor) {
    Optional<Segment> after = Optional.empty();
    while (true) {
      List<Segment> page = store.segments().oldestFirst(cameraId, PAGE, after);
      for (Segment s : page) {
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

  private void planFreeSpace(
      Map<String, List<PlannedDeletion>> byCamera,
      Set<String> planned,
      Map<String, Protection> protection) {
    if (policy.minFreeBytes().isEmpty() && policy.minFreePercent().isEmpty()) {
      return;
    }
    long usable;
    long total;
    try {
      usable = disk.usable(recordingsRoot);
      total = disk.total(recordingsRoot);
    } catch (IOException e) {
      log.warn(
          "cannot read free space of {}: {}; the free-space floor is not applied this sweep",
          recordingsRoot,
          e.toString());
      return;
    }
    long floor = Math.max(policy.minFreeBytes().orElse(0), (long)
        (policy.minFreePercent().orElse(0) / 100.0 * total));
    long freed = byCamera.values().stream()
        .flatMap(List::stream)
        .mapToLong(PlannedDeletion::bytes)
        .sum();
    long[] missing = {floor - usable - freed};
    if (missing[0] <= 0) {
      return;
    }
    forEachOldest(Optional.empty(), s -> {
      if (missing[0] <= 0) {
        return false;
      }
      Protection p = protection.get(s.cameraId());
      if (p != null && !planned.contains(s.path()) && !p.covers(s)) {
        byCamera
            .get(s.cameraId())
            .add(new PlannedDeletion(
                s.cameraId(), s.path(), s.sizeBytes(), DeletionReason.FREE_SPACE, s.start()));
        planned.add(s.path());
        missing[0] -= s.sizeBytes();
      }
      return true;
    });
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
    return removeMarked(
        marked,
        Segment::cameraId,
        Segment::path,
        Segment::sizeBytes,
        recordingsRoot,
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
        snapshotsRoot.get(),
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
      Path root,
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
   * <p>Checking a path and then deleting it by name is a race: whoever can write inside the root
   * could swap a directory for a symbolic link between the two. So the directories are opened one
   * by one from the root, each relative to its parent and without following links ({@link
   * SecureDirectoryStream}, {@code openat(O_NOFOLLOW)} on Linux), and the file is removed relative
   * to the last one ({@code unlinkat}): whatever is swapped meanwhile, nothing outside the root is
   * reached. A directory that is missing or is a link keeps the row: the file may well exist
   * elsewhere.
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
      String[] parts = path.split("/");
      try (DirectoryStream<Path> rootStream = Files.newDirectoryStream(root)) {
        if (!(rootStream instanceof SecureDirectoryStream<Path> top)) {
          throw new IOException(
              "this platform cannot delete relative to an open directory (no SecureDirectoryStream); "
                  + "retention refuses to delete by path");
        }
        List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
        try {
          SecureDirectoryStream<Path> dir = top;
          for (int i = 0; i < parts.length - 1; i++) {
            try {
              dir = dir.newDirectoryStream(Path.of(parts[i]), LinkOption.NOFOLLOW_LINKS);
            } catch (FileSystemException e) {
              String which = "directory " + String.join("/", java.util.Arrays.copyOf(parts, i + 1));
              throw new IOException(
                  e instanceof NoSuchFileException
                      ? which + " is missing"
                      : which + " cannot be opened without following links (" + e.getReason() + ")",
                  e);
            }
            opened.add(dir);
          }
          Path name = Path.of(parts[parts.length - 1]);
          BasicFileAttributes a;
          try {
            a = dir.getFileAttributeView(
                    name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .readAttributes();
          } catch (NoSuchFileException e) {
            // Already gone (deleted by hand, or by another tool): nothing to delete; the row goes.
            log.info(
                "retention: {} (camera {}) was already gone from the disk; dropping its row",
                PrintableText.of(path),
                cameraId);
            return true;
          }
          if (!a.isRegularFile()) {
            throw new IOException("not a regular file");
          }
          try {
            dir.deleteFile(name);
          } catch (NoSuchFileException alreadyGone) {
            // removed by someone else since we looked: gone all the same
          }
          return true;
        } finally {
          for (SecureDirectoryStream<Path> d : opened) {
            d.close();
          }
        }
      }
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
