package io.heldar.core.index.internal;

import io.heldar.core.cluster.CameraAssignment;
import io.heldar.core.engine.internal.Engine;
import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.index.CameraNames;
import io.heldar.core.index.CameraScanReport;
import io.heldar.core.index.FileBucket;
import io.heldar.core.index.FileTally;
import io.heldar.core.index.IndexingOptions;
import io.heldar.core.index.Plausibility;
import io.heldar.core.index.ReconcileReport;
import io.heldar.core.index.ScanReport;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.index.SegmentNaming;
import io.heldar.core.index.internal.ProbePipeline.Candidate;
import io.heldar.core.model.Camera;
import io.heldar.core.model.FileVersion;
import io.heldar.core.model.PrintableText;
import io.heldar.core.model.Segment;
import io.heldar.core.model.UnreadableFile;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.ProbeUnavailableException;
import io.heldar.core.runtime.Deadline;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SegmentIndexer} over camera directories under one recordings root. A scan runs in four
 * stages: this class lists each camera (through {@link RootListing} and its {@link ListingCache}),
 * registers new cameras and classifies the files; {@link DiskReconciler} compares a complete
 * listing with the index; {@link ProbePipeline} probes the candidates a batch ahead; {@link
 * SegmentCommitter} commits each batch.
 */
public final class DirectorySegmentIndexer implements SegmentIndexer, Engine {
  private static final Logger log = LoggerFactory.getLogger(DirectorySegmentIndexer.class);
  private static final int MAX_REMEMBERED_WARNINGS = 100_000;

  private final EngineContext context;
  private final HeldarStore store;
  private final Path root;
  private final SegmentNaming naming;
  private final Duration settleTime;
  /** How long a recently written file stays watched after it is indexed (see ListingCache). */
  private final Duration incompleteGrace;

  private final Clock clock;
  private final EventPublisher events;
  private final GapDetector gaps;
  private final boolean discoverCameras;
  /** Names rejected as cameras and already warned about (bounded by the directories on disk). */
  private final Set<String> rejectedNames = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final Duration reconcileInterval;
  private final SegmentIndexer.ProgressListener progress;
  private final RootListing listing;
  private final ProbePipeline probing;
  private final SegmentCommitter committer;
  private final DiskReconciler reconciler;
  private final Ticker ticker;
  private final CameraAssignment assignment;
  /** When each camera was last reconciled with the disk (monotonic nanos). */
  private final Map<String, Long> lastReconciled = new ConcurrentHashMap<>();
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

