package io.heldar.core.heal.internal;

import io.heldar.core.cluster.CameraAssignment;
import io.heldar.core.engine.internal.Engine;
import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.heal.EdgeFetch;
import io.heldar.core.heal.EdgeSource;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heals recording gaps from the cameras' own storage. Each round, per camera this node files and
 * the edge covers: its open gaps of cause {@code missing} or {@code node_down} that ended within
 * {@link HealOptions#maxAge()}, newest first; the first range of the first gap not waiting out a
 * backoff is fetched (at most {@link HealOptions#chunk()} of it) into a temporary file under {@code
 * <root>/.heldar-heal/}, checked (probed; no longer than asked; the camera's codec; not overlapping
 * indexed footage; a name the layout gives that instant), and renamed into the camera's directory
 * under that name. The indexer then indexes it like any segment, which closes or shrinks the gap
 * the ordinary way: the index stays the one truth.
 *
 * <p>Every outcome is an event: {@code gap_healed} (with the seconds and whether it was partial),
 * {@code gap_heal_failed} with the reason ({@code edge_has_no_footage}, {@code edge_unreachable},
 * {@code edge_footage_rejected}), the try and whether the range is given up (after {@link
 * HealOptions#maxTries()}). Tries and backoffs are kept in memory: a restart tries again.
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
  /** Per camera and range start: tries so far and when the next may be. */
  private final Map<String, Attempt> attempts = new HashMap<>();
  /** Per camera: the healed file not indexed yet (the camera waits until it is). */
  private final Map<String, Landed> landed = new HashMap<>();

  private volatile boolean stopping;

  private record Attempt(int tries, Instant next, boolean givenUp) {}

  private record Landed(String path, Instant at) {}

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

  /** Removes what fetches a crash interrupted left in the work directory. */
  @Override
  public void start() {
    if (!Files.isDirectory(work)) {
      return;
    }
    try (Stream<Path> left = Files.list(work)) {
      for (Path p : left.toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      log.warn("gap healing: cannot clear {}: {}", work, e.toString());
    }
  }

  @Override
  public Duration tick() {
    round();
    return AT_PACE;
  }

  @Override
  public void stop(io.heldar.core.runtime.Deadline deadline) {
    stopping = true;
  }

  /** One round: at most one range per camera. Returns how many ranges were healed. */
  public int round() {
    int healed = 0;
    Instant now = clock.instant();
    for (Camera c : store.cameras().list()) {
      if (stopping) {
        break;
      }
      if (!assignment.owns(c.id(), Duty.FILES) || !edge.covers(c) || waitsForIndexing(c, now)) {
        continue;
      }
      try {
        healed += healOne(c, now) ? 1 : 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException | IOException e) {
        log.warn("gap healing: camera {}: {}", c.id(), e.toString());
      }
    }
    return healed;
  }

  /** Whether the camera's last healed file is still to be indexed (then it is not healed again). */
  private boolean waitsForIndexing(Camera c, Instant now) {
    Landed l = landed.get(c.id());
    if (l == null) {
      return false;
    }
    boolean indexed = store.segments().findByPath(l.path()).isPresent();
    if (indexed
        || Duration.between(l.at(), now).compareTo(Duration.ofMinutes(10)) > 0
        || !Files.exists(root.resolve(l.path()))) {
      landed.remove(c.id());
      return false;
    }
    return true;
  }

  private boolean healOne(Camera c, Instant now) throws IOException, InterruptedException {
    Instant oldest = now.minus(options.maxAge());
    List<RecordingGap> gaps =
        new ArrayList<>(store.gaps().list(c.id(), Optional.of(GapStatus.OPEN)));
    gaps.removeIf(g -> (g.cause() != GapCause.MISSING && g.cause() != GapCause.NODE_DOWN)
        || !g.end().isAfter(oldest));
    gaps.sort(Comparator.comparing(RecordingGap::end).reversed());
    for (RecordingGap g : gaps) {
      Instant from = g.start().isBefore(oldest) ? oldest : g.start();
      Attempt a;
      // Past the ranges of this gap given up on.
      while ((a = attempts.get(key(c, from))) != null && a.givenUp() && from.isBefore(g.end())) {
        from = min(from.plus(options.chunk()), g.end());
      }
      if (!from.isBefore(g.end())) {
        continue;
      }
      if (a != null && a.next().isAfter(now)) {
        continue; // backing off; a gap further back may be healed meanwhile
      }
      Instant to = min(from.plus(options.chunk()), g.end());
      heal(c, from, to, now);
      return true;
    }
    return false;
  }

  private void heal(Camera c, Instant from, Instant to, Instant now)
      throws IOException, InterruptedException {
    Files.createDirectories(work);
    Path temp = work.resolve(c.id() + "-" + from.toEpochMilli() + ".mp4");
    Files.deleteIfExists(temp);
    Files.createFile(temp);
    try {
      EdgeFetch fetched = edge.fetch(
          new EdgeSource.Request(
              c, from, to, options.fetchTimeout(), options.maxBytes(), options.bytesPerSecond()),
          temp);
      if (fetched instanceof EdgeFetch.NoFootage n) {
        failed(c, from, to, NO_FOOTAGE, n.reason(), now);
      } else if (fetched instanceof EdgeFetch.Unreachable u) {
        failed(c, from, to, UNREACHABLE, u.reason(), now);
      } else {
        land(c, from, to, temp, now);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Checks the fetched footage and renames it into the camera's layout, or refuses it. */
  private void land(Camera c, Instant from, Instant to, Path temp, Instant now) throws IOException {
    long size = Files.size(temp);
    if (size == 0 || size > options.maxBytes()) {
      failed(
          c,
          from,
          to,
          REJECTED,
          size == 0 ? "the edge sent nothing" : "more bytes than allowed",
          now);
      return;
    }
    MediaInfo media;
    try {
      media = probe.probe(temp);
    } catch (ProbeException e) {
      failed(c, from, to, REJECTED, "not footage: " + e.getMessage(), now);
      return;
    }
    Duration asked = Duration.between(from, to);
    if (media.duration().compareTo(asked.plus(options.tolerance())) > 0) {
      failed(
          c,
          from,
          to,
          REJECTED,
          "the footage is " + media.duration().toMillis() / 1000.0 + " s, longer than the "
              + asked.toMillis() / 1000.0 + " s asked for",
          now);
      return;
    }
    Instant end = from.plus(media.duration());
    Optional<Segment> newest = store.segments().newest(c.id());
    if (newest.isPresent()
        && !newest.get().media().videoCodec().equalsIgnoreCase(media.videoCodec())) {
      failed(
          c,
          from,
          to,
          REJECTED,
          "codec " + media.videoCodec() + ", not the camera's "
              + newest.get().media().videoCodec(),
          now);
      return;
    }
    Optional<String> overlap = overlap(c, from, end);
    if (overlap.isPresent()) {
      failed(c, from, to, REJECTED, "overlaps indexed footage: " + overlap.get(), now);
      return;
    }
    Instant mtime = end.isAfter(now) ? now : end;
    Optional<String> name = naming.format(c.recorderNameOrId(), from, mtime);
    if (name.isEmpty()) {
      failed(
          c,
          from,
          to,
          REJECTED,
          "the layout " + naming.pattern() + " has no name for " + from + " of camera " + c.id(),
          now);
      return;
    }
    Path target = root.resolve(name.get()).normalize();
    if (!target.startsWith(root) || Files.exists(target)) {
      failed(c, from, to, REJECTED, "a file named " + name.get() + " is there already", now);
      return;
    }
    // Last look, then the rename while this node still files the camera: the recorder may have
    // back-filled the range meanwhile, indexed or not yet.
    Optional<String> onDisk = recordedMeanwhile(target, from, end);
    if (overlap(c, from, end).isPresent()
        || onDisk.isPresent()
        || !assignment.owns(c.id(), Duty.FILES)) {
      failed(
          c,
          from,
          to,
          REJECTED,
          "the range was filled meanwhile"
              + onDisk.map(f -> " (" + f + " is on the disk)").orElse(""),
          now);
      return;
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
    attempts.remove(key(c, from));
    landed.put(c.id(), new Landed(name.get(), now));
    boolean partial = end.isBefore(to.minus(options.tolerance()));
    double seconds = media.duration().toMillis() / 1000.0;
    log.info(
        "gap healing: camera {}: {} s from {} healed from the edge{} ({})",
        c.id(),
        seconds,
        from,
        partial ? " (partly)" : "",
        name.get());
    events.publish(HeldarEvent.of(
        c.id(), new TypedEvent.GapHealed(from, end, seconds, partial, name.get()), now));
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

  private void failed(Camera c, Instant from, Instant to, String code, String reason, Instant now) {
    String key = key(c, from);
    Attempt before = attempts.get(key);
    int tries = before == null ? 1 : before.tries() + 1;
    boolean givenUp = tries >= options.maxTries();
    Duration wait = options.backoff().multipliedBy(1L << Math.min(tries - 1, 20));
    attempts.put(key, new Attempt(tries, now.plus(wait), givenUp));
    if (attempts.size() > 100_000) {
      attempts.clear(); // bounded: a restart forgets them too
    }
    log.warn(
        "gap healing: camera {}: {}..{} not healed ({}, try {} of {}{}): {}",
        c.id(),
        from,
        to,
        code,
        tries,
        options.maxTries(),
        givenUp ? ", given up" : "",
        PrintableText.of(reason));
    events.publish(HeldarEvent.of(
        c.id(), new TypedEvent.GapHealFailed(from, to, code, reason, tries, givenUp), now));
  }

  private static String key(Camera c, Instant from) {
    return c.id() + "\u0000" + from.toEpochMilli();
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /** For tests: the ranges given up so far. */
  Set<String> givenUp() {
    Set<String> out = new HashSet<>();
    attempts.forEach((k, v) -> {
      if (v.givenUp()) {
        out.add(k);
      }
    });
    return out;
  }
}
