package io.heldar.core.heal.internal;

import io.heldar.core.cluster.CameraAssignment;
import io.heldar.core.engine.internal.Engine;
import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.heal.EdgeFetch;
import io.heldar.core.heal.EdgeSource;
import io.heldar.core.heal.HealAttempt;
import io.heldar.core.heal.HealOptions;
import io.heldar.core.index.SegmentNaming;
import io.heldar.core.model.Camera;
import io.heldar.core.model.GapCause;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.PrintableText;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.model.Segment;
import io.heldar.core.model.SegmentSpan;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.ProbeException;
import io.heldar.core.runtime.Deadline;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.store.LeaseStore.Duty;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heals recording gaps from the cameras' own storage. Each round, per camera this node files and
 * the edge covers: its open gaps of cause {@code missing} or {@code node_down} that ended within
 * {@link HealOptions#maxAge()}, newest first, are cut into ranges of at most {@link
 * HealOptions#chunk()} (from the gap's start, so a range keeps its start from round to round); up
 * to {@link HealOptions#fetchesPerCamera()} ranges not given up and not waiting out a backoff are
 * fetched, at most {@link HealOptions#concurrentFetches()} at once over all cameras, each into a
 * temporary file under {@code <root>/.heldar-heal/}, checked (probed; no longer than asked; the
 * camera's codec; not overlapping indexed footage; a name the layout gives that instant), and
 * renamed into the camera's directory under that name. The indexer then indexes it like any
 * segment, which closes or shrinks the gap the ordinary way: the index stays the one truth.
 *
 * <p>Every outcome is a row of {@code gap_heals} (tries, backoff and the reason survive restarts)
 * and an event: {@code gap_healed} (with the seconds, whether it was partial and the source),
 * {@code gap_heal_failed} with the reason ({@code edge_has_no_footage}, {@code edge_unreachable},
 * {@code edge_footage_rejected}, {@code heal_error}), the try and whether the range is given up
 * (after {@link HealOptions#maxTries()}).
 */
public final class GapHealer implements Engine {
  private static final Logger log = LoggerFactory.getLogger(GapHealer.class);
  /** The directory under the recordings root fetches are written to (hidden from the indexer). */
  public static final String WORK_DIRECTORY = ".heldar-heal";

  /** Why a range was not healed. */
  public static final String NO_FOOTAGE = "edge_has_no_footage";
  /** See {@link #NO_FOOTAGE}. */
  public static final String UNREACHABLE = "edge_unreachable";
  /** See {@link #NO_FOOTAGE}. */
  public static final String REJECTED = "edge_footage_rejected";
  /** See {@link #NO_FOOTAGE}: an unexpected error in Heldar or its store. */
  public static final String ERROR = "heal_error";

  /** How long a landed file may stay unindexed before its camera is healed again anyway. */
  private static final Duration INDEX_WAIT = Duration.ofMinutes(10);

  private final HeldarStore store;
  private final Clock clock;
  private final EventPublisher events;
  private final CameraAssignment assignment;
  private final Path root;
  private final MediaProbe probe;
  private final EdgeSource edge;
  private final HealOptions options;
  private final SegmentNaming naming;
  private final Path work;
  /** Healed files not indexed yet, by path: their camera waits until they are. */
  private final Map<String, Landed> landed = new ConcurrentHashMap<>();

  private volatile boolean stopping;
  private volatile ExecutorService fetchers;

  private record Landed(String cameraId, String path, Instant at) {}

  /** One range to fetch, with what was tried on it before (if it failed). */
  private record Range(Camera camera, Instant from, Instant to, Optional<HealAttempt> before) {}

  /** The healer of the context's cameras from {@code edge}, naming files as {@code naming} does. */
  public GapHealer(
      EngineContext context, EdgeSource edge, HealOptions options, SegmentNaming naming) {
    this.store = context.store();
    this.clock = context.clock();
    this.events = context.events();
    this.assignment = context.assignment();
    this.root = context.requireRecordingsRoot("gap healing");
    this.probe =
        context.probe().orElseThrow(() -> new IllegalStateException("gap healing needs the probe"));
    this.edge = edge;
    this.options = options;
    this.naming = naming;
    this.work = root.resolve(WORK_DIRECTORY);
  }

  @Override
  public String name() {
    return "gap-healer";
  }

  /**
   * Removes what fetches a crash interrupted left in the work directory, and starts the fetch
   * threads.
   */
  @Override
  public void start() {
    stopping = false;
    if (Files.isDirectory(work)) {
      try (Stream<Path> left = Files.list(work)) {
        for (Path p : left.toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        log.warn("gap healing: cannot clear {}: {}", work, e.toString());
      }
    }
    AtomicInteger n = new AtomicInteger();
    fetchers = Executors.newFixedThreadPool(options.concurrentFetches(), r -> {
      Thread t = new Thread(r, "heldar-heal-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public Duration tick() {
    round();
    return AT_PACE;
  }

  /** Interrupts fetches under way; what they wrote stays in the work directory until next start. */
  @Override
  public void stop(Deadline deadline) {
    stopping = true;
    ExecutorService pool = fetchers;
    if (pool != null) {
      pool.shutdownNow();
      try {
        if (!pool.awaitTermination(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("gap healing: fetches still running at the stop deadline");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One round: a few ranges per camera, fetched in parallel. Returns how many were healed. */
  public int round() {
    ExecutorService pool = fetchers;
    if (pool == null) {
      throw new IllegalStateException("gap healing is not started");
    }
    Instant now = clock.instant();
    List<Future<Boolean>> running = new ArrayList<>();
    for (Camera c : store.cameras().list()) {
      if (stopping) {
        break;
      }
      if (!assignment.owns(c.id(), Duty.FILES) || !edge.covers(c) || waitsForIndexing(c, now)) {
        continue;
      }
      List<Range> ranges;
      try {
        ranges = pick(c, now);
      } catch (RuntimeException e) {
        log.warn("gap healing: camera {}: cannot read its gaps: {}", c.id(), e.toString());
        continue;
      }
      for (Range r : ranges) {
        try {
          running.add(pool.submit(() -> healSafely(r, now)));
        } catch (RejectedExecutionException e) {
          return awaitAll(running); // stopping
        }
      }
    }
    return awaitAll(running);
  }

  private static int awaitAll(List<Future<Boolean>> running) {
    int healed = 0;
    for (Future<Boolean> f : running) {
      try {
        healed += f.get() ? 1 : 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running.forEach(r -> r.cancel(true));
        break;
      } catch (ExecutionException | CancellationException e) {
        log.debug("gap healing: a fetch ended abruptly: {}", e.toString());
      }
    }
    return healed;
  }

  /** Whether one of the camera's healed files is still to be indexed (then it waits). */
  private boolean waitsForIndexing(Camera c, Instant now) {
    boolean waits = false;
    for (Landed l : List.copyOf(landed.values())) {
      if (!l.cameraId().equals(c.id())) {
        continue;
      }
      if (store.segments().findByPath(l.path()).isPresent()
          || Duration.between(l.at(), now).compareTo(INDEX_WAIT) > 0
          || !Files.exists(root.resolve(l.path()))) {
        landed.remove(l.path());
      } else {
        waits = true;
      }
    }
    return waits;
  }

  /**
   * Up to {@link HealOptions#fetchesPerCamera()} ranges of the camera's gaps to fetch now, newest
   * gap first. A range's start is its gap's start plus whole chunks, so it is the same round after
   * round and its tries add up.
   */
  private List<Range> pick(Camera c, Instant now) {
    Instant oldest = now.minus(options.maxAge());
    List<RecordingGap> gaps =
        new ArrayList<>(store.gaps().list(c.id(), Optional.of(GapStatus.OPEN)));
    gaps.removeIf(g -> (g.cause() != GapCause.MISSING && g.cause() != GapCause.NODE_DOWN)
        || !g.end().isAfter(oldest));
    gaps.sort(Comparator.comparing(RecordingGap::end).reversed());
    List<Range> out = new ArrayList<>();
    long chunkMs = options.chunk().toMillis();
    for (RecordingGap g : gaps) {
      Instant from = g.start();
      if (from.isBefore(oldest)) {
        long skip = Duration.between(from, oldest).toMillis() / chunkMs;
        from = from.plusMillis(skip * chunkMs);
      }
      List<HealAttempt> tried = store.heals().overlapping(c.id(), from, g.end(), 10_000);
      while (from.isBefore(g.end()) && out.size() < options.fetchesPerCamera()) {
        Instant to = min(from.plus(options.chunk()), g.end());
        Optional<HealAttempt> before = covering(tried, from);
        boolean blocked = before.isPresent()
            && (before.get().outcome() == HealAttempt.Outcome.GIVEN_UP
                || before.get().nextTryAt().map(t -> t.isAfter(now)).orElse(false));
        if (!blocked) {
          // The tries add up on the same range; a range that starts elsewhere now starts afresh.
          Instant start = from;
          out.add(new Range(c, from, to, before.filter(a -> a.from().equals(start))));
        }
        from = to;
      }
      if (out.size() >= options.fetchesPerCamera()) {
        break;
      }
    }
    return out;
  }

  /** The failed attempt whose range holds {@code at}, if any. */
  private static Optional<HealAttempt> covering(List<HealAttempt> tried, Instant at) {
    for (HealAttempt a : tried) {
      if (!a.from().isAfter(at) && a.to().isAfter(at) && !a.landed()) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** {@link #heal}, turning every unexpected error into a recorded failure with its reason. */
  private boolean healSafely(Range r, Instant now) {
    try {
      return heal(r, now);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (RuntimeException | IOException e) {
      if (stopping) {
        return false;
      }
      log.warn("gap healing: camera {}: {}", r.camera().id(), e.toString(), e);
      failed(r, ERROR, e.toString(), now);
      return false;
    }
  }

  private boolean heal(Range r, Instant now) throws IOException, InterruptedException {
    Camera c = r.camera();
    Files.createDirectories(work);
    Path temp = work.resolve(c.id() + "-" + r.from().toEpochMilli() + ".mp4");
    Files.deleteIfExists(temp);
    Files.createFile(temp);
    try {
      EdgeFetch fetched = edge.fetch(
          new EdgeSource.Request(
              c,
              r.from(),
              r.to(),
              options.fetchTimeout(),
              options.maxBytes(),
              options.bytesPerSecond()),
          temp);
      if (stopping) {
        return false;
      }
      if (fetched instanceof EdgeFetch.NoFootage n) {
        failed(r, NO_FOOTAGE, n.reason(), now);
        return false;
      } else if (fetched instanceof EdgeFetch.Unreachable u) {
        failed(r, UNREACHABLE, u.reason(), now);
        return false;
      }
      return land(r, temp, now);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Checks the fetched footage and renames it into the camera's layout, or refuses it. */
  private boolean land(Range r, Path temp, Instant now) throws IOException {
    Camera c = r.camera();
    Instant from = r.from();
    Instant to = r.to();
    long size = Files.size(temp);
    if (size == 0 || size > options.maxBytes()) {
      failed(r, REJECTED, size == 0 ? "the edge sent nothing" : "more bytes than allowed", now);
      return false;
    }
    MediaInfo media;
    try {
      media = probe.probe(temp);
    } catch (ProbeException e) {
      failed(r, REJECTED, "not footage: " + e.getMessage(), now);
      return false;
    }
    Duration asked = Duration.between(from, to);
    if (media.duration().compareTo(asked.plus(options.tolerance())) > 0) {
      failed(
          r,
          REJECTED,
          "the footage is " + media.duration().toMillis() / 1000.0 + " s, longer than the "
              + asked.toMillis() / 1000.0 + " s asked for",
          now);
      return false;
    }
    Instant end = from.plus(media.duration());
    Optional<Segment> newest = store.segments().newest(c.id());
    if (newest.isPresent()
        && !newest.get().media().videoCodec().equalsIgnoreCase(media.videoCodec())) {
      failed(
          r,
          REJECTED,
          "codec " + media.videoCodec() + ", not the camera's "
              + newest.get().media().videoCodec(),
          now);
      return false;
    }
    Optional<String> overlap = overlap(c, from, end);
    if (overlap.isPresent()) {
      failed(r, REJECTED, "overlaps indexed footage: " + overlap.get(), now);
      return false;
    }
    Instant mtime = end.isAfter(now) ? now : end;
    Optional<String> name = naming.format(c.recorderNameOrId(), from, mtime);
    if (name.isEmpty()) {
      failed(
          r,
          REJECTED,
          "the layout " + naming.pattern() + " has no name for " + from + " of camera " + c.id(),
          now);
      return false;
    }
    Path target = root.resolve(name.get()).normalize();
    if (!target.startsWith(root) || Files.exists(target)) {
      failed(r, REJECTED, "a file named " + name.get() + " is there already", now);
      return false;
    }
    // Last look, then the rename while this node still files the camera: the recorder may have
    // back-filled the range meanwhile, indexed or not yet.
    Optional<String> onDisk = recordedMeanwhile(target, from, end);
    if (overlap(c, from, end).isPresent()
        || onDisk.isPresent()
        || !assignment.owns(c.id(), Duty.FILES)) {
      failed(
          r,
          REJECTED,
          "the range was filled meanwhile"
              + onDisk.map(f -> " (" + f + " is on the disk)").orElse(""),
          now);
      return false;
    }
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.setLastModifiedTime(temp, FileTime.from(mtime));
    Files.createDirectories(target.getParent());
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      // The camera's directory is another file system: copy beside it, force, rename.
      Path beside = target.resolveSibling("." + target.getFileName() + ".heldar-heal");
      Files.copy(
          temp, beside, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      try (FileChannel ch = FileChannel.open(beside, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(beside, target, StandardCopyOption.ATOMIC_MOVE);
    }
    try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException ignored) {
      // the rename is atomic either way
    }
    boolean partial = end.isBefore(to.minus(options.tolerance()));
    double seconds = media.duration().toMillis() / 1000.0;
    String source = edge.describe(c);
    landed.put(name.get(), new Landed(c.id(), name.get(), now));
    remember(new HealAttempt(
        c.id(),
        from,
        to,
        source,
        partial ? HealAttempt.Outcome.PARTIAL : HealAttempt.Outcome.HEALED,
        r.before().map(HealAttempt::tries).orElse(0) + 1,
        Optional.empty(),
        partial
            ? Optional.of("the edge had " + seconds + " s of the " + asked.toMillis() / 1000.0
                + " s asked for")
            : Optional.empty(),
        seconds,
        Optional.of(name.get()),
        Optional.empty(),
        r.before().map(HealAttempt::firstTryAt).orElse(now),
        now));
    log.info(
        "gap healing: camera {}: {} s from {} healed from the edge{} ({})",
        c.id(),
        seconds,
        from,
        partial ? " (partly)" : "",
        name.get());
    events.publish(HeldarEvent.of(
        c.id(), new TypedEvent.GapHealed(from, end, seconds, partial, name.get(), source), now));
    return true;
  }

  /**
   * A file beside {@code target} whose name (in the camera's layout) starts inside {@code [from,
   * end)} beyond the tolerance: footage the recorder wrote for the range and the indexer has not
   * indexed yet.
   */
  private Optional<String> recordedMeanwhile(Path target, Instant from, Instant end)
      throws IOException {
    Path dir = target.getParent();
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    Duration tol = options.tolerance();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String rel = root.relativize(f).toString().replace('\\', '/');
        Optional<SegmentNaming.Match> m = naming.match(rel, Optional.empty());
        if (m.isPresent()
            && !m.get().start().isBefore(from.minus(tol))
            && m.get().start().isBefore(end.minus(tol))) {
          return Optional.of(rel);
        }
      }
    }
    return Optional.empty();
  }

  /** The first indexed segment overlapping {@code [from, end)} by more than the tolerance. */
  private Optional<String> overlap(Camera c, Instant from, Instant end) {
    Duration tol = options.tolerance();
    for (SegmentSpan s : store.segments().touching(c.id(), from, end)) {
      if (s.start().isBefore(end.minus(tol)) && s.end().isAfter(from.plus(tol))) {
        return Optional.of(s.path());
      }
    }
    return Optional.empty();
  }

  /** Records a failed try of {@code r} (with its backoff, or given up) and raises its event. */
  private void failed(Range r, String code, String reason, Instant now) {
    Camera c = r.camera();
    int tries = r.before().map(HealAttempt::tries).orElse(0) + 1;
    boolean givenUp = tries >= options.maxTries();
    Duration wait = options.backoff().multipliedBy(1L << Math.min(tries - 1, 20));
    String shortReason = reason.length() > 1000 ? reason.substring(0, 1000) + "…" : reason;
    remember(new HealAttempt(
        c.id(),
        r.from(),
        r.to(),
        edge.describe(c),
        givenUp ? HealAttempt.Outcome.GIVEN_UP : HealAttempt.Outcome.FAILED,
        tries,
        Optional.of(code),
        Optional.of(shortReason),
        0,
        Optional.empty(),
        givenUp ? Optional.empty() : Optional.of(now.plus(wait)),
        r.before().map(HealAttempt::firstTryAt).orElse(now),
        now));
    log.warn(
        "gap healing: camera {}: {}..{} not healed ({}, try {} of {}{}): {}",
        c.id(),
        r.from(),
        r.to(),
        code,
        tries,
        options.maxTries(),
        givenUp ? ", given up" : "",
        PrintableText.of(shortReason));
    events.publish(HeldarEvent.of(
        c.id(),
        new TypedEvent.GapHealFailed(r.from(), r.to(), code, shortReason, tries, givenUp),
        now));
  }

  /** Writes the attempt to the heal history; a store that fails is logged, the event still goes. */
  private void remember(HealAttempt attempt) {
    try {
      store.heals().record(attempt);
    } catch (RuntimeException e) {
      log.warn(
          "gap healing: camera {}: cannot record the attempt on {}: {}",
          attempt.cameraId(),
          attempt.from(),
          e.toString());
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
