package io.heldar.core.index.internal;

import io.heldar.core.cluster.CameraAssignment;
import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.index.CameraNames;
import io.heldar.core.index.CameraScanReport;
import io.heldar.core.index.FileBucket;
import io.heldar.core.index.FileTally;
import io.heldar.core.index.Plausibility;
import io.heldar.core.index.ReconcileReport;
import io.heldar.core.index.ScanReport;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.index.SegmentNaming;
import io.heldar.core.internal.Threads;
import io.heldar.core.model.Camera;
import io.heldar.core.model.FileVersion;
import io.heldar.core.model.HeldarEvent;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.PrintableText;
import io.heldar.core.model.Segment;
import io.heldar.core.model.UnreadableFile;
import io.heldar.core.probe.IncompleteMediaException;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.ProbeException;
import io.heldar.core.probe.ProbeUnavailableException;
import io.heldar.core.runtime.Ticker;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.store.LeaseLostException;
import io.heldar.core.store.LeaseStore;
import io.heldar.core.store.LeaseStore.Duty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link SegmentIndexer} over camera directories under one recordings root. */
public final class DirectorySegmentIndexer implements SegmentIndexer {
  private static final Logger log = LoggerFactory.getLogger(DirectorySegmentIndexer.class);
  private static final int MAX_REMEMBERED_WARNINGS = 100_000;

  private final HeldarStore store;
  private final MediaProbe probe;
  private final Path root;
  private final SegmentNaming naming;
  private final Duration settleTime;
  private final Duration incompleteGrace;
  private final int batchSize;
  private final Plausibility plausibility;
  private final Clock clock;
  private final EventPublisher events;
  private final GapDetector gaps;
  private final boolean discoverCameras;
  private final Duration reconcileInterval;
  private final SegmentIndexer.VanishGuard vanishGuard;
  private final SegmentIndexer.ProgressListener progress;
  private final Executor probePool;
  private final ThreadPoolExecutor ownProbePool;
  private final Ticker ticker;
  private final CameraAssignment assignment;
  /** When each camera was last reconciled with the disk (monotonic nanos). */
  private final Map<String, Long> lastReconciled = new ConcurrentHashMap<>();
  /** The last storage_unavailable reason per camera, so it is one event until it changes. */
  private final Map<String, String> lastUnavailable = new ConcurrentHashMap<>();
  /** Per camera (or outside them): files that did not match the pattern at the last scan. */
  private final Map<String, Long> nonMatching = new ConcurrentHashMap<>();
  /** Conflicts already raised as events, so each is one event until it is resolved. */
  private final Set<String> reportedConflicts = ConcurrentHashMap.newKeySet();
  /** Files already warned about (unparseable name, DST resolution): one warning per file, not per scan. */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  /** The last scan failure per camera, so a broken directory raises one event, not one per tick. */
  private final Map<String, String> lastFailure = new ConcurrentHashMap<>();
  /** Per camera (or {@code ""} for a whole-root layout): what the last listings found, by directory. */
  private final Map<String, ListingCache> listings = new ConcurrentHashMap<>();

  /** Records the bucket a scan put a listed file in (for the listing cache). */
  @FunctionalInterface
  private interface Settler {
    Settler NONE = (path, bucket) -> {};

    void settle(String path, FileBucket bucket);
  }

  /** Use {@link SegmentIndexer#builder()}. */
  public DirectorySegmentIndexer(
      HeldarStore store,
      MediaProbe probe,
      Path root,
      SegmentNaming naming,
      Duration settleTime,
      Duration incompleteGrace,
      int probeParallelism,
      int batchSize,
      Plausibility plausibility,
      Clock clock,
      EventPublisher events,
      GapDetector gaps,
      boolean discoverCameras,
      Duration reconcileInterval,
      SegmentIndexer.VanishGuard vanishGuard,
      SegmentIndexer.ProgressListener progress,
      Ticker ticker,
      Optional<Executor> probeExecutor,
      CameraAssignment assignment) {
    this.store = store;
    this.assignment = assignment;
    this.probe = probe;
    this.root = root;
    this.naming = naming;
    this.settleTime = settleTime;
    this.incompleteGrace = incompleteGrace;
    this.batchSize = batchSize;
    this.plausibility = plausibility;
    this.clock = clock;
    this.events = events;
    this.gaps = gaps;
    this.discoverCameras = discoverCameras;
    this.reconcileInterval = reconcileInterval;
    this.vanishGuard = vanishGuard;
    this.progress = progress;
    this.ticker = ticker;
    // The host's executor when it gave one (never shut down here), else Heldar's own daemon pool.
    this.ownProbePool = probeExecutor.isPresent()
        ? null
        : Threads.pool("heldar-probe-", probeParallelism, new LinkedBlockingQueue<>());
    this.probePool = probeExecutor.isPresent() ? probeExecutor.get() : ownProbePool;
  }

