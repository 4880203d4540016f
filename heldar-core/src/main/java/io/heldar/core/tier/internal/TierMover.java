package io.heldar.core.tier.internal;

import io.heldar.core.cluster.CameraAssignment;
import io.heldar.core.engine.internal.Engine;
import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.internal.RootedFiles;
import io.heldar.core.model.Camera;
import io.heldar.core.model.PrintableText;
import io.heldar.core.model.RetentionHold;
import io.heldar.core.model.Segment;
import io.heldar.core.model.SegmentMove;
import io.heldar.core.retention.DiskSpace;
import io.heldar.core.runtime.Deadline;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.store.LeaseLostException;
import io.heldar.core.store.LeaseStore.Duty;
import io.heldar.core.tier.MoveReport;
import io.heldar.core.tier.PlannedMove;
import io.heldar.core.tier.StorageTier;
import io.heldar.core.tier.StorageTiers;
import io.heldar.core.tier.TierMoveOptions;
import io.heldar.core.tier.UnknownTierException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves footage from tier to tier by the tiers' rules. A move of one file:
 *
 * <ol>
 *   <li>the row is marked with its target ({@code move_to}), fenced by the camera's files lease;
 *   <li>the file is copied to a temporary name on the target, forced to disk, read back and
 *       compared (size and SHA-256), renamed into place, its directory forced;
 *   <li>one fenced transaction changes the row's tier;
 *   <li>the source is unlinked (relative to directory handles, so no link leads out of the root);
 *   <li>the mark is taken off.
 * </ol>
 *
 * A crash (or a lost lease) between any two steps leaves a marked row, which the next round
 * finishes or undoes ({@link #recover}): a temporary copy is removed; a copy renamed into place but
 * not committed is removed while the source is there (adopted when the source is gone); a committed
 * move's source is unlinked. So no footage is lost, no row points at a missing file, no copy stays
 * behind, and no segment is in two places in the index.
 */
public final class TierMover implements Engine, io.heldar.core.tier.TierMoves {
  private static final Logger log = LoggerFactory.getLogger(TierMover.class);
  private static final int PAGE = 2000;

  private final HeldarStore store;
  private final io.heldar.core.engine.internal.EngineObserver observer;
  private final Clock clock;
  private final EventPublisher events;
  private final CameraAssignment assignment;
  private final StorageTiers tiers;
  private final TierMoveOptions options;
  private final DiskSpace disk;
  private final BooleanSupplier indexingBusy;
  private final io.heldar.core.gap.GapDetector gaps;
  private final io.heldar.core.runtime.Ticker ticker;
  private final SegmentIndexer.VanishGuard guard;
  private long lastCheck;
  private boolean checked;
  /** The refusal each tier and camera was last reported with (one event per change). */
  private final Map<String, String> refusedChecks = new ConcurrentHashMap<>();

  private final FileCopies.Throttle throttle;
  private volatile Steps steps = Steps.NONE;
  /** The reason each unusable tier was last reported with (one event per change). */
  private final Map<String, String> unavailable = new ConcurrentHashMap<>();
  /** Move failures already reported (path and reason): one event each. */
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  private volatile ExecutorService copiers;
  private volatile MoveReport last;
  private volatile boolean stopping;

  /**
   * The mover of {@code tiers} on the context's store, as fast as {@code options} allow, reading
   * free space from {@code disk}; a file waits while {@code indexingBusy} says the indexer is
   * scanning (up to two seconds).
   */
  public TierMover(
      EngineContext context,
      StorageTiers tiers,
      TierMoveOptions options,
      DiskSpace disk,
      BooleanSupplier indexingBusy,
      SegmentIndexer.VanishGuard guard) {
    this.gaps = context.gaps();
    this.ticker = context.ticker();
    this.guard = guard;
    this.observer = context.observer();
    this.store = context.store();
    this.clock = context.clock();
    this.events = context.events();
    this.assignment = context.assignment();
    this.tiers = tiers;
    this.options = options;
    this.disk = disk;
    this.indexingBusy = indexingBusy;
    this.throttle = new FileCopies.Throttle(options.bytesPerSecond());
  }

  /**
   * Hears each step of each move just before it runs ({@code mark}, {@code copy}, {@code fsync},
   * {@code verify}, {@code rename}, {@code commit}, {@code unlink}, {@code finish}): the seam crash
   * tests stop a process at.
   */
  @FunctionalInterface
  public interface Steps {
    /** Hears nothing. */
    Steps NONE = step -> {};

    /** {@code step} is about to run. */
    void before(String step);
  }

  @Override
  public String name() {
    return "tier-moves";
  }

  /** Calls {@code steps} before each step of each move (crash tests stop the process there). */
  public void onSteps(Steps steps) {
    this.steps = steps;
  }

  @Override
  public void start() {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    copiers = Executors.newFixedThreadPool(options.concurrentFiles(), r -> {
      Thread t = new Thread(r, "heldar-tier-move-" + n.incrementAndGet());
      t.setDaemon(true);
      t.setPriority(Thread.NORM_PRIORITY - 1);
      return t;
    });
  }

  @Override
  public Duration tick() {
    observer.onTierMoves(round());
    return AT_PACE;
  }

  @Override
  public void stop(Deadline deadline) {
    stopping = true;
    ExecutorService pool = copiers;
    if (pool != null) {
      pool.shutdownNow(); // copies under way stop at their next buffer; the next start undoes them
      try {
        pool.awaitTermination(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    stop(Deadline.after(Duration.ofSeconds(5)));
  }

  /** The last round's report, once a round ran. */
  public Optional<MoveReport> last() {
    return Optional.ofNullable(last);
  }

  // ---- a round --------------------------------------------------------------------------------

  /** Finishes interrupted moves, then plans and carries out this round's moves. */
  @Override
  public MoveReport round() {
    Map<String, String> down = checkTiers();
    int finished = recover(down);
    List<PlannedMove> plan = plan(down);
    Map<String, Long> waiting = new TreeMap<>();
    List<PlannedMove> runnable = new ArrayList<>();
    for (PlannedMove m : plan) {
      if (down.containsKey(m.to()) || down.containsKey(m.from())) {
        waiting.merge(down.containsKey(m.to()) ? m.to() : m.from(), 1L, Long::sum);
      } else {
        runnable.add(m);
      }
    }
    reportUnavailable(down, waiting);
    long[] bytes = {0};
    int[] failed = {0};
    int moved = execute(runnable, bytes, failed);
    if (moved > 0 || failed[0] > 0) {
      log.info("tier moves: {} segment(s) moved ({} bytes), {} failed", moved, bytes[0], failed[0]);
    }
    checkTierFiles(down);
    MoveReport report = new MoveReport(plan, moved, bytes[0], failed[0], finished, down);
    last = report;
    return report;
  }

  // ---- tiers ----------------------------------------------------------------------------------

  /** The further tiers that cannot be used now, with why. */
  private Map<String, String> checkTiers() {
    Map<String, String> down = new LinkedHashMap<>();
    if (!Files.isDirectory(tiers.primary().root())) {
      down.put(tiers.primary().name(), "root " + tiers.primary().root() + " is missing");
    }
    for (StorageTier t : tiers.all().subList(1, tiers.all().size())) {
      TierMarkers.unusable(t, holdsFootage(t)).ifPresent(r -> down.put(t.name(), r));
    }
    return down;
  }

  private boolean holdsFootage(StorageTier t) {
    Optional<String> stored = tiers.stored(t);
    for (Camera c : store.cameras().list()) {
      if (!store.segments().oldestOnTier(c.id(), stored, 1, Optional.empty()).isEmpty()) {
        return true;
      }
    }
    return store.segments().moving(PAGE).stream().anyMatch(m -> m.target().equals(t.name()));
  }

  private void reportUnavailable(Map<String, String> down, Map<String, Long> waiting) {
    Instant now = clock.instant();
    for (Map.Entry<String, String> e : down.entrySet()) {
      String previous = unavailable.put(e.getKey(), e.getValue());
      if (e.getValue().equals(previous)) {
        continue;
      }
      StorageTier t = tiers.named(e.getKey()).orElseThrow();
      long n = waiting.getOrDefault(e.getKey(), 0L);
      log.error(
          "storage tier {} cannot be used: {}; {} move(s) wait, nothing on it is marked lost",
          t.name(),
          e.getValue(),
          n);
      events.publish(new HeldarEvent(
          Optional.empty(),
          new TypedEvent.StorageTierUnavailable(t.name(), t.root().toString(), e.getValue(), n),
          now));
    }
    for (String name : List.copyOf(unavailable.keySet())) {
      if (!down.containsKey(name)) {
        unavailable.remove(name);
        StorageTier t = tiers.named(name).orElseThrow();
        log.info("storage tier {} can be used again", name);
        events.publish(new HeldarEvent(
            Optional.empty(), new TypedEvent.StorageTierAvailable(name, t.root().toString()), now));
      }
    }
  }

  // ---- each further tier's files against the index ----------------------------------------------

  /**
   * Every {@link TierMoveOptions#checkInterval()}: the rows on each further tier that can be used
   * whose file is gone are marked missing (a {@code lost} gap, {@code segment_missing}), as the
   * indexer does for the recordings root, unless the vanish guard sees a mass disappearance (then
   * nothing changes and one {@code storage_unavailable} says why).
   */
  public void checkTierFiles(Map<String, String> down) {
    long now = ticker.read();
    if (checked && now - lastCheck < options.checkInterval().toNanos()) {
      return;
    }
    checked = true;
    lastCheck = now;
    for (StorageTier t : tiers.all().subList(1, tiers.all().size())) {
      if (down.containsKey(t.name())) {
        continue;
      }
      for (Camera c : store.cameras().list()) {
        if (!assignment.owns(c.id(), Duty.FILES)) {
          continue;
        }
        try {
          checkCamera(t, c.id(), true, false);
        } catch (LeaseLostException e) {
          log.info("tier check: camera {}: {}", c.id(), e.getMessage());
        } catch (RuntimeException e) {
          log.warn(
              "tier check: camera {} on tier {} not checked: {}", c.id(), t.name(), e.toString());
        }
      }
    }
  }

  private io.heldar.core.index.ReconcileReport checkCamera(
      StorageTier t, String cameraId, boolean apply, boolean force) {
    long rows = 0;
    List<Segment> vanished = new ArrayList<>();
    for (Segment s : oldest(cameraId, tiers.stored(t))) {
      rows++;
      if (!Files.exists(StorageTiers.resolve(t, s.path()), LinkOption.NOFOLLOW_LINKS)) {
        vanished.add(s);
      }
    }
    String key = t.name() + "\u0000" + cameraId;
    Optional<String> refused = guard.refusal(vanished.size(), rows);
    Instant now = clock.instant();
    List<String> examples = vanished.stream().limit(10).map(Segment::path).toList();
    if (refused.isPresent() && !(apply && force)) {
      if (apply && !refused.get().equals(refusedChecks.put(key, refused.get()))) {
        log.error(
            "camera {}: on tier {}, {}; nothing was marked", cameraId, t.name(), refused.get());
        events.publish(HeldarEvent.of(
            cameraId,
            new TypedEvent.StorageUnavailable(
                "on tier " + t.name() + ": " + refused.get(),
                vanished.size(),
                rows,
                String.join(", ", vanished.stream().limit(10).map(Segment::path).toList()),
                "nothing was marked missing"),
            now));
      }
      return new io.heldar.core.index.ReconcileReport(
          cameraId, rows, rows - vanished.size(), vanished.size(), examples, 0, false, refused);
    }
    if (apply) {
      refusedChecks.remove(key);
    }
    if (vanished.isEmpty() || !apply) {
      return new io.heldar.core.index.ReconcileReport(
          cameraId,
          rows,
          rows - vanished.size(),
          vanished.size(),
          examples,
          0,
          false,
          Optional.empty());
    }
    assignment.fenced(
        cameraId,
        Duty.FILES,
        () -> io.heldar.core.internal.VanishedSegments.markMissing(
            store,
            events,
            gaps,
            cameraId,
            vanished.stream().map(Segment::path).toList(),
            now,
            sg -> StorageTiers.resolve(t, sg.path()).toString()));
    log.warn(
        "camera {}: {} segment file(s) vanished from tier {}, e.g. {}; marked missing",
        cameraId,
        vanished.size(),
        t.name(),
        PrintableText.of(vanished.get(0).path()));
    return new io.heldar.core.index.ReconcileReport(
        cameraId,
        rows,
        rows - vanished.size(),
        vanished.size(),
        examples,
        0,
        true,
        Optional.empty());
  }

  @Override
  public Map<String, List<io.heldar.core.index.ReconcileReport>> checkFiles(
      boolean apply, boolean force) {
    Map<String, String> down = checkTiers();
    Map<String, List<io.heldar.core.index.ReconcileReport>> out = new LinkedHashMap<>();
    for (StorageTier t : tiers.all().subList(1, tiers.all().size())) {
      List<io.heldar.core.index.ReconcileReport> reports = new ArrayList<>();
      for (Camera c : store.cameras().list()) {
        if (!assignment.owns(c.id(), Duty.FILES)) {
          continue;
        }
        if (down.containsKey(t.name())) {
          reports.add(new io.heldar.core.index.ReconcileReport(
              c.id(),
              0,
              0,
              0,
              List.of(),
              0,
              false,
              Optional.of("storage tier " + t.name() + " cannot be used: " + down.get(t.name()))));
        } else {
          reports.add(checkCamera(t, c.id(), apply, force));
        }
      }
      out.put(t.name(), reports);
    }
    return out;
  }

  // ---- planning -------------------------------------------------------------------------------

  /**
   * This round's moves (at most {@link TierMoveOptions#maxFilesPerRound()}): per camera this node
   * files, per tier that has a next one, the segments past the tier's age, then past its byte
   * budget, then (oldest of any camera first) what brings its file system above its floor. Locked
   * segments and held footage stay where they are.
   */
  @Override
  public List<PlannedMove> plan() {
    return plan(checkTiers());
  }

  private List<PlannedMove> plan(Map<String, String> down) {
    Instant now = clock.instant();
    List<PlannedMove> out = new ArrayList<>();
    Set<String> planned = new HashSet<>();
    List<Camera> cameras = store.cameras().list().stream()
        .filter(c -> assignment.owns(c.id(), Duty.FILES))
        .toList();
    Map<String, List<RetentionHold>> holds = new HashMap<>();
    for (Camera c : cameras) {
      holds.put(c.id(), store.holds().list(c.id()));
    }
    int cap = options.maxFilesPerRound();
    for (StorageTier from : tiers.all()) {
      Optional<StorageTier> next = tiers.next(from);
      if (next.isEmpty() || !from.hasMoveRules() || down.containsKey(from.name())) {
        continue;
      }
      StorageTier to = next.get();
      Optional<String> stored = tiers.stored(from);
      long plannedFromTier = 0;
      for (Camera c : cameras) {
        String id = c.id();
        List<RetentionHold> held = holds.get(id);
        Optional<Duration> age = from.moveAfterOf(id);
        long plannedBytes = 0;
        if (age.isPresent()) {
          Instant cutoff = now.minus(age.get());
          for (Segment s : oldest(id, stored)) {
            if (out.size() >= cap || !s.end().isBefore(cutoff)) {
              break;
            }
            if (movable(s, held) && planned.add(s.path())) {
              out.add(move(s, from, to, PlannedMove.Reason.AGE));
              plannedBytes += s.sizeBytes();
            }
          }
        }
        if (from.maxBytesOf(id).isPresent() && out.size() < cap) {
          long excess = store.segments().bytesByTier(id).getOrDefault(stored, 0L)
              - plannedBytes
              - from.maxBytesOf(id).getAsLong();
          for (Segment s : oldest(id, stored)) {
            if (excess <= 0 || out.size() >= cap) {
              break;
            }
            if (movable(s, held) && planned.add(s.path())) {
              out.add(move(s, from, to, PlannedMove.Reason.BYTES));
              plannedBytes += s.sizeBytes();
              excess -= s.sizeBytes();
            }
          }
        }
        plannedFromTier += plannedBytes;
      }
      if (from.minFreeBytes().isPresent() || from.minFreePercent().isPresent()) {
        planFreeSpace(from, to, stored, cameras, holds, plannedFromTier, planned, out, cap);
      }
    }
    return out;
  }

  private void planFreeSpace(
      StorageTier from,
      StorageTier to,
      Optional<String> stored,
      List<Camera> cameras,
      Map<String, List<RetentionHold>> holds,
      long alreadyPlanned,
      Set<String> planned,
      List<PlannedMove> out,
      int cap) {
    long usable;
    long total;
    try {
      usable = disk.usable(from.root());
      total = disk.total(from.root());
    } catch (IOException e) {
      log.warn(
          "tier {}: cannot read free space ({}); its floor is not applied this round",
          from.name(),
          e.toString());
      return;
    }
    long floor = Math.max(
        from.minFreeBytes().orElse(0), (long) (from.minFreePercent().orElse(0) / 100.0 * total));
    long missing = floor - usable - alreadyPlanned;
    if (missing <= 0) {
      return;
    }
    // The oldest of any camera first: one cursor per camera, merged by start.
    record Cursor(String cameraId, java.util.Iterator<Segment> it, Segment head) {}
    PriorityQueue<Cursor> heads =
        new PriorityQueue<>(Comparator.comparing((Cursor k) -> k.head().start())
            .thenComparing(k -> k.head().path()));
    for (Camera c : cameras) {
      java.util.Iterator<Segment> it = oldest(c.id(), stored).iterator();
      if (it.hasNext()) {
        heads.add(new Cursor(c.id(), it, it.next()));
      }
    }
    while (missing > 0 && out.size() < cap && !heads.isEmpty()) {
      Cursor k = heads.poll();
      Segment s = k.head();
      if (movable(s, holds.get(k.cameraId())) && planned.add(s.path())) {
        out.add(move(s, from, to, PlannedMove.Reason.FREE_SPACE));
        missing -= s.sizeBytes();
      }
      if (k.it().hasNext()) {
        heads.add(new Cursor(k.cameraId(), k.it(), k.it().next()));
      }
    }
  }

  private static PlannedMove move(
      Segment s, StorageTier from, StorageTier to, PlannedMove.Reason r) {
    return new PlannedMove(
        s.cameraId(), s.path(), s.sizeBytes(), from.name(), to.name(), r, s.start());
  }

  /** Locked segments and held footage are pinned where they are. */
  private static boolean movable(Segment s, List<RetentionHold> holds) {
    if (s.locked()) {
      return false;
    }
    for (RetentionHold h : holds) {
      if (h.overlaps(s.start(), s.end())) {
        return false;
      }
    }
    return true;
  }

  /** A camera's segments on a tier, oldest first, read a page at a time as they are consumed. */
  private Iterable<Segment> oldest(String cameraId, Optional<String> tier) {
    return () -> new java.util.Iterator<>() {
      private List<Segment> page = List.of();
      private int i;
      private boolean more = true;

      @Override
      public boolean hasNext() {
        if (i < page.size()) {
          return true;
        }
        if (!more) {
          return false;
        }
        Optional<Segment> after =
            page.isEmpty() ? Optional.empty() : Optional.of(page.get(page.size() - 1));
        page = store.segments().oldestOnTier(cameraId, tier, PAGE, after);
        i = 0;
        more = page.size() == PAGE;
        return !page.isEmpty();
      }

      @Override
      public Segment next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return page.get(i++);
      }
    };
  }

  // ---- carrying out ---------------------------------------------------------------------------

  /** A copied file, or why not. */
  private record Copied(Segment segment, Optional<String> failure, boolean waits) {
    Copied(Segment segment, Optional<String> failure) {
      this(segment, failure, false);
    }
  }

  /** Why {@code to} is no longer the tier it was when the round began, if it is not. */
  private static Optional<String> tierGone(StorageTier to, Optional<Object> device) {
    return TierMarkers.unusable(to, true)
        .or(() -> device.isPresent() && !device.equals(TierMarkers.device(to.root()))
            ? Optional.of("its file system changed during the round")
            : Optional.empty());
  }

  /** Removes the directories under {@code root} that {@code file}'s removal left empty. */
  private static void pruneEmptyParents(Path root, Path file) {
    for (Path d = file.getParent();
        d != null && d.startsWith(root) && !d.equals(root);
        d = d.getParent()) {
      try {
        Files.delete(d);
      } catch (IOException notEmptyOrGone) {
        return;
      }
    }
  }

  private int execute(List<PlannedMove> moves, long[] bytes, int[] failed) {
    // Grouped by camera and direction: each group is marked, copied and committed together.
    Map<String, List<PlannedMove>> groups = new TreeMap<>();
    for (PlannedMove m : moves) {
      groups
          .computeIfAbsent(
              m.cameraId() + "\u0000" + m.from() + "\u0000" + m.to(), k -> new ArrayList<>())
          .add(m);
    }
    int moved = 0;
    for (List<PlannedMove> group : groups.values()) {
      if (stopping) {
        break;
      }
      String cameraId = group.get(0).cameraId();
      StorageTier from = tiers.named(group.get(0).from()).orElseThrow();
      StorageTier to = tiers.named(group.get(0).to()).orElseThrow();
      try {
        moved += moveGroup(cameraId, from, to, group, bytes, failed);
      } catch (LeaseLostException e) {
        log.info("tier moves: camera {}: {}; its new owner finishes", cameraId, e.getMessage());
      }
    }
    return moved;
  }

  private int moveGroup(
      String cameraId,
      StorageTier from,
      StorageTier to,
      List<PlannedMove> group,
      long[] bytes,
      int[] failed) {
    List<String> paths = group.stream().map(PlannedMove::path).toList();
    steps.before("mark");
    List<String> marked = assignment.fenced(
        cameraId,
        Duty.FILES,
        () -> store.inTransaction(() -> store.segments().markMoving(paths, to.name())));
    Optional<Object> device = TierMarkers.device(to.root());
    List<Future<Copied>> copies = new ArrayList<>();
    for (String path : marked) {
      Optional<Segment> row = store.segments().findByPath(path);
      if (row.isEmpty()) {
        continue;
      }
      Segment s = row.get();
      copies.add(copiers.submit(() -> copy(s, from, to, device)));
    }
    List<Segment> copied = new ArrayList<>();
    List<String> undo = new ArrayList<>();
    for (Future<Copied> f : copies) {
      Copied c;
      try {
        c = f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0; // stopping: the marks stay, the next start undoes or finishes them
      } catch (ExecutionException e) {
        c = null;
      }
      if (c == null) {
        continue;
      }
      if (c.waits()) {
        continue; // stays marked: settled once the tier is back (one event for the tier, not each)
      } else if (c.failure().isPresent()) {
        failed[0]++;
        undo.add(c.segment().path());
        reportFailure(c.segment(), from, to, c.failure().get());
      } else {
        copied.add(c.segment());
      }
    }
    // The target must still be the tier (not an empty mount point it fell back to meanwhile).
    // What was copied stays marked: the copies that reached the real tier before it went away are
    // removed when it is back; those written into the bare mount point are removed now.
    Optional<String> gone = tierGone(to, device);
    if (gone.isPresent()) {
      log.error(
          "storage tier {} went away during the round ({}); {} copied file(s) are not committed",
          to.name(),
          gone.get(),
          copied.size());
      for (Segment s : copied) {
        Path written = StorageTiers.resolve(to, s.path());
        deleteQuietly(written);
        pruneEmptyParents(to.root(), written);
      }
      copied.clear();
    }
    steps.before("commit");
    List<String> copiedPaths = copied.stream().map(Segment::path).toList();
    try {
      assignment.fenced(
          cameraId,
          Duty.FILES,
          () -> store.inTransaction(() -> {
            store.segments().relocate(copiedPaths, tiers.stored(from), to.name());
            store.segments().finishMoving(undo);
            return null;
          }));
    } catch (LeaseLostException lost) {
      // Not committed, and the camera is another node's now: the copies go, unless the new owner
      // has moved the same file meanwhile (then the copy at that name is its own).
      for (Segment s : copied) {
        boolean theirs = store
            .segments()
            .findByPath(s.path())
            .map(row -> row.tier().filter(to.name()::equals).isPresent())
            .orElse(false);
        if (!theirs) {
          deleteQuietly(StorageTiers.resolve(to, s.path()));
        }
      }
      throw lost;
    }
    steps.before("unlink");
    List<String> done = new ArrayList<>();
    for (Segment s : copied) {
      // Only a source whose row now names the target goes (a row that did not move keeps it).
      if (store
          .segments()
          .findByPath(s.path())
          .flatMap(Segment::tier)
          .filter(to.name()::equals)
          .isEmpty()) {
        log.warn(
            "tier moves: {} was not relocated to {}; its source stays",
            PrintableText.of(s.path()),
            to.name());
        deleteQuietly(StorageTiers.resolve(to, s.path()));
        continue;
      }
      try {
        RootedFiles.delete(from.root(), s.path());
        done.add(s.path());
        bytes[0] += s.sizeBytes();
      } catch (IOException | RuntimeException e) {
        // The copy is committed; the source stays marked and the next round unlinks it.
        log.warn(
            "tier moves: {} moved to {} but its source cannot be removed yet: {}",
            PrintableText.of(s.path()),
            to.name(),
            e.toString());
      }
    }
    steps.before("finish");
    assignment.fenced(
        cameraId,
        Duty.FILES,
        () -> store.inTransaction(() -> {
          store.segments().finishMoving(done);
          return null;
        }));
    return done.size();
  }

  private Copied copy(Segment s, StorageTier from, StorageTier to, Optional<Object> device) {
    if (stopping) {
      return new Copied(s, Optional.of("stopping"), true);
    }
    Optional<String> gone = tierGone(to, device);
    if (gone.isPresent()) {
      return new Copied(s, gone, true);
    }
    long waitUntil = System.nanoTime() + 2_000_000_000L;
    while (indexingBusy.getAsBoolean() && System.nanoTime() < waitUntil && !stopping) {
      try {
        Thread.sleep(20); // yield to a scan under way
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Copied(s, Optional.of("stopping"), true);
      }
    }
    try {
      Path source = StorageTiers.resolve(from, s.path());
      Path target = StorageTiers.resolve(to, s.path());
      FileCopies.copyVerified(source, s.sizeBytes(), s.fileModified(), target, throttle, steps);
      return new Copied(s, Optional.empty());
    } catch (IOException | RuntimeException e) {
      // Stopped mid-copy, or the tier went away under it (its directory vanished): the mark stays,
      // settled at the next start or once the tier is back, and the tier's event says why.
      return new Copied(
          s,
          Optional.of(e.getMessage() == null ? e.toString() : e.getMessage()),
          stopping || tierGone(to, device).isPresent());
    }
  }

  private void reportFailure(Segment s, StorageTier from, StorageTier to, String reason) {
    if (reported.size() > 100_000) {
      reported.clear();
    }
    if (!reported.add(s.path() + "\u0000" + reason)) {
      log.debug("tier moves: still not moving {}: {}", s.path(), reason);
      return;
    }
    log.warn(
        "tier moves: {} (camera {}) stays on {}: {}",
        PrintableText.of(s.path()),
        s.cameraId(),
        from.name(),
        PrintableText.of(reason));
    events.publish(HeldarEvent.of(
        s.cameraId(),
        new TypedEvent.TierMoveFailed(s.path(), from.name(), to.name(), reason),
        clock.instant()));
  }

  // ---- recovery -------------------------------------------------------------------------------

  /**
   * Finishes or undoes the moves a crash, a stop or a lost lease left marked, for the cameras this
   * node files; returns how many. Rows whose tiers cannot be used now wait.
   */
  public int recover() {
    return recover(checkTiers());
  }

  /** {@link #recover()} with the tiers that cannot be used now already known. */
  private int recover(Map<String, String> down) {
    int n = 0;
    Set<String> waiting = new HashSet<>();
    while (true) {
      List<SegmentMove> mine = store.segments().moving(PAGE + waiting.size()).stream()
          .filter(m -> assignment.owns(m.segment().cameraId(), Duty.FILES))
          .filter(m -> !waiting.contains(m.segment().path()))
          .toList();
      if (mine.isEmpty()) {
        break;
      }
      Map<String, List<String>> unmark = new TreeMap<>();
      Map<String, List<SegmentMove>> adopt = new TreeMap<>();
      for (SegmentMove m : mine) {
        String cameraId = m.segment().cameraId();
        try {
          switch (recoverOne(m, down)) {
            case WAIT -> waiting.add(m.segment().path());
            case UNMARK -> unmark
                .computeIfAbsent(cameraId, k -> new ArrayList<>())
                .add(m.segment().path());
            case ADOPT -> adopt
                .computeIfAbsent(cameraId, k -> new ArrayList<>())
                .add(m);
          }
        } catch (IOException | RuntimeException e) {
          waiting.add(m.segment().path());
          log.warn(
              "tier moves: the interrupted move of {} cannot be settled yet: {}",
              PrintableText.of(m.segment().path()),
              e.toString());
        }
      }
      Set<String> cameras = new java.util.TreeSet<>(unmark.keySet());
      cameras.addAll(adopt.keySet());
      for (String cameraId : cameras) {
        List<String> paths = unmark.getOrDefault(cameraId, List.of());
        List<SegmentMove> adopted = adopt.getOrDefault(cameraId, List.of());
        try {
          assignment.fenced(
              cameraId,
              Duty.FILES,
              () -> store.inTransaction(() -> {
                for (SegmentMove m : adopted) {
                  store
                      .segments()
                      .relocate(List.of(m.segment().path()), m.segment().tier(), m.target());
                }
                store.segments().finishMoving(paths);
                store
                    .segments()
                    .finishMoving(adopted.stream().map(m -> m.segment().path()).toList());
                return null;
              }));
          n += paths.size() + adopted.size();
        } catch (LeaseLostException lost) {
          log.info("tier moves: camera {}: {}", cameraId, lost.getMessage());
          paths.forEach(waiting::add);
          adopted.forEach(m -> waiting.add(m.segment().path()));
        }
      }
    }
    if (n > 0) {
      log.info("tier moves: settled {} move(s) a crash or stop had interrupted", n);
    }
    return n;
  }

  /** What recovery does with one interrupted move. */
  private enum Settle {
    /** A tier it needs cannot be used now. */
    WAIT,
    /** Settled on the disk; the mark comes off (the row's location is right). */
    UNMARK,
    /** The copy is the footage now: the row moves to the target, and the mark comes off. */
    ADOPT
  }

  /** Settles one interrupted move on the disk. */
  private Settle recoverOne(SegmentMove m, Map<String, String> down) throws IOException {
    Segment s = m.segment();
    StorageTier to =
        tiers.named(m.target()).orElseThrow(() -> new UnknownTierException(m.target(), s.path()));
    if (down.containsKey(to.name())) {
      return Settle.WAIT;
    }
    Path dst = StorageTiers.resolve(to, s.path());
    Files.deleteIfExists(FileCopies.temporaryOf(dst));
    if (m.relocated()) {
      // Committed: the source (on the tier before the target) may remain.
      StorageTier from = tiers.all().get(tiers.all().indexOf(to) - 1);
      if (down.containsKey(from.name())) {
        return Settle.WAIT;
      }
      if (Files.exists(dst, LinkOption.NOFOLLOW_LINKS)) {
        RootedFiles.delete(from.root(), s.path());
      }
      return Settle.UNMARK;
    }
    StorageTier from = tiers.tierOf(s);
    if (down.containsKey(from.name())) {
      return Settle.WAIT;
    }
    if (Files.exists(StorageTiers.resolve(from, s.path()), LinkOption.NOFOLLOW_LINKS)) {
      // Not committed and the source is there: a copy renamed already goes; it moves again later.
      RootedFiles.delete(to.root(), s.path());
      return Settle.UNMARK;
    }
    if (Files.isRegularFile(dst, LinkOption.NOFOLLOW_LINKS) && Files.size(dst) == s.sizeBytes()) {
      // The source is gone but a verified copy was renamed into place: it is the footage.
      log.warn(
          "tier moves: {} is gone from {} but its verified copy is on {}; adopting the copy",
          PrintableText.of(s.path()),
          from.name(),
          to.name());
      return Settle.ADOPT;
    }
    return Settle.UNMARK; // neither: reconciliation marks it missing
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      log.warn("tier moves: cannot remove {}: {}", p, e.toString());
    }
  }
}
