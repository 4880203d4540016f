package io.heldar.core.index.internal;

import io.heldar.core.event.EventPublisher;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.index.CameraScanReport;
import io.heldar.core.index.ScanReport;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.index.Plausibility;
import io.heldar.core.index.SegmentNaming;
import io.heldar.core.internal.Threads;
import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.FileVersion;
import io.heldar.core.model.HeldarEvent;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.PrintableText;
import io.heldar.core.model.Segment;
import io.heldar.core.model.Severity;
import io.heldar.core.model.UnreadableFile;
import io.heldar.core.probe.IncompleteMediaException;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.ProbeException;
import io.heldar.core.probe.ProbeUnavailableException;
import io.heldar.core.store.HeldarStore;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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
  private final ExecutorService probePool;
  /** Files already warned about (unparseable name, DST resolution): one warning per file, not per scan. */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  /** The last scan failure per camera, so a broken directory raises one event, not one per tick. */
  private final Map<String, String> lastFailure = new ConcurrentHashMap<>();
  /** Per camera: the indexed paths of its last listing (bounded by one listing, not by the index). */
  private final Map<String, Map<String, FileVersion>> knownByCamera = new ConcurrentHashMap<>();

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
      GapDetector gaps) {
    this.store = store;
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
    ThreadPoolExecutor pool = Threads.pool("heldar-probe-", probeParallelism, new LinkedBlockingQueue<>());
    this.probePool = pool;
  }

  @Override
  public ScanReport scanOnce() {
    Instant startedAt = clock.instant();
    long t0 = System.nanoTime();
    List<CameraScanReport> reports = new ArrayList<>();
    for (Camera camera : store.cameras().list()) {
      reports.add(scanCamera(camera.id()));
    }
    ScanReport report = new ScanReport(startedAt, Duration.ofNanos(System.nanoTime() - t0), reports);
    log.debug("scan of {} camera(s) indexed {} segment(s) in {}", reports.size(), report.indexed(), report.took());
    return report;
  }

  @Override
  public CameraScanReport scanCamera(String cameraId) {
    Camera.requireValidId(cameraId);
    try {
      CameraScanReport report = scan(cameraId);
      if (lastFailure.remove(cameraId) != null) {
        log.info("camera {}: recordings directory readable again", cameraId);
      }
      return report;
    } catch (ScanFailure e) {
      return failed(cameraId, e.getMessage(), e.getCause());
    } catch (ProbeUnavailableException e) {
      return failed(cameraId, "probe unavailable: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      return failed(cameraId, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private CameraScanReport failed(String cameraId, String reason, Throwable cause) {
    String previous = lastFailure.put(cameraId, reason);
    if (!reason.equals(previous)) {
      log.warn("camera {}: scan failed: {}", cameraId, reason, cause);
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("directory", root.resolve(cameraId).toString());
      payload.put("reason", reason);
      events.publish(HeldarEvent.of(cameraId, EventKinds.CAMERA_SCAN_FAILED, Severity.ERROR, payload, clock.instant()));
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
  private record Candidate(String path, Instant start, long size, Instant modified, Optional<Instant> nextStart, boolean changed) {}

  private record Outcome(Candidate candidate, MediaInfo media, String failure, boolean incomplete) {}

  private CameraScanReport scan(String cameraId) {
    Path dir = cameraDirectory(cameraId);
    List<FileEntry> files = list(dir, cameraId);
    // Known = indexed paths seen in the previous listing, with the version indexed; only the rest is
    // looked up, in batches. A rescan with nothing new therefore costs the listing, not work per
    // indexed segment, and the memory kept is bounded by one listing.
    Map<String, FileVersion> previous = knownByCamera.getOrDefault(cameraId, Map.of());
    List<String> unknown = new ArrayList<>();
    for (FileEntry f : files) {
      if (!previous.containsKey(f.path())) {
        unknown.add(f.path());
      }
    }
    Map<String, FileVersion> indexedNow = unknown.isEmpty() ? Map.of() : store.segments().versionsAmong(unknown);
    Map<String, FileVersion> known = new HashMap<>(Math.max(16, files.size() * 2));
    Set<String> changed = new HashSet<>();
    List<String> toCheck = new ArrayList<>();
    for (FileEntry f : files) {
      FileVersion v = previous.get(f.path());
      if (v == null) {
        v = indexedNow.get(f.path());
      }
      if (v == null) {
        toCheck.add(f.path());
      } else {
        known.put(f.path(), v);
        if (v.sizeBytes() != f.size() || !v.modified().equals(f.modified())) {
          changed.add(f.path());
          toCheck.add(f.path());
        }
      }
    }
    Map<String, UnreadableFile> unreadable = toCheck.isEmpty() ? Map.of() : store.unreadableFiles().among(toCheck);
    Instant now = clock.instant();
    Instant settledBefore = now.minus(settleTime);

    int unsettled = 0;
    int unparseable = 0;
    int knownUnreadable = 0;
    int ignored = 0;
    List<Candidate> candidates = new ArrayList<>();
    for (FileEntry f : files) {
      boolean isChanged = changed.contains(f.path());
      if (known.containsKey(f.path()) && !isChanged) {
        continue;
      }
      String name = f.file().getFileName().toString();
      if (name.startsWith(".") || name.endsWith(".tmp") || name.endsWith(".part")) {
        ignored++;
        continue;
      }
      String inCamera = f.path().substring(cameraId.length() + 1);
      Optional<SegmentNaming.ParsedName> parsed = naming.parse(inCamera, Optional.of(f.modified()));
      if (parsed.isEmpty()) {
        unparseable++;
        warnOnce(f.path(), "camera {}: skipping {}: name does not match naming pattern {}", cameraId, PrintableText.of(f.path()), naming);
        continue;
      }
      parsed.get().note().ifPresent(note -> warnOnce(f.path(), "camera {}: {}: {}", cameraId, PrintableText.of(f.path()), note));
      if (f.modified().isAfter(settledBefore)) {
        unsettled++;
        continue;
      }
      UnreadableFile failedBefore = unreadable.get(f.path());
      if (failedBefore != null && failedBefore.sameVersion(f.size(), f.modified())) {
        knownUnreadable++;
        continue;
      }
      candidates.add(new Candidate(f.path(), parsed.get().start(), f.size(), f.modified(), Optional.empty(), isChanged));
    }
    candidates.sort(Comparator.comparing(Candidate::start).thenComparing(Candidate::path));
    // Each file learns where the next one starts: a duration far past it is implausible.
    for (int i = candidates.size() - 2; i >= 0; i--) {
      Candidate c = candidates.get(i);
      Candidate next = candidates.get(i + 1);
      Optional<Instant> nextStart = next.start().isAfter(c.start()) ? Optional.of(next.start()) : next.nextStart();
      candidates.set(i, new Candidate(c.path(), c.start(), c.size(), c.modified(), nextStart, c.changed()));
    }

    List<String> indexedPaths = new ArrayList<>();
    int failures = 0;
    int replaced = 0;
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
          probes.set(submitted, probePool.submit(() -> probeOne(c)));
        }
        List<Outcome> outcomes = await(probes.subList(from, to));
        for (int i = from; i < to; i++) {
          probes.set(i, null);
        }
        BatchResult r = commit(cameraId, outcomes, unreadable);
        failures += r.failures();
        unsettled += r.stillWriting();
        replaced += r.replaced().size();
        for (Segment s : r.indexed()) {
          indexedPaths.add(s.path());
          known.put(s.path(), new FileVersion(s.sizeBytes(), s.fileModified()));
        }
        for (Segment s : r.replaced()) {
          known.put(s.path(), new FileVersion(s.sizeBytes(), s.fileModified()));
        }
      }
    } finally {
      for (Future<Outcome> f : probes) {
        if (f != null) {
          f.cancel(true); // stops the rest on failure
        }
      }
    }
    knownByCamera.put(cameraId, known);
    if (!indexedPaths.isEmpty()) {
      log.info("camera {}: indexed {} segment(s)", cameraId, indexedPaths.size());
    }
    return new CameraScanReport(
        cameraId, indexedPaths.size(), unsettled, unparseable, failures, knownUnreadable, ignored, replaced, indexedPaths, Optional.empty());
  }

  private Path cameraDirectory(String cameraId) {
    Path dir = root.resolve(cameraId);
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new ScanFailure("recordings directory " + dir + " does not exist", null);
    }
    try {
      Path real = dir.toRealPath();
      if (!real.startsWith(root.toRealPath())) {
        throw new ScanFailure("recordings directory " + dir + " resolves to " + real + ", outside the recordings root", null);
      }
      if (!Files.isDirectory(real)) {
        throw new ScanFailure(dir + " is not a directory", null);
      }
      if (!Files.isReadable(real) || !Files.isExecutable(real)) {
        throw new ScanFailure("recordings directory " + dir + " is not readable (permission denied)", null);
      }
      return real;
    } catch (IOException e) {
      throw new ScanFailure("cannot resolve recordings directory " + dir + ": " + e, e);
    }
  }

  private record FileEntry(Path file, String path, long size, Instant modified) {}

  /** Regular files (not links) down to the naming pattern's depth, with their root-relative paths. */
  private List<FileEntry> list(Path dir, String cameraId) {
    List<FileEntry> out = new ArrayList<>();
    try {
      Files.walkFileTree(dir, EnumSet.noneOf(java.nio.file.FileVisitOption.class), naming.depth(), new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) {
            StringBuilder rel = new StringBuilder(cameraId);
            for (Path element : dir.relativize(file)) {
              rel.append('/').append(element);
            }
            // Millisecond precision: what the store keeps, so "unchanged since it failed" compares equal.
            Instant modified = attrs.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.MILLIS);
            out.add(new FileEntry(file, rel.toString(), attrs.size(), modified));
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          if (file.equals(dir)) {
            throw new ScanFailure("cannot list recordings directory " + dir + ": " + e, e);
          }
          warnOnce(file.toString(), "camera {}: cannot read {}: {}", cameraId, file, e.toString());
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new ScanFailure("cannot list recordings directory " + dir + ": " + e, e);
    }
    return out;
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
      // A probe that breaks its contract on one file must not stop the scan; blame the file, say so.
      log.warn("probe threw {} on {}", e.getClass().getName(), PrintableText.of(c.path()), e);
      return new Outcome(c, null, "probe error: " + e, false);
    }
  }

  /** What one commit did: rows inserted, rows replaced (files that changed), failures, files still being written. */
  private record BatchResult(List<Segment> indexed, int failures, int stillWriting, List<Segment> replaced) {
    static final BatchResult EMPTY = new BatchResult(List.of(), 0, 0, List.of());

    BatchResult plus(BatchResult o) {
      List<Segment> i = new ArrayList<>(indexed);
      i.addAll(o.indexed);
      List<Segment> r = new ArrayList<>(replaced);
      r.addAll(o.replaced);
      return new BatchResult(i, failures + o.failures, stillWriting + o.stillWriting, r);
    }
  }

  /**
   * Commits one batch. If the batch's transaction fails, each file is committed on its own, so one
   * file's failure is that file's failure; a file whose row the store refuses is recorded as
   * unreadable with the store's reason. Only when even that cannot be written (the database itself
   * is failing) does the camera's scan fail.
   */
  private BatchResult commit(String cameraId, List<Outcome> outcomes, Map<String, UnreadableFile> unreadable) {
    try {
      return commitBatch(cameraId, outcomes, unreadable);
    } catch (ProbeUnavailableException | ScanFailure e) {
      throw e;
    } catch (RuntimeException e) {
      if (outcomes.size() > 1) {
        log.debug("camera {}: batch of {} failed ({}); committing file by file", cameraId, outcomes.size(), e.toString());
        BatchResult total = BatchResult.EMPTY;
        for (Outcome o : outcomes) {
          total = total.plus(commit(cameraId, List.of(o), unreadable));
        }
        return total;
      }
      Outcome o = outcomes.get(0);
      String reason = "the index refused its row: " + (e.getMessage() == null ? e.toString() : e.getMessage());
      try {
        return commitBatch(cameraId, List.of(new Outcome(o.candidate(), null, reason, false)), unreadable);
      } catch (RuntimeException again) {
        again.addSuppressed(e);
        throw new ScanFailure("cannot write to the index: " + again.getMessage(), again);
      }
    }
  }

  private BatchResult commitBatch(String cameraId, List<Outcome> outcomes, Map<String, UnreadableFile> unreadable) {
    Instant now = clock.instant();
    List<Segment> segments = new ArrayList<>();
    List<Segment> replacements = new ArrayList<>();
    List<UnreadableFile> failed = new ArrayList<>();
    int stillWriting = 0;
    for (Outcome o : outcomes) {
      Candidate c = o.candidate();
      if (o.media() != null) {
        Segment s = Segment.of(cameraId, c.path(), c.start(), o.media(), c.size(), c.modified(), now);
        if (c.changed()) {
          replacements.add(s);
        } else {
          segments.add(s);
        }
      } else if (o.incomplete() && c.modified().isAfter(now.minus(incompleteGrace))) {
        // A recorder that buffers leaves a file untouched for a while before it finishes it: look again later.
        stillWriting++;
        log.debug("camera {}: {} is incomplete but recent ({}); waiting", cameraId, PrintableText.of(c.path()), o.failure());
      } else {
        failed.add(new UnreadableFile(cameraId, c.path(), c.size(), c.modified(), o.failure(), now));
      }
    }
    List<HeldarEvent> raised = new ArrayList<>();
    List<Segment> inserted =
        store.inTransaction(
            () -> {
              List<Segment> ins = store.segments().insertAll(segments);
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
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("path", s.path());
                old.ifPresent(
                    o -> {
                      payload.put("old_end", o.end().toString());
                      payload.put("old_size_bytes", o.sizeBytes());
                    });
                payload.put("end", s.end().toString());
                payload.put("size_bytes", s.sizeBytes());
                HeldarEvent e = HeldarEvent.of(cameraId, EventKinds.SEGMENT_CHANGED, Severity.INFO, payload, now);
                events.record(e);
                raised.add(e);
              }
              for (UnreadableFile f : failed) {
                store.unreadableFiles().put(f);
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("path", f.path());
                payload.put("file", root.resolve(f.path()).toString());
                payload.put("reason", f.reason());
                payload.put("size_bytes", f.sizeBytes());
                HeldarEvent e = HeldarEvent.of(cameraId, EventKinds.SEGMENT_UNREADABLE, Severity.WARNING, payload, now);
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
      log.warn("camera {}: segment {} is unreadable: {}", cameraId, PrintableText.of(f.path()), PrintableText.of(f.reason()));
    }
    for (Segment s : replacements) {
      log.info("camera {}: {} changed on disk; re-indexed as {} .. {}", cameraId, PrintableText.of(s.path()), s.start(), s.end());
    }
    events.notifyListeners(raised);
    return new BatchResult(inserted, failed.size(), stillWriting, replacements);
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
    probePool.shutdownNow();
  }
}