  @Override
  public ScanReport scanOnce() {
    Instant startedAt = clock.instant();
    long t0 = ticker.read();
    FileTally.Counter outside = new FileTally.Counter();
    List<ScanReport.CameraIdConflict> conflicts = new ArrayList<>();
    Registry registry = new Registry(store.cameras().list());
    Map<String, CameraScanReport> reports = new TreeMap<>();
    if (naming.cameraDirectories()) {
      scanCameraDirectories(registry, outside, conflicts, reports);
    } else {
      scanWholeRoot(registry, outside, conflicts, reports);
    }
    ScanReport report = new ScanReport(
        startedAt,
        Duration.ofNanos(ticker.read() - t0),
        new ArrayList<>(reports.values()),
        outside.freeze(),
        conflicts);
    warnOfNonMatchingFiles("outside the cameras", report.outsideCameras());
    log.debug(
        "scan of {} camera(s) indexed {} segment(s) in {}",
        reports.size(),
        report.indexed(),
        report.took());
    return report;
  }

  /** Cameras known by recorder name (their id when they have none) and by id. */
  private static final class Registry {
    final Map<String, Camera> byRecorderName = new HashMap<>();
    final Map<String, Camera> byId = new TreeMap<>();

    Registry(List<Camera> cameras) {
      cameras.forEach(this::add);
    }

    void add(Camera c) {
      byRecorderName.put(c.recorderNameOrId(), c);
      byId.put(c.id(), c);
    }
  }

