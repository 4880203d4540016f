package io.heldar.core.index.internal;

import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.index.ReconcileReport;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.model.FileVersion;
import io.heldar.core.model.PrintableText;
import io.heldar.core.model.Segment;
import io.heldar.core.store.HeldarStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexer's reconciling stage: compares a camera's complete listing with its index rows, moves
 * rows whose file vanished to {@code missing_segments} (a {@code lost} gap), restores those whose
 * file came back unchanged, and refuses to mark anything when the vanish guard sees a mass
 * disappearance (a storage outage, not deletions).
 */
final class DiskReconciler {
  private static final Logger log = LoggerFactory.getLogger(DiskReconciler.class);

  private final HeldarStore store;
  private final Path root;
  private final Clock clock;
  private final EventPublisher events;
  private final GapDetector gaps;
  private final SegmentIndexer.VanishGuard vanishGuard;
  /** The last storage_unavailable reason per camera, so it is one event until it changes. */
  private final Map<String, String> lastUnavailable = new ConcurrentHashMap<>();

  DiskReconciler(
      HeldarStore store,
      Path root,
      Clock clock,
      EventPublisher events,
      GapDetector gaps,
      SegmentIndexer.VanishGuard vanishGuard) {
    this.store = store;
    this.root = root;
    this.clock = clock;
    this.events = events;
    this.gaps = gaps;
    this.vanishGuard = vanishGuard;
  }

  ReconcileReport refusedWhole(String cameraId, String why) {
    long rows = store.segments().count(cameraId);
    return new ReconcileReport(
        cameraId,
        rows,
        0,
        rows,
        List.of(),
        0,
        false,
        Optional.of(why + "; nothing is marked while a camera's storage is unavailable"));
  }

  /** Rows per page when reconciliation walks a camera's index rows. */
  private static final int RECONCILE_PAGE = 1000;

  /**
   * Compares a camera's files on the disk with its index rows, page by page in path order: rows whose
   * file is gone are vanished, missing rows whose file is back unchanged are restorable. With {@code
   * apply}, vanished rows move to {@code missing_segments} (event {@code segment_missing}, a {@code
   * lost} gap) and restorable ones come back (event {@code segment_restored}), unless the vanish
   * guard sees a mass disappearance: then nothing changes, one {@code storage_unavailable} event says
   * why, unless {@code force}.
   */
  ReconcileReport reconcile(
      String cameraId,
      List<FileEntry> files,
      boolean apply,
      boolean force,
      Map<String, FileVersion> indexedVersions) {
    Map<String, FileEntry> disk = new HashMap<>(Math.max(16, files.size() * 2));
    files.forEach(f -> disk.put(f.path(), f));
    long rows = 0;
    long vanished = 0;
    // Rows retention marked: their files are being deleted on purpose (or were, before a crash).
    Set<String> retained = store.segments().deletePendingPaths(cameraId);
    List<String> examples = new ArrayList<>();
    Optional<String> after = Optional.empty();
    while (true) {
      List<Map.Entry<String, FileVersion>> page =
          store.segments().versionsInPathOrder(cameraId, after, RECONCILE_PAGE);
      for (Map.Entry<String, FileVersion> row : page) {
        rows++;
        if (disk.containsKey(row.getKey())) {
          indexedVersions.put(row.getKey(), row.getValue());
        } else if (retained.contains(row.getKey())) {
          rows--; // retention's, not the disk's: neither vanished nor counted against the guard
        } else {
          vanished++;
          if (examples.size() < 10) {
            examples.add(row.getKey());
          }
        }
      }
      if (page.size() < RECONCILE_PAGE) {
        break;
      }
      after = Optional.of(page.get(page.size() - 1).getKey());
    }
    List<Segment> restorable = new ArrayList<>();
    for (Segment m : store.segments().missing(cameraId, 100_000)) {
      FileEntry f = disk.get(m.path());
      if (f != null && f.size() == m.sizeBytes() && f.modified().equals(m.fileModified())) {
        restorable.add(m.onTier(Optional.empty())); // found in the recordings root
      }
    }
    // Files that came back are restored whatever the guard says: they are on the disk.
    if (apply && !restorable.isEmpty()) {
      restore(cameraId, restorable);
      restorable.forEach(
          m -> indexedVersions.put(m.path(), new FileVersion(m.sizeBytes(), m.fileModified())));
    }
    Optional<String> refused = vanishGuard.refusal(vanished, rows);
    if (refused.isPresent() && !force) {
      if (apply) {
        storageUnavailable(cameraId, refused.get(), vanished, rows, examples);
      }
      return new ReconcileReport(
          cameraId, rows, files.size(), vanished, examples, restorable.size(), false, refused);
    }
    if (apply) {
      if (vanished > 0) {
        markVanished(cameraId, disk, retained);
      }
      if (lastUnavailable.remove(cameraId) != null) {
        log.info("camera {}: its storage looks complete again", cameraId);
      }
    }
    return new ReconcileReport(
        cameraId,
        rows,
        files.size(),
        vanished,
        examples,
        restorable.size(),
        apply,
        Optional.empty());
  }