  /**
   * The indexer of the context's recordings root, probed by the context's probe, as {@code options}
   * say. Use {@link SegmentIndexer#builder()} outside Heldar.
   *
   * @throws IllegalArgumentException when the recordings root is not a directory
   */
  public DirectorySegmentIndexer(
      EngineContext context, IndexingOptions options, SegmentIndexer.ProgressListener progress) {
    this.context = context;
    this.store = context.store();
    this.assignment = context.assignment();
    this.root = context.requireRecordingsRoot("indexing");
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("recordings root is not a directory: " + root);
    }
    MediaProbe probe =
        context.probe().orElseThrow(() -> new IllegalStateException("indexing needs a probe"));
    this.naming = options.naming();
    this.settleTime = options.settleTime();
    this.incompleteGrace = options.incompleteGrace();
    this.clock = context.clock();
    this.events = context.events();
    this.gaps = context.gaps();
    this.discoverCameras = options.discoverCameras();
    this.reconcileInterval = options.reconcileInterval();
    this.progress = progress;
    this.ticker = context.ticker();
    this.listing = new RootListing(root, naming);
    // The host's executor when it gave one (never shut down here), else Heldar's own daemon pool.
    this.probing = new ProbePipeline(
        probe,
        root,
        new Plausibility(options.maxSegmentDuration()),
        options.batchSize(),
        options.probeParallelism(),
        context.probeExecutor());
    // Rows and events are stamped on the storage's clock where it was measured (see
    // measureStorageClock): a node whose clock is off writes created_at as the storage saw it.
    this.committer =
        new SegmentCommitter(store, root, storageClock(clock), events, gaps, incompleteGrace);
    this.reconciler = new DiskReconciler(store, root, clock, events, gaps, options.vanishGuard());
  }

  @Override
  public String name() {
    return "segment-indexer";
  }

  /** The engine's tick: one scan, its report to the metrics; the next at the scan interval. */
  @Override
  public Duration tick() {
    scanning = true;
    try {
      context.observer().onScan(scanOnce());
    } finally {
      scanning = false;
    }
    return Engine.AT_PACE;
  }

  /** Whether a scheduled scan is under way (tier moves yield to it). */
  public boolean scanning() {
    return scanning;
  }

  private volatile boolean scanning;

  @Override
  public void stop(Deadline deadline) {
    probing.close(deadline);
  }

  @Override
  public ScanReport scanOnce() {
    measureStorageClock();
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
      if (name.equals(ListingCache.STORAGE_CLOCK_DIR)) {
        continue; // Heldar's own: where it reads the storage's clock
      }
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
      } else if (!CameraNames.isSafeRecorderName(name)) {
        rejectName(name, shown, outside);
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
              RootListing.collecting(files, camera -> ignored, ignored));
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
    ListingCache cache = listings.computeIfAbsent("", k -> new ListingCache(incompleteGrace));
    List<FileEntry> all = new ArrayList<>();
    Map<String, FileTally.Counter> settledByCamera = new HashMap<>();
    try {
      cache.walk(
          root,
          "",
          naming.rootDepth(),
          complete,
          RootListing.collecting(
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
      if (m.isPresent() && !CameraNames.isSafeRecorderName(m.get().camera())) {
        rejectName(m.get().camera(), f.path(), outside);
        cache.settle(f.path(), null, FileBucket.UNUSABLE_CAMERA_NAME);
        continue;
      }
      if (m.isEmpty()) {
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
   * A directory (or the camera part of a path) whose name cannot be a camera: counted in {@code
   * outside} under {@link FileBucket#UNUSABLE_CAMERA_NAME}, warned about and raised as {@code
   * camera_name_rejected} once per name while this indexer lives; no other camera is affected.
   */
  private void rejectName(String name, String shown, FileTally.Counter outside) {
    outside.add(FileBucket.UNUSABLE_CAMERA_NAME, shown);
    if (rejectedNames.add(name)) {
      String why = CameraNames.whyUnsafe(name).orElse("a name a camera cannot carry");
      log.warn(
          "{} under {} cannot be a camera ({}): its files are not indexed; rename it to index them",
          PrintableText.of(name),
          root,
          why);
      events.publish(
          HeldarEvent.global(new TypedEvent.CameraNameRejected(name, why), clock.instant()));
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
      Camera camera;
      try {
        camera = new Camera(id, name, Optional.empty(), clock.instant(), Optional.of(name));
      } catch (IllegalArgumentException invalid) {
        // a name the layout let through but a camera cannot carry: it fails alone
        rejectName(name, name, new FileTally.Counter());
        continue;
      }
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
    t.counts()
        .forEach((bucket, n) -> RootListing.addCounted(target, bucket, n, t.examples(bucket)));
  }

  @Override
  public CameraScanReport scanCamera(String cameraId) {
    measureStorageClock();
    Camera.requireValidId(cameraId);
    Optional<Camera> camera = store.cameras().find(cameraId);
    return scanCamera(cameraId, camera.map(Camera::recorderNameOrId).orElse(cameraId));
  }

  private CameraScanReport scanCamera(String cameraId, String recorderName) {
    try {
      CameraScanReport report;
      if (naming.cameraDirectories()) {
        FileTally.Counter tally = new FileTally.Counter();
        Path dir = listing.cameraDirectory(recorderName);
        boolean complete = reconcileDue(cameraId);
        ListingCache cache =
            listings.computeIfAbsent(cameraId, k -> new ListingCache(incompleteGrace));
        List<FileEntry> files = new ArrayList<>();
        try {
          cache.walk(
              dir,
              recorderName + "/",
              naming.rootDepth() - 1,
              complete,
              RootListing.collecting(files, camera -> tally, tally));
        } catch (IOException e) {
          throw new ScanFailure("cannot list recordings directory " + dir + ": " + e, e);
        }
        report = scanFilesOf(
            cameraId, files, tally, complete, (path, bucket) -> cache.settle(path, null, bucket));
      } else {
        report = scanFilesOf(
            cameraId,
            listing.filesByCamera().getOrDefault(recorderName, List.of()),
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
      reconciler.reconcile(cameraId, files, true, false, indexedVersions);
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
    Instant settledBefore = storageNow(cameraId, files).minus(settleTime);

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
    probing.run(candidates, (outcomes, done) -> {
      SegmentCommitter.BatchResult r = committer.commit(cameraId, outcomes, unreadable);
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
        progress.onProgress(cameraId, done, candidates.size());
      } catch (RuntimeException e) {
        log.warn("camera {}: a progress listener failed: {}", cameraId, e.toString());
      }
    });
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

  @Override
  public List<ReconcileReport> check(boolean apply, boolean force) {
    List<ReconcileReport> out = new ArrayList<>();
    List<Camera> cameras = store.cameras().list();
    Map<String, List<FileEntry>> byName = null;
    for (Camera c : cameras) {
      List<FileEntry> files;
      if (naming.cameraDirectories()) {
        try {
          files = RootListing.listAll(
              listing.cameraDirectory(c.recorderNameOrId()),
              c.recorderNameOrId() + "/",
              naming.rootDepth() - 1,
              new FileTally.Counter());
        } catch (ScanFailure e) {
          out.add(reconciler.refusedWhole(c.id(), e.getMessage()));
          continue;
        }
      } else {
        if (byName == null) {
          byName = listing.filesByCamera();
        }
        files = byName.getOrDefault(c.recorderNameOrId(), List.of());
      }
      out.add(reconciler.reconcile(c.id(), files, apply, force, new HashMap<>()));
    }
    return out;
  }

  /** The storage's clock minus this node's, as last measured; null when it could not be. */
  private volatile Duration storageOffset;

  /**
   * Measures the storage's own clock: an empty file created in {@code .heldar-clock/} under the
   * root takes the file system's time as its modification time (on a network file system, the
   * server's), compared with this node's clock, then removed. Once per scan; a root this process
   * cannot write leaves it unmeasured.
   */
  private void measureStorageClock() {
    Path dir = root.resolve(ListingCache.STORAGE_CLOCK_DIR);
    Path probe = dir.resolve(
        ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()) + ".tmp");
    try {
      // A directory of its own, so the root's time (and its listing) does not change every scan;
      // the walks pass over it.
      Files.createDirectories(dir);
      Instant before = clock.instant();
      Files.write(probe, new byte[0]);
      Instant after = clock.instant();
      Instant fs = Files.getLastModifiedTime(probe).toInstant();
      Instant mid = before.plus(Duration.between(before, after).dividedBy(2));
      Duration offset = Duration.between(mid, fs);
      Duration previous = storageOffset;
      storageOffset = offset;
      if (offset.abs().compareTo(settleTime) > 0
          && (previous == null || offset.minus(previous).abs().compareTo(settleTime) > 0)) {
        log.warn(
            "the storage's clock is {} {} this node's: {}",
            offset.abs(),
            offset.isNegative() ? "behind" : "ahead of",
            offset.abs().compareTo(MAX_CLOCK_CORRECTION) <= 0
                ? "files are taken as settled by the storage's time"
                : "more than " + MAX_CLOCK_CORRECTION + ", not believed; this node's clock counts");
      }
    } catch (IOException | RuntimeException e) {
      if (storageOffset != null || warned.add("storage-clock")) {
        log.debug("cannot measure the storage's clock under {}: {}", root, e.toString());
      }
      storageOffset = null;
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException e) {
        log.debug("cannot remove {}: {}", probe, e.toString());
      }
    }
  }

  /**
   * How far a node's clock behind the storage's is followed when the storage's clock could not be
   * measured: files modified up to this far in the node's future set "now" for settledness; a file
   * further ahead (a bogus time) does not.
   */
  static final Duration MAX_CLOCK_CORRECTION = Duration.ofMinutes(15);

  /**
   * "Now" as the storage sees it, for settledness: this node's clock corrected by the storage's
   * measured offset (see {@link #measureStorageClock}); where the root cannot be written, this
   * node's clock or the newest modification time among the camera's files when that is later
   * (within {@link #MAX_CLOCK_CORRECTION}: a recording camera's newest file is being written now).
   * So a node whose clock is off the storage's takes a closed file as settled once it is {@code
   * settleTime} old on the storage's clock, not the skew later (or earlier).
   */
  /**
   * The storage's measured offset when it is believed: more than the settle time (less is noise)
   * and at most {@link #MAX_CLOCK_CORRECTION} (more: a file system with odd times, an injected
   * clock); empty otherwise, or when it could not be measured.
   */
  private Optional<Duration> believedOffset() {
    Duration offset = storageOffset;
    return offset != null
            && offset.abs().compareTo(settleTime) > 0
            && offset.abs().compareTo(MAX_CLOCK_CORRECTION) <= 0
        ? Optional.of(offset)
        : Optional.empty();
  }

  /** {@code base} corrected by the storage's believed offset. */
  private Clock storageClock(Clock base) {
    return new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return base.getZone();
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return storageClock(base.withZone(zone));
      }

      @Override
      public Instant instant() {
        Instant now = base.instant();
        return believedOffset().map(now::plus).orElse(now);
      }
    };
  }

  private Instant storageNow(String cameraId, List<FileEntry> files) {
    Instant now = clock.instant();
    if (storageOffset != null) {
      return believedOffset().map(now::plus).orElse(now);
    }
    Instant newest = now;
    for (FileEntry f : files) {
      if (f.modified().isAfter(newest) && !f.modified().isAfter(now.plus(MAX_CLOCK_CORRECTION))) {
        newest = f.modified();
      }
    }
    Duration ahead = Duration.between(now, newest);
    if (ahead.compareTo(settleTime) > 0) {
      warnOnce(
          "clock-behind:" + cameraId,
          "camera {}: files are modified up to {} after this node's clock: its clock is behind the"
              + " storage's; files are taken as settled by their own times",
          cameraId,
          ahead);
    }
    return newest;
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
    stop(Deadline.after(context.runtime().stopTimeout()));
  }
}