  /**
   * Layouts with a directory per camera ({@code %c/...}): each root entry is a camera directory, a
   * directory that is not one, or something else; each registered camera's directory is listed on
   * its own, so memory follows one camera's listing.
   */
  private void scanCameraDirectories(
      Registry registry,
      FileTally.Counter outside,
      List<ScanReport.CameraIdConflict> conflicts,
      Map<String, CameraScanReport> reports) {
    Map<String, List<FileEntry>> newcomers = new TreeMap<>();
    List<Path> children = new ArrayList<>();
    try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      entries.forEach(children::add);
    } catch (IOException e) {
      throw new IllegalStateException("cannot list the recordings root " + root + ": " + e, e);
    }
    children.sort(Comparator.comparing(p -> p.getFileName().toString()));
    for (Path child : children) {
      String name = child.getFileName().toString();
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        outside.add(FileBucket.UNLISTABLE, name);
        continue;
      }
      String shown = attrs.isDirectory() ? name + "/" : name;
      if (isHiddenOrTemporary(name)) {
        outside.add(FileBucket.HIDDEN_OR_TEMPORARY, shown);
      } else if (attrs.isRegularFile()) {
        outside.add(FileBucket.NOT_UNDER_A_CAMERA, shown);
      } else if (!attrs.isDirectory()) {
        outside.add(FileBucket.NOT_A_REGULAR_FILE, shown);
      } else if (registry.byRecorderName.containsKey(name)) {
        String id = registry.byRecorderName.get(name).id();
        if (owned(id)) {
          reports.put(id, scanCamera(id, name));
        }
      } else if (!discoverCameras) {
        outside.add(FileBucket.CAMERA_NOT_REGISTERED, shown);
      } else {
        // Only a directory with a file that matches the pattern is a camera; the rest are reported.
        // Their listings are remembered like a camera's, so a big directory that is not a camera
        // (lost+found, a JPEG dump) costs a stat per directory per scan, not a walk.
        FileTally.Counter ignored = new FileTally.Counter();
        List<FileEntry> files = new ArrayList<>();
        ListingCache notYet = listings.computeIfAbsent("?" + name, k -> new ListingCache());
        try {
          notYet.walk(
              child,
              name + "/",
              naming.rootDepth() - 1,
              false,
              collecting(files, camera -> ignored, ignored));
        } catch (IOException e) {
          listings.remove("?" + name);
          outside.add(FileBucket.UNLISTABLE, shown);
          continue;
        }
        if (files.stream()
            .anyMatch(f -> !isHiddenOrTemporary(f.name())
                && naming.match(f.path(), Optional.empty()).isPresent())) {
          newcomers.put(name, files);
          listings.remove("?" + name);
        } else {
          outside.add(FileBucket.NOT_A_CAMERA, shown);
          mergeInto(outside, ignored);
          for (FileEntry f : files) {
            FileBucket why = isHiddenOrTemporary(f.name())
                ? FileBucket.HIDDEN_OR_TEMPORARY
                : FileBucket.NAME_DOES_NOT_MATCH;
            outside.add(why, f.path());
            notYet.settle(f.path(), null, why);
          }
        }
      }
    }
    Map<String, String> registered = register(newcomers.keySet(), registry, conflicts);
    for (Map.Entry<String, List<FileEntry>> e : newcomers.entrySet()) {
      String id = registered.get(e.getKey());
      if (id == null) {
        e.getValue().forEach(f -> outside.add(FileBucket.CAMERA_ID_CONFLICT, f.path()));
      } else if (owned(id)) {
        reports.put(id, scanCamera(id, e.getKey()));
      }
    }
    for (Camera c : registry.byId.values()) {
      if (!reports.containsKey(c.id()) && owned(c.id())) {
        reports.put(
            c.id(),
            scanCamera(
                c.id(), c.recorderNameOrId())); // its directory is missing: a failure, reported
      }
    }
  }

  /**
   * Other layouts (the camera in the middle of the path, in the file name, or spanning directories):
   * one walk of the root, files grouped by the camera their path names.
   */
  private void scanWholeRoot(
      Registry registry,
      FileTally.Counter outside,
      List<ScanReport.CameraIdConflict> conflicts,
      Map<String, CameraScanReport> reports) {
    boolean complete = reconcileDue("");
    ListingCache cache = listings.computeIfAbsent("", k -> new ListingCache());
    List<FileEntry> all = new ArrayList<>();
    Map<String, FileTally.Counter> settledByCamera = new HashMap<>();
    try {
      cache.walk(
          root,
          "",
          naming.rootDepth(),
          complete,
          collecting(
              all,
              camera -> camera == null
                  ? outside
                  : settledByCamera.computeIfAbsent(camera, c -> new FileTally.Counter()),
              outside));
    } catch (IOException e) {
      throw new IllegalStateException("cannot list the recordings root " + root + ": " + e, e);
    }
    Map<String, List<FileEntry>> byCamera = new TreeMap<>();
    for (FileEntry f : all) {
      if (isHiddenOrTemporary(f.name())) {
        outside.add(FileBucket.HIDDEN_OR_TEMPORARY, f.path());
        cache.settle(f.path(), null, FileBucket.HIDDEN_OR_TEMPORARY);
        continue;
      }
      Optional<SegmentNaming.Match> m = naming.match(f.path(), Optional.empty());
      if (m.isEmpty() || !CameraNames.isSafeRecorderName(m.get().camera())) {
        outside.add(FileBucket.NAME_DOES_NOT_MATCH, f.path());
        cache.settle(f.path(), null, FileBucket.NAME_DOES_NOT_MATCH);
        log.debug(
            "skipping {}: path does not match naming pattern {}",
            PrintableText.of(f.path()),
            naming);
        continue;
      }
      byCamera.computeIfAbsent(m.get().camera(), k -> new ArrayList<>()).add(f);
    }
    for (String name : settledByCamera.keySet()) {
      byCamera.computeIfAbsent(name, k -> new ArrayList<>());
    }
    Set<String> unknown = new java.util.TreeSet<>(byCamera.keySet());
    unknown.removeAll(registry.byRecorderName.keySet());
    Map<String, String> registered =
        discoverCameras ? register(unknown, registry, conflicts) : Map.of();
    for (Map.Entry<String, List<FileEntry>> e : byCamera.entrySet()) {
      Camera known = registry.byRecorderName.get(e.getKey());
      String id = known != null ? known.id() : registered.get(e.getKey());
      if (id == null) {
        FileBucket why =
            discoverCameras ? FileBucket.CAMERA_ID_CONFLICT : FileBucket.CAMERA_NOT_REGISTERED;
        e.getValue().forEach(f -> outside.add(why, f.path()));
        continue;
      }
      if (!owned(id)) {
        continue;
      }
      String name = e.getKey();
      FileTally.Counter tally = settledByCamera.getOrDefault(name, new FileTally.Counter());
      reports.put(
          id,
          scanFilesOf(
              id,
              e.getValue(),
              tally,
              complete,
              (path, bucket) -> cache.settle(path, name, bucket)));
    }
    for (Camera c : registry.byId.values()) {
      if (!reports.containsKey(c.id()) && owned(c.id())) {
        reports.put(
            c.id(),
            scanFilesOf(c.id(), List.of(), new FileTally.Counter(), complete, Settler.NONE));
      }
    }
    if (complete) {
      lastReconciled.put("", ticker.read());
    }
  }

  /**
   * Registers the cameras {@code names} map to, unless an id is another camera's or two names share
   * one: those are conflicts, reported and raised once. Returns name to id for those registered.
   */
  private Map<String, String> register(
      Set<String> names, Registry registry, List<ScanReport.CameraIdConflict> conflicts) {
    Map<String, List<String>> byId = new TreeMap<>();
    for (String name : names) {
      byId.computeIfAbsent(CameraNames.idFor(name), k -> new ArrayList<>()).add(name);
    }
    Map<String, String> registered = new HashMap<>();
    for (Map.Entry<String, List<String>> e : byId.entrySet()) {
      String id = e.getKey();
      List<String> claimants = new ArrayList<>(e.getValue());
      Camera existing = registry.byId.get(id);
      if (existing != null) {
        claimants.add(0, existing.recorderNameOrId());
      }
      if (claimants.size() > 1) {
        ScanReport.CameraIdConflict conflict = new ScanReport.CameraIdConflict(id, claimants);
        conflicts.add(conflict);
        if (reportedConflicts.add(conflict.describe())) {
          log.error(
              "{}: their files are not indexed until one is registered under another id",
              conflict.describe());
          TypedEvent.CameraIdConflict event =
              new TypedEvent.CameraIdConflict(id, String.join(", ", claimants));
          events.publish(
              existing != null
                  ? HeldarEvent.of(id, event, clock.instant())
                  : HeldarEvent.global(event, clock.instant()));
        }
        continue;
      }
      String name = claimants.get(0);
      Camera camera = new Camera(id, name, Optional.empty(), clock.instant(), Optional.of(name));
      if (!store.cameras().add(camera)) {
        continue; // registered meanwhile by someone else: picked up next scan
      }
      registry.add(camera);
      registered.put(name, id);
      log.info(
          "camera {}: registered from the recordings layout (recorder name {})",
          id,
          PrintableText.of(name));
      events.publish(
          HeldarEvent.of(id, new TypedEvent.CameraRegistered(id, name), clock.instant()));
    }
    return registered;
  }

  private static void mergeInto(FileTally.Counter target, FileTally.Counter source) {
    FileTally t = source.freeze();
    t.counts().forEach((bucket, n) -> addCounted(target, bucket, n, t.examples(bucket)));
  }

  @Override
  public CameraScanReport scanCamera(String cameraId) {
    Camera.requireValidId(cameraId);
    Optional<Camera> camera = store.cameras().find(cameraId);
    return scanCamera(cameraId, camera.map(Camera::recorderNameOrId).orElse(cameraId));
  }

  private CameraScanReport scanCamera(String cameraId, String recorderName) {
    try {
      CameraScanReport report;
      if (naming.cameraDirectories()) {
        FileTally.Counter tally = new FileTally.Counter();
        Path dir = cameraDirectory(recorderName);
        boolean complete = reconcileDue(cameraId);
        ListingCache cache = listings.computeIfAbsent(cameraId, k -> new ListingCache());
        List<FileEntry> files = new ArrayList<>();
        try {
          cache.walk(
              dir,
              recorderName + "/",
              naming.rootDepth() - 1,
              complete,
              collecting(files, camera -> tally, tally));
        } catch (IOException e) {
          throw new ScanFailure("cannot list recordings directory " + dir + ": " + e, e);
        }
        report = scanFilesOf(
            cameraId, files, tally, complete, (path, bucket) -> cache.settle(path, null, bucket));
      } else {
        report = scanFilesOf(
            cameraId,
            filesByCamera().getOrDefault(recorderName, List.of()),
            new FileTally.Counter(),
            true,
            Settler.NONE);
      }
      if (report.failure().isEmpty() && lastFailure.remove(cameraId) != null) {
        log.info("camera {}: recordings directory readable again", cameraId);
      }
      return report;
    } catch (ScanFailure e) {
      return failed(cameraId, e.getMessage(), e.getCause());
    }
  }

  /**
   * Whether this process indexes the camera now (always, unless in a cluster where another node
   * holds its files lease). A camera given up forgets its listing, so when it comes back its first
   * scan lists it completely.
   */
  private boolean owned(String cameraId) {
    if (assignment.owns(cameraId, Duty.FILES)) {
      return true;
    }
    listings.remove(cameraId);
    lastReconciled.remove(cameraId);
    log.debug("camera {}: files lease held elsewhere; not scanned here", cameraId);
    return false;
  }

  /** Whether the camera's next listing must be complete: at its first scan, then every reconcile interval. */
  private boolean reconcileDue(String key) {
    Long last = lastReconciled.get(key);
    return last == null || ticker.read() - last >= reconcileInterval.toNanos();
  }

  /** A walk's sink: files to classify into {@code files}, settled counts to their camera's tally, the rest to {@code others}. */
  private static ListingCache.Sink collecting(
      List<FileEntry> files,
      java.util.function.Function<String, FileTally.Counter> settledTo,
      FileTally.Counter others) {
    return new ListingCache.Sink() {
      @Override
      public void file(ListingCache.ListedFile f) {
        files.add(new FileEntry(f.path(), f.size(), f.modified()));
      }

      @Override
      public void settled(String camera, FileBucket bucket, long count, List<String> examples) {
        addCounted(settledTo.apply(camera), bucket, count, examples);
      }

      @Override
      public void other(FileBucket bucket, String path) {
        others.add(bucket, path);
      }
    };
  }

  /** Adds files counted from memory: their examples, then the rest as a number. */
  private static void addCounted(
      FileTally.Counter tally, FileBucket bucket, long count, List<String> examples) {
    examples.forEach(p -> tally.add(bucket, p));
    tally.add(bucket, count - examples.size());
  }

  private CameraScanReport scanFilesOf(
      String cameraId,
      List<FileEntry> files,
      FileTally.Counter tally,
      boolean complete,
      Settler settler) {
    try {
      return assignment.fenced(
          cameraId, Duty.FILES, () -> scan(cameraId, files, tally, complete, settler));
    } catch (LeaseLostException e) {
      // Reported by the assignment (lease_lost); nothing of this scan's batch committed.
      listings.remove(cameraId);
      lastReconciled.remove(cameraId);
      return CameraScanReport.failed(cameraId, "lease lost: " + e.getMessage());
    } catch (ScanFailure e) {
      return failed(cameraId, e.getMessage(), e.getCause());
    } catch (ProbeUnavailableException e) {
      return failed(cameraId, "probe unavailable: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      return failed(cameraId, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private static boolean isHiddenOrTemporary(String name) {
    return name.startsWith(".") || name.endsWith(".tmp") || name.endsWith(".part");
  }

  private CameraScanReport failed(String cameraId, String reason, Throwable cause) {
    String previous = lastFailure.put(cameraId, reason);
    if (!reason.equals(previous)) {
      log.warn("camera {}: scan failed: {}", cameraId, reason, cause);
      events.publish(HeldarEvent.of(
          cameraId, new TypedEvent.CameraScanFailed(root.toString(), reason), clock.instant()));
    } else {
      log.debug("camera {}: scan still failing: {}", cameraId, reason);
    }
    return CameraScanReport.failed(cameraId, reason);
  }

  /** A camera-level failure with a one-line reason. */
  private static final class ScanFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScanFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * A file to probe.
   *
   * @param nextStart the start of the camera's next file in this scan, for the plausibility check
   * @param changed whether the file is indexed already and changed since (its row is replaced)
   */
  private record Candidate(
      String path,
      Instant start,
      long size,
      Instant modified,
      Optional<Instant> nextStart,
      boolean changed) {}

  private record Outcome(
      Candidate candidate, MediaInfo media, String failure, boolean incomplete) {}

  /**
   * Classifies {@code files} (all of the camera's files when {@code complete}, else those a listing
   * did not settle before), probes and commits the new ones, and reconciles the index with the disk
   * when the listing is complete.
   */
  private CameraScanReport scan(
      String cameraId,
      List<FileEntry> files,
      FileTally.Counter tally,
      boolean complete,
      Settler settler) {
    // A complete listing reconciles first; its walk through the index rows also yields the versions
    // of the files on the disk, so no file needs a lookup of its own.
    Map<String, FileVersion> indexedVersions = null;
    if (complete) {
      indexedVersions = new HashMap<>(Math.max(16, files.size() * 2));
      reconcile(cameraId, files, true, false, indexedVersions);
      lastReconciled.put(cameraId, ticker.read());
    }
    // Only what the listing did not settle before is here: new files, files still in play, and
    // everything in a directory that changed; their index rows are looked up in batches.
    Map<String, FileVersion> known = indexedVersions != null
        ? indexedVersions
        : files.isEmpty()
            ? new HashMap<>()
            : new HashMap<>(store
                .segments()
                .versionsAmong(files.stream().map(FileEntry::path).toList()));
    Set<String> changed = new HashSet<>();
    List<String> toCheck = new ArrayList<>();
    for (FileEntry f : files) {
      FileVersion v = known.get(f.path());
      if (v == null) {
        toCheck.add(f.path());
      } else if (v.sizeBytes() != f.size() || !v.modified().equals(f.modified())) {
        changed.add(f.path());
        toCheck.add(f.path());
      }
    }
    Map<String, UnreadableFile> unreadable =
        toCheck.isEmpty() ? Map.of() : store.unreadableFiles().among(toCheck);
    Instant now = clock.instant();
    Instant settledBefore = now.minus(settleTime);

    List<Candidate> candidates = new ArrayList<>();
    for (FileEntry f : files) {
      boolean isChanged = changed.contains(f.path());
      if (known.containsKey(f.path()) && !isChanged) {
        tally.add(FileBucket.ALREADY_INDEXED, f.path());
        settler.settle(f.path(), FileBucket.ALREADY_INDEXED);
        continue;
      }
      if (isHiddenOrTemporary(f.name())) {
        tally.add(FileBucket.HIDDEN_OR_TEMPORARY, f.path());
        settler.settle(f.path(), FileBucket.HIDDEN_OR_TEMPORARY);
        continue;
      }
      Optional<SegmentNaming.Match> parsed = naming.match(f.path(), Optional.of(f.modified()));
      if (parsed.isEmpty()) {
        tally.add(FileBucket.NAME_DOES_NOT_MATCH, f.path());
        settler.settle(f.path(), FileBucket.NAME_DOES_NOT_MATCH);
        log.debug(
            "camera {}: skipping {}: name does not match naming pattern {}",
            cameraId,
            PrintableText.of(f.path()),
            naming);
        continue;
      }
      parsed
          .get()
          .note()
          .ifPresent(note ->
              warnOnce(f.path(), "camera {}: {}: {}", cameraId, PrintableText.of(f.path()), note));
      if (f.modified().isAfter(settledBefore)) {
        tally.add(FileBucket.UNSETTLED, f.path());
        continue;
      }
      UnreadableFile failedBefore = unreadable.get(f.path());
      if (failedBefore != null && failedBefore.sameVersion(f.size(), f.modified())) {
        tally.add(FileBucket.KNOWN_UNREADABLE, f.path());
        continue;
      }
      candidates.add(new Candidate(
          f.path(), parsed.get().start(), f.size(), f.modified(), Optional.empty(), isChanged));
    }
    candidates.sort(Comparator.comparing(Candidate::start).thenComparing(Candidate::path));
    // Each file learns where the next one starts: a duration far past it is implausible.
    for (int i = candidates.size() - 2; i >= 0; i--) {
      Candidate c = candidates.get(i);
      Candidate next = candidates.get(i + 1);
      Optional<Instant> nextStart =
          next.start().isAfter(c.start()) ? Optional.of(next.start()) : next.nextStart();
      candidates.set(
          i, new Candidate(c.path(), c.start(), c.size(), c.modified(), nextStart, c.changed()));
    }

    List<String> indexedPaths = new ArrayList<>();
    // Probes run ahead of the commits, at most two batches: while one batch is written the next is
    // probed, and memory stays bounded by the batch size, not by the backlog.
    List<Future<Outcome>> probes = new ArrayList<>(Collections.nCopies(candidates.size(), null));
    int submitted = 0;
    try {
      for (int from = 0; from < candidates.size(); from += batchSize) {
        int to = Math.min(candidates.size(), from + batchSize);
        int ahead = Math.min(candidates.size(), to + batchSize);
        for (; submitted < ahead; submitted++) {
          Candidate c = candidates.get(submitted);
          FutureTask<Outcome> probe = new FutureTask<>(() -> probeOne(c));
          probePool.execute(probe);
          probes.set(submitted, probe);
        }
        List<Outcome> outcomes = await(probes.subList(from, to));
        for (int i = from; i < to; i++) {
          probes.set(i, null);
        }
        BatchResult r = commit(cameraId, outcomes, unreadable);
        r.failed().forEach(path -> tally.add(FileBucket.UNREADABLE, path));
        r.stillWriting().forEach(path -> tally.add(FileBucket.INCOMPLETE, path));
        for (Segment s : r.indexed()) {
          indexedPaths.add(s.path());
          tally.add(FileBucket.INDEXED, s.path());
          settler.settle(s.path(), FileBucket.INDEXED);
        }
        for (Segment s : r.replaced()) {
          tally.add(FileBucket.CHANGED, s.path());
          settler.settle(s.path(), FileBucket.CHANGED);
        }
        try {
          progress.onProgress(cameraId, to, candidates.size());
        } catch (RuntimeException e) {
          log.warn("camera {}: a progress listener failed: {}", cameraId, e.toString());
        }
      }
    } finally {
      for (Future<Outcome> f : probes) {
        if (f != null) {
          f.cancel(true); // stops the rest on failure
        }
      }
    }
    if (!indexedPaths.isEmpty()) {
      log.info("camera {}: indexed {} segment(s)", cameraId, indexedPaths.size());
    }
    if (complete) {
      // Cluster mode: every settled file of a complete listing is indexed, so a node_down gap
      // left while this camera's storage node was away closes.
      Optional<LeaseStore.Lease> lease = assignment.lease(cameraId, Duty.FILES);
      if (lease.isPresent()) {
        events.notifyListeners(gaps.onCaughtUp(cameraId, lease.get().nodeId()));
      }
    }
    FileTally counted = tally.freeze();
    warnOfNonMatchingFiles("camera " + cameraId, counted);
    return new CameraScanReport(cameraId, counted, indexedPaths, Optional.empty());
  }

  /**
   * One warning when the number of files that do not match the pattern changes, with examples, not
   * one per file: a ZoneMinder event holds hundreds of JPEG frames beside its video.
   */
  private void warnOfNonMatchingFiles(String where, FileTally files) {
    long n = files.count(FileBucket.NAME_DOES_NOT_MATCH);
    Long before = nonMatching.put(where, n);
    if (n > 0 && (before == null || before != n)) {
      log.warn(
          "{}: {} file(s) do not match naming pattern {}, e.g. {}",
          where,
          n,
          naming,
          PrintableText.of(String.join(", ", files.examples(FileBucket.NAME_DOES_NOT_MATCH))));
    }
  }

  private Path cameraDirectory(String recorderName) {
    if (!CameraNames.isSafeRecorderName(recorderName)) {
      throw new ScanFailure(
          "camera directory name " + PrintableText.of(recorderName)
              + " is not a safe relative name",
          null);
    }
    Path dir = root.resolve(recorderName);
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new ScanFailure("recordings directory " + dir + " does not exist", null);
    }
    try {
      Path real = dir.toRealPath();
      if (!real.startsWith(root.toRealPath())) {
        throw new ScanFailure(
            "recordings directory " + dir + " resolves to " + real
                + ", outside the recordings root",
            null);
      }
      if (!Files.isDirectory(real)) {
        throw new ScanFailure(dir + " is not a directory", null);
      }
      if (!Files.isReadable(real) || !Files.isExecutable(real)) {
        throw new ScanFailure(
            "recordings directory " + dir + " is not readable (permission denied)", null);
      }
      return real;
    } catch (IOException e) {
      throw new ScanFailure("cannot resolve recordings directory " + dir + ": " + e, e);
    }
  }

  /** A file under the root: its root-relative path (no {@code Path} object: a million of these are held at once). */
  private record FileEntry(String path, long size, long modifiedMillis) {
    FileEntry(String path, long size, Instant modified) {
      this(path, size, modified.toEpochMilli());
    }

    Instant modified() {
      return Instant.ofEpochMilli(modifiedMillis);
    }

    String name() {
      return path.substring(path.lastIndexOf('/') + 1);
    }
  }

  /**
   * Every regular file under {@code dir} (not links), down to {@code maxDepth} levels, listed afresh
   * with nothing remembered (for checks and one-camera scans); everything else the listing meets goes
   * to {@code others} with its reason.
   */
  private static List<FileEntry> listAll(
      Path dir, String prefix, int maxDepth, FileTally.Counter others) {
    List<FileEntry> files = new ArrayList<>();
    try {
      new ListingCache()
          .walk(dir, prefix, maxDepth, true, collecting(files, camera -> others, others));
    } catch (IOException e) {
      throw new ScanFailure("cannot list recordings directory " + dir + ": " + e, e);
    }
    return files;
  }

  /** In a layout without camera directories: every matching file under the root, by the camera its path names. */
  private Map<String, List<FileEntry>> filesByCamera() {
    Map<String, List<FileEntry>> byName = new HashMap<>();
    for (FileEntry f : listAll(root, "", naming.rootDepth(), new FileTally.Counter())) {
      naming.match(f.path(), Optional.empty()).ifPresent(m -> byName
          .computeIfAbsent(m.camera(), k -> new ArrayList<>())
          .add(f));
    }
    return byName;
  }

  private static List<Outcome> await(List<Future<Outcome>> futures) {
    List<Outcome> outcomes = new ArrayList<>(futures.size());
    try {
      for (Future<Outcome> f : futures) {
        outcomes.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ScanFailure("interrupted while probing", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ProbeUnavailableException pue) {
        throw pue;
      }
      throw new ScanFailure("probe failed: " + e.getCause(), e.getCause());
    }
    return outcomes;
  }

  private Outcome probeOne(Candidate c) {
    if (c.size() == 0) {
      return new Outcome(c, null, "empty file (0 bytes)", true);
    }
    try {
      MediaInfo media = probe.probe(root.resolve(c.path()));
      Optional<String> problem = plausibility.problem(media, c.size(), c.start(), c.nextStart());
      if (problem.isPresent()) {
        return new Outcome(c, null, problem.get(), false);
      }
      return new Outcome(c, media, null, false);
    } catch (IncompleteMediaException e) {
      return new Outcome(c, null, e.detail(), true);
    } catch (ProbeException e) {
      return new Outcome(c, null, e.detail(), false);
    } catch (ProbeUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      // A probe that breaks its contract on one file must not stop the scan; blame the file, say
      // so.
      log.warn("probe threw {} on {}", e.getClass().getName(), PrintableText.of(c.path()), e);
      return new Outcome(c, null, "probe error: " + e, false);
    }
  }

  /** What one commit did: rows inserted, rows replaced (files that changed), files failed, files still being written. */
  private record BatchResult(
      List<Segment> indexed,
      List<String> failed,
      List<String> stillWriting,
      List<Segment> replaced) {
    static final BatchResult EMPTY = new BatchResult(List.of(), List.of(), List.of(), List.of());

    BatchResult plus(BatchResult o) {
      return new BatchResult(
          concat(indexed, o.indexed),
          concat(failed, o.failed),
          concat(stillWriting, o.stillWriting),
          concat(replaced, o.replaced));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
      List<T> out = new ArrayList<>(a);
      out.addAll(b);
      return out;
    }
  }

  /**
   * Commits one batch. If the batch's transaction fails, each file is committed on its own, so one
   * file's failure is that file's failure; a file whose row the store refuses is recorded as
   * unreadable with the store's reason. Only when even that cannot be written (the database itself
   * is failing) does the camera's scan fail.
   */
  private BatchResult commit(
      String cameraId, List<Outcome> outcomes, Map<String, UnreadableFile> unreadable) {
    try {
      return commitBatch(cameraId, outcomes, unreadable);
    } catch (ProbeUnavailableException | ScanFailure e) {
      throw e;
    } catch (RuntimeException e) {
      if (outcomes.size() > 1) {
        log.debug(
            "camera {}: batch of {} failed ({}); committing file by file",
            cameraId,
            outcomes.size(),
            e.toString());
        BatchResult total = BatchResult.EMPTY;
        for (Outcome o : outcomes) {
          total = total.plus(commit(cameraId, List.of(o), unreadable));
        }
        return total;
      }
      Outcome o = outcomes.get(0);
      String reason =
          "the index refused its row: " + (e.getMessage() == null ? e.toString() : e.getMessage());
      try {
        return commitBatch(
            cameraId, List.of(new Outcome(o.candidate(), null, reason, false)), unreadable);
      } catch (RuntimeException again) {
        again.addSuppressed(e);
        throw new ScanFailure("cannot write to the index: " + again.getMessage(), again);
      }
    }
  }

  private BatchResult commitBatch(
      String cameraId, List<Outcome> outcomes, Map<String, UnreadableFile> unreadable) {
    Instant now = clock.instant();
    List<Segment> segments = new ArrayList<>();
    List<Segment> replacements = new ArrayList<>();
    List<UnreadableFile> failed = new ArrayList<>();
    List<String> stillWriting = new ArrayList<>();
    for (Outcome o : outcomes) {
      Candidate c = o.candidate();
      if (o.media() != null) {
        Segment s =
            Segment.of(cameraId, c.path(), c.start(), o.media(), c.size(), c.modified(), now);
        if (c.changed()) {
          replacements.add(s);
        } else {
          segments.add(s);
        }
      } else if (o.incomplete() && c.modified().isAfter(now.minus(incompleteGrace))) {
        // A recorder that buffers leaves a file untouched for a while before it finishes it: look
        // again later.
        stillWriting.add(c.path());
        log.debug(
            "camera {}: {} is incomplete but recent ({}); waiting",
            cameraId,
            PrintableText.of(c.path()),
            o.failure());
      } else {
        failed.add(
            new UnreadableFile(cameraId, c.path(), c.size(), c.modified(), o.failure(), now));
      }
    }
    List<HeldarEvent> raised = new ArrayList<>();
    List<Segment> inserted = store.inTransaction(() -> {
      List<Segment> ins = store.segments().insertAll(segments);
      // A file that came back changed is indexed anew: its old row is no longer missing.
      store.segments().forgetMissing(ins.stream().map(Segment::path).toList());
      for (Segment s : ins) {
        if (unreadable.containsKey(s.path())) {
          store.unreadableFiles().remove(s.path());
        }
      }
      for (Segment s : replacements) {
        Optional<Segment> old = store.segments().findByPath(s.path());
        store.segments().delete(List.of(s.path()));
        store.segments().insertAll(List.of(s));
        if (unreadable.containsKey(s.path())) {
          store.unreadableFiles().remove(s.path());
        }
        HeldarEvent e = HeldarEvent.of(
            cameraId,
            new TypedEvent.SegmentChanged(
                s.path(),
                old.map(Segment::end),
                old.isPresent() ? OptionalLong.of(old.get().sizeBytes()) : OptionalLong.empty(),
                s.end(),
                s.sizeBytes()),
            now);
        events.record(e);
        raised.add(e);
      }
      for (UnreadableFile f : failed) {
        store.unreadableFiles().put(f);
        HeldarEvent e = HeldarEvent.of(
            cameraId,
            new TypedEvent.SegmentUnreadable(
                f.path(), root.resolve(f.path()).toString(), f.reason(), f.sizeBytes()),
            now);
        events.record(e);
        raised.add(e);
      }
      if (!ins.isEmpty()) {
        store.cameraStats().addIndexed(cameraId, ins, now);
      }
      if (!replacements.isEmpty()) {
        store.cameraStats().refresh(cameraId, now);
      }
      raised.addAll(gaps.onSegmentsIndexed(cameraId, ins));
      // The replacement's neighbourhood reaches the footage on both sides, so a file that
      // grew closes the gap it had left and one that shrank opens one.
      raised.addAll(gaps.onSegmentsIndexed(cameraId, replacements));
      return ins;
    });
    for (UnreadableFile f : failed) {
      log.warn(
          "camera {}: segment {} is unreadable: {}",
          cameraId,
          PrintableText.of(f.path()),
          PrintableText.of(f.reason()));
    }
    for (Segment s : replacements) {
      log.info(
          "camera {}: {} changed on disk; re-indexed as {} .. {}",
          cameraId,
          PrintableText.of(s.path()),
          s.start(),
          s.end());
    }
    events.notifyListeners(raised);
    return new BatchResult(
        inserted, failed.stream().map(UnreadableFile::path).toList(), stillWriting, replacements);
  }

  @Override
  public List<ReconcileReport> check(boolean apply, boolean force) {
    List<ReconcileReport> out = new ArrayList<>();
    List<Camera> cameras = store.cameras().list();
    Map<String, List<FileEntry>> byName = null;
    for (Camera c : cameras) {
      List<FileEntry> files;
      if (naming.cameraDirectories()) {
        try {
          files = listAll(
              cameraDirectory(c.recorderNameOrId()),
              c.recorderNameOrId() + "/",
              naming.rootDepth() - 1,
              new FileTally.Counter());
        } catch (ScanFailure e) {
          out.add(refusedWhole(c.id(), e.getMessage()));
          continue;
        }
      } else {
        if (byName == null) {
          byName = filesByCamera();
        }
        files = byName.getOrDefault(c.recorderNameOrId(), List.of());
      }
      out.add(reconcile(c.id(), files, apply, force, new HashMap<>()));
    }
    return out;
  }

  private ReconcileReport refusedWhole(String cameraId, String why) {
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
  private ReconcileReport reconcile(
      String cameraId,
      List<FileEntry> files,
      boolean apply,
      boolean force,
      Map<String, FileVersion> indexedVersions) {
    Map<String, FileEntry> disk = new HashMap<>(Math.max(16, files.size() * 2));
    files.forEach(f -> disk.put(f.path(), f));
    long rows = 0;
    long vanished = 0;
    List<String> examples = new ArrayList<>();
    Optional<String> after = Optional.empty();
    while (true) {
      List<Map.Entry<String, FileVersion>> page =
          store.segments().versionsInPathOrder(cameraId, after, RECONCILE_PAGE);
      for (Map.Entry<String, FileVersion> row : page) {
        rows++;
        if (disk.containsKey(row.getKey())) {
          indexedVersions.put(row.getKey(), row.getValue());
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
        restorable.add(m);
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
        markVanished(cameraId, disk);
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
  private void markVanished(String cameraId, Map<String, FileEntry> disk) {
    Optional<String> after = Optional.empty();
    while (true) {
      List<Map.Entry<String, FileVersion>> page =
          store.segments().versionsInPathOrder(cameraId, after, RECONCILE_PAGE);
      List<String> gone =
          page.stream().map(Map.Entry::getKey).filter(p -> !disk.containsKey(p)).toList();
      if (!gone.isEmpty()) {
        Instant now = clock.instant();
        List<HeldarEvent> raised = new ArrayList<>();
        List<Segment> moved = store.inTransaction(() -> {
          List<Segment> m = store.segments().moveToMissing(gone, now);
          for (Segment s : m) {
            HeldarEvent e = HeldarEvent.of(
                cameraId,
                new TypedEvent.SegmentMissing(
                    s.path(), root.resolve(s.path()).toString(), s.start(), s.end()),
                now);
            events.record(e);
            raised.add(e);
          }
          gaps.onSegmentsRemoved(cameraId, m, io.heldar.core.model.GapCause.LOST);
          store.cameraStats().refresh(cameraId, now);
          return m;
        });
        events.notifyListeners(raised);
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

  private void warnOnce(String key, String format, Object... args) {
    if (warned.size() > MAX_REMEMBERED_WARNINGS) {
      warned.clear();
    }
    if (warned.add(key)) {
      log.warn(format, args);
    } else {
      log.debug(format, args);
    }
  }

  @Override
  public void close() {
    if (ownProbePool != null) {
      ownProbePool.shutdownNow();
    }
  }
}