  /** Second pass: marks the rows whose file is not on the disk, a page at a time. */
  private void markVanished(String cameraId, Map<String, FileEntry> disk, Set<String> retained) {
    Optional<String> after = Optional.empty();
    while (true) {
      List<Map.Entry<String, FileVersion>> page =
          store.segments().versionsInPathOrder(cameraId, after, RECONCILE_PAGE);
      List<String> gone = page.stream()
          .map(Map.Entry::getKey)
          .filter(p -> !disk.containsKey(p) && !retained.contains(p))
          .toList();
      if (!gone.isEmpty()) {
        Instant now = clock.instant();
        List<Segment> moved = io.heldar.core.internal.VanishedSegments.markMissing(
            store, events, gaps, cameraId, gone, now, sg -> root.resolve(sg.path())
                .toString());
        log.warn(
            "camera {}: {} segment file(s) vanished from the disk, e.g. {}; marked missing, their footage is a lost gap",
            cameraId,
            moved.size(),
            PrintableText.of(gone.get(0)));
      }
      if (page.size() < RECONCILE_PAGE) {
        return;
      }
      after = Optional.of(page.get(page.size() - 1).getKey());
    }
  }

  private void restore(String cameraId, List<Segment> restorable) {
    Instant now = clock.instant();
    List<HeldarEvent> raised = new ArrayList<>();
    List<Segment> back = store.inTransaction(() -> {
      List<Segment> ins = store.segments().insertAll(restorable);
      store.segments().forgetMissing(restorable.stream().map(Segment::path).toList());
      for (Segment s : ins) {
        HeldarEvent e = HeldarEvent.of(
            cameraId, new TypedEvent.SegmentRestored(s.path(), s.start(), s.end()), now);
        events.record(e);
        raised.add(e);
      }
      if (!ins.isEmpty()) {
        store.cameraStats().addIndexed(cameraId, ins, now);
      }
      raised.addAll(gaps.onSegmentsIndexed(cameraId, ins));
      return ins;
    });
    events.notifyListeners(raised);
    log.info(
        "camera {}: {} missing segment file(s) are back unchanged; restored",
        cameraId,
        back.size());
  }

  private void storageUnavailable(
      String cameraId, String reason, long vanished, long rows, List<String> examples) {
    String previous = lastUnavailable.put(cameraId, reason);
    if (reason.equals(previous)) {
      log.debug("camera {}: storage still looks unavailable: {}", cameraId, reason);
      return;
    }
    log.error(
        "camera {}: {} of {} indexed segment files seem gone at once ({}); nothing was marked. "
            + "Look with `heldar check`, confirm with `heldar check --apply --force`",
        cameraId,
        vanished,
        rows,
        reason);
    events.publish(HeldarEvent.of(
        cameraId,
        new TypedEvent.StorageUnavailable(
            reason, vanished, rows, String.join(", ", examples), "nothing was marked missing"),
        clock.instant()));
  }
}
