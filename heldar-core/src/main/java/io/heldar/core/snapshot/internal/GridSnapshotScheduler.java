package io.heldar.core.snapshot.internal;

import io.heldar.core.cluster.CameraAssignment;
import io.heldar.core.engine.internal.Engine;
import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.internal.StoreClient;
import io.heldar.core.internal.Threads;
import io.heldar.core.model.Camera;
import io.heldar.core.model.Snapshot;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.core.runtime.Deadline;
import io.heldar.core.runtime.ExecutorShutdown;
import io.heldar.core.snapshot.Jpeg;
import io.heldar.core.snapshot.SnapshotCaptureException;
import io.heldar.core.snapshot.SnapshotOptions;
import io.heldar.core.snapshot.SnapshotScheduler;
import io.heldar.core.snapshot.SnapshotSource;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.store.LeaseStore.Duty;
import io.heldar.core.store.LeaseStore.Lease;
import java.io.IOException;
import java.nio.file.Files;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SnapshotScheduler} on an epoch-aligned grid per schedule. Each tick decides what is due
 * ({@link SlotGrid}) for the schedules this process owns and fires captures on the capture pool;
 * captured bytes go to the write threads ({@link SnapshotFiles}: temp file, fsync), then to the
 * {@link SnapshotCommitter} (rows in groups, then renames); slots that end without a row are
 * recorded by the {@link SlotLedger}.
 */
public final class GridSnapshotScheduler implements SnapshotScheduler, Engine {
  private static final Logger log = LoggerFactory.getLogger(GridSnapshotScheduler.class);
  /** A capture running this much past its timeout is interrupted: the source broke its contract. */
  private static final Duration HUNG_GRACE = Duration.ofSeconds(1);

  /**
   * Threads writing and fsyncing files (and as many renaming them): the disk, not the CPU, is what
   * they wait for, and a journalling file system commits the fsyncs that wait together as one. On
   * this project's 2-core test machines 1,000 files (write, fsync, rename, directory fsync) took
   * 212–316 ms on 4 threads and 127–130 ms on 16; 64 measured no better (docs/performance.md).
   */
  private static final int WRITE_THREADS = 16;
  /** Captured JPEGs waiting for a write thread; beyond this a capture fails rather than pile up memory. */
  private static final int WRITE_BACKLOG = 10_000;

  private static final class Entry {
    SnapshotSchedule schedule;
    Instant nextSlot;
    volatile boolean busy;
    volatile Thread runner;
    /** When the capture was handed to the capture threads. */
    volatile long startedNanos;
    /** When a capture thread began it (0: not yet: it waits for a free capture thread). */
    volatile long ranNanos;
    /** The slot of the capture running now. */
    volatile Instant runningSlot;
    /** The capture lease the running slot was fired under (empty outside a cluster). */
    volatile Optional<Lease> runningTenure = Optional.empty();
    /** Grows each time a capture is given up on: a late result of an abandoned capture is dropped. */
    long generation;
    /** Whether this process captures the camera, as of the last tick (set when the entry is made). */
    Boolean owned;
    /**
     * The camera came to this process from another node, or back to it under a new lease (it lost
     * it meanwhile): the next slots it missed are a failover's.
     */
    boolean cameFromElsewhere;
    /** The epoch of the last capture lease this node held for the camera, or -1 (none, or not a cluster). */
    long heldEpoch = -1;
    /**
     * The camera is back under a new lease (a new epoch): the slots this node fired under the old
     * one and could not record are the new tenure's to account for, from the store's last spent
     * slot, not from this node's memory.
     */
    boolean newTenure;

    Entry(SnapshotSchedule schedule, Instant nextSlot) {
      this.schedule = schedule;
      this.nextSlot = nextSlot;
    }
  }

  private final EngineContext context;
  /** The host operations on schedules, shared with {@code HeldarClient}. */
  private final StoreClient schedules;

  private final SnapshotOptions options;
  private final SnapshotSource source;
  private final Path snapshotsRoot;
  /** Whether start-up recovery ran (the first engine tick runs it). */
  private boolean recovered;

  private final HeldarStore store;
  private final Clock clock;
  private final SnapshotFiles files;
  /** Where captures run: the host's executor, or {@link #ownCaptures}. */
  private final Executor captures;
  /** Heldar's own capture pool when the host gave no executor, else null. */
  private final ThreadPoolExecutor ownCaptures;
  /** Captures submitted and not yet returned: what close() waits for on a host's executor. */
  private final AtomicInteger capturing = new AtomicInteger();

  private final ExecutorService writers;
  /**
   * Threads renaming committed files into place (and fsyncing their directories): apart from the
   * write threads, so the renames of one second's snapshots never queue in front of the next
   * second's writes, which their rows wait for.
   */
  private final ExecutorService renamers;

  private final Map<Long, Entry> entries = new LinkedHashMap<>();
  private Map<String, Camera> cameras = Map.of();
  private Instant virtualNow;
  private Instant lastWall;
  private long lastMonotonic;
  private Instant nextRefresh;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong notStarted =
      new java.util.concurrent.atomic.AtomicLong();
  private final Object idle = new Object();
  private final AtomicLong fired = new AtomicLong();
  private final AtomicLong missed = new AtomicLong();
  /** Failed and missed slots, recorded with the schedule's last spent slot. */
  private final SlotLedger ledger;
  /** Files written and waiting for their rows: committed in groups by one thread. */
  private final SnapshotCommitter committer;
  /** Set when close() begins: no capture starts after it. */
  private volatile boolean closing;

  private long lastOrphanSweep;

  /**
   * The scheduler of the context's snapshots root and source, as {@code options} say. Use {@link
   * SnapshotScheduler#builder()} outside Heldar.
   */
  public GridSnapshotScheduler(EngineContext context, SnapshotOptions options) {
    this.context = context;
    this.options = options;
    this.store = context.store();
    this.clock = context.clock();
    this.schedules = new StoreClient(store, clock, this::refreshSchedules);
    this.source = context
        .snapshotSource()
        .orElseThrow(() -> new IllegalStateException("snapshots need a snapshotSource"));
    this.snapshotsRoot = context.requireSnapshotsRoot("snapshots");
    this.files = new SnapshotFiles(snapshotsRoot, options.fsync());
    this.ownCaptures = context.captureExecutor().isPresent()
        ? null
        : Threads.pool(
            "heldar-snapshot-", options.captureParallelism(), new LinkedBlockingQueue<>());
    this.captures =
        context.captureExecutor().isPresent() ? context.captureExecutor().get() : ownCaptures;
    this.writers = Threads.pool(
        "heldar-snapshot-write-", WRITE_THREADS, new ArrayBlockingQueue<>(WRITE_BACKLOG));
    this.renamers = Threads.pool(
        "heldar-snapshot-rename-", WRITE_THREADS, new ArrayBlockingQueue<>(WRITE_BACKLOG));
    this.ledger = new SlotLedger(store, context.events(), context.assignment(), clock);
    this.committer = new SnapshotCommitter(
        store,
        clock,
        context.events(),
        context.assignment(),
        files,
        ledger,
        renamers,
        context.observer(),
        p -> {
          committed(p.schedule().cameraId());
          finish();
        });
  }

  // ---- schedules API -------------------------------------------------------------------------

  @Override
  public SnapshotSchedule create(String cameraId, Duration interval) {
    return schedules.createSchedule(cameraId, interval);
  }

  @Override
  public Optional<SnapshotSchedule> update(long id, Duration interval, boolean enabled) {
    return schedules.updateSchedule(id, interval, enabled);
  }

  @Override
  public List<SnapshotSchedule> list() {
    return schedules.schedules();
  }

  @Override
  public boolean delete(long id) {
    return schedules.deleteSchedule(id);
  }

  /** Re-reads the schedules at the next tick (one was created, changed or deleted). */
  public synchronized void refreshSchedules() {
    nextRefresh = null;
  }

  // ---- ticking -------------------------------------------------------------------------------

  @Override
  public synchronized Duration untilNextDue() {
    if (virtualNow == null || nextRefresh == null) {
      return Duration.ZERO;
    }
    Instant next = nextRefresh;
    for (Entry e : entries.values()) {
      if (e.busy) {
        Instant soon = virtualNow.plusMillis(100);
        next = soon.isBefore(next) ? soon : next;
      }
      if (e.schedule.enabled() && Boolean.TRUE.equals(e.owned) && e.nextSlot.isBefore(next)) {
        next = e.nextSlot; // another node's schedules wait for the refresh that may bring them here
      }
    }
    // Counted from now, not from the tick's start: the runtime waits this long after the tick
    // ended, and a tick that fired a thousand captures took a while.
    Instant now = virtualNow.plusNanos(Math.max(0, context.ticker().read() - lastMonotonic));
    Duration d = Duration.between(now, next);
    return d.isNegative() ? Duration.ZERO : d;
  }

  @Override
  public String name() {
    return "snapshot-scheduler";
  }

  /**
   * The engine's tick: start-up recovery once, before the first slot (temp files of a crash,
   * missing files), then the due slots; asks for the next tick when the next slot is due.
   */
  @Override
  public Duration tick() {
    if (!recovered) {
      recover();
      recovered = true;
    }
    fireDue();
    return untilNextDue();
  }

  @Override
  public void stop(Deadline deadline) {
    awaitIdle(deadline.remaining());
    close(deadline);
  }

  @Override
  public synchronized TickReport fireDue() {
    committer.start();
    Instant wall = clock.instant();
    if (virtualNow == null || nextRefresh == null || !virtualNow.isBefore(nextRefresh)) {
      refresh();
    }
    if (takeOwnership()) {
      // Cameras that came from another node: their schedules' fired slots, as that node left them.
      refresh();
    }
    advance(wall);
    interruptHungCaptures();
    sweepOrphans();
    ledger.retryUnrecorded();
    int firedNow = 0;
    long missedNow = 0;
    for (Entry e : entries.values()) {
      if (!e.schedule.enabled() || !Boolean.TRUE.equals(e.owned)) {
        continue;
      }
      long id = e.schedule.id();
      boolean busy = e.busy;
      // Slots a camera missed between a previous owner's last capture and this node's first.
      String cause =
          e.cameFromElsewhere && e.schedule.lastFiredAt().isPresent() ? "failover" : null;
      SlotGrid.Decision d = SlotGrid.decide(
          e.nextSlot,
          virtualNow,
          e.schedule.interval(),
          busy,
          options.misfireThreshold(),
          options.misfirePolicy());
      e.nextSlot = d.next();
      if (!(d instanceof SlotGrid.Wait)) {
        e.cameFromElsewhere = false;
      }
      if (d instanceof SlotGrid.Skip skip) {
        missedNow += skip.missed();
        context.observer().missed(id, (int) Math.min(Integer.MAX_VALUE, skip.missed()), skip.why());
        reportMissed(e, skip.missed(), cause, skip.why(), skip.next());
        if (busy) {
          log.warn(
              "schedule {} (camera {}): {} slot(s) missed ({})",
              id,
              e.schedule.cameraId(),
              skip.missed(),
              skip.why());
        } else {
          log.info(
              "schedule {} (camera {}): {} slot(s) missed; skipping to {}",
              id,
              e.schedule.cameraId(),
              skip.missed(),
              skip.next());
        }
      } else if (d instanceof SlotGrid.Fire fire) {
        if (fire.missedBefore() > 0) {
          missedNow += fire.missedBefore();
          context
              .observer()
              .missed(
                  id,
                  (int) Math.min(Integer.MAX_VALUE, fire.missedBefore()),
                  "misfire, fired once");
          reportMissed(e, fire.missedBefore(), cause, "misfire, fired once", fire.slot());
          log.info(
              "schedule {} (camera {}): {} slot(s) missed; firing once for {}",
              id,
              e.schedule.cameraId(),
              fire.missedBefore(),
              fire.slot());
        }
        if (fire(e, fire.slot())) {
          firedNow++;
        }
      } // SlotGrid.Wait: nothing due yet
    }
    fired.addAndGet(firedNow);
    missed.addAndGet(missedNow);
    return new TickReport(firedNow, (int) Math.min(Integer.MAX_VALUE, missedNow));
  }

  /**
   * Updates which schedules this process captures now (all of them outside a cluster); returns
   * whether a camera came from another node, so its schedules are re-read before deciding.
   */
  private boolean takeOwnership() {
    boolean arrived = false;
    for (Entry e : entries.values()) {
      boolean now = context.assignment().owns(e.schedule.cameraId(), Duty.CAPTURE);
      if (now) {
        long epoch = context
            .assignment()
            .lease(e.schedule.cameraId(), Duty.CAPTURE)
            .map(Lease::epoch)
            .orElse(-1L);
        // A new epoch is a new tenure even if no tick saw the lease gone (this thread was waiting
        // on an unreachable database while the lease expired and was taken back).
        if (e.heldEpoch >= 0 && epoch >= 0 && epoch != e.heldEpoch) {
          e.newTenure = true;
        }
        if (Boolean.FALSE.equals(e.owned) || e.newTenure) {
          e.cameFromElsewhere = true;
          arrived = true;
        }
        e.heldEpoch = epoch;
      }
      if (!now && Boolean.TRUE.equals(e.owned)) {
        log.info(
            "schedule {} (camera {}): capture lease given up or lost; no more slots here",
            e.schedule.id(),
            e.schedule.cameraId());
      }
      e.owned = now;
    }
    return arrived;
  }

  /**
   * Records slots passed without a capture ({@code snapshot_missed}), never silently, together
   * with the last of them as spent: whoever resumes the schedule (this process after a restart,
   * another node after a failover) starts after them and does not count them again.
   */
  private void reportMissed(Entry e, long count, String cause, String why, Instant next) {
    if (count <= 0) {
      return;
    }
    ledger.spendMissed(
        e.schedule,
        next.minus(e.schedule.interval()),
        new TypedEvent.SnapshotMissed(e.schedule.id(), count, cause != null ? cause : why, next),
        count + " missed slot(s)",
        context.assignment().lease(e.schedule.cameraId(), Duty.CAPTURE));
  }

  /**
   * In a cluster: every two lease periods, removes or finishes the temp files of the cameras this
   * node now captures that are older than two lease periods (left by a node that died mid-write).
   */
  private void sweepOrphans() {
    Duration age = context.assignment().orphanAge();
    if (age.isZero()) {
      return;
    }
    long now = context.ticker().read();
    if (lastOrphanSweep != 0 && now - lastOrphanSweep < age.toNanos()) {
      return;
    }
    lastOrphanSweep = now;
    try {
      SnapshotFiles.Recovered r = recoverTempFiles();
      if (r.completed() + r.removed() > 0) {
        log.info(
            "snapshot temp files older than {} left by another node: {} renamed to their committed name, {} without a row removed",
            age,
            r.completed(),
            r.removed());
      }
    } catch (IOException | RuntimeException e) {
      log.warn("could not sweep old snapshot temp files under {}", snapshotsRoot, e);
    }
  }

  /**
   * Finishes or removes the temp files of the cameras this process captures: all of them, for a
   * single process; in a cluster only those older than {@link CameraAssignment#orphanAge()} (a live
   * owner's writes are younger).
   */
  private SnapshotFiles.Recovered recoverTempFiles() throws IOException {
    Duration age = context.assignment().orphanAge();
    return files.recoverTempFiles(
        path -> store.snapshots().findByPath(path).isPresent(),
        camera -> context.assignment().owns(camera, Duty.CAPTURE),
        age.isZero() ? Long.MAX_VALUE : clock.millis() - age.toMillis());
  }

  /**
   * Follows the wall clock forward, never back. While the wall clock is behind (it stepped back),
   * advances by monotonic elapsed time instead, so slots neither repeat nor stall.
   */
  private void advance(Instant wall) {
    long mono = context.ticker().read();
    if (lastWall == null) {
      Instant latestFired = wall;
      for (Entry e : entries.values()) {
        Optional<Instant> lf = e.schedule.lastFiredAt();
        if (lf.isPresent() && lf.get().isAfter(latestFired)) {
          latestFired = lf.get();
        }
      }
      virtualNow = latestFired;
    } else {
      if (wall.isBefore(lastWall)) {
        log.warn(
            "wall clock stepped back by {}; snapshot slots continue from {}",
            Duration.between(wall, lastWall),
            virtualNow);
      }
      Instant followed = virtualNow.plusNanos(Math.max(0, mono - lastMonotonic));
      virtualNow = followed.isAfter(wall) ? followed : wall;
    }
    lastWall = wall;
    lastMonotonic = mono;
  }

  private void refresh() {
    Instant basis = virtualNow != null ? virtualNow : clock.instant();
    Map<String, Camera> cams = new HashMap<>();
    for (Camera c : store.cameras().list()) {
      cams.put(c.id(), c);
    }
    cameras = cams;
    Set<Long> seen = new HashSet<>();
    for (SnapshotSchedule s : store.snapshotSchedules().list()) {
      seen.add(s.id());
      Entry e = entries.get(s.id());
      Instant computed = s.lastFiredAt()
          .map(lf -> SlotGrid.firstAfter(lf, s.interval()))
          .orElseGet(() -> SlotGrid.firstAtOrAfter(s.createdAt(), s.interval()));
      if (e == null) {
        Entry created = new Entry(s, computed);
        created.owned = context.assignment().owns(s.cameraId(), Duty.CAPTURE);
        entries.put(s.id(), created);
      } else {
        boolean regrid =
            !e.schedule.interval().equals(s.interval()) || (!e.schedule.enabled() && s.enabled());
        if (regrid) {
          Instant from = s.lastFiredAt().orElse(basis);
          e.nextSlot = s.enabled() && !e.schedule.enabled()
              ? SlotGrid.firstAtOrAfter(basis, s.interval())
              : SlotGrid.firstAfter(from, s.interval());
        } else if (e.newTenure || computed.isAfter(e.nextSlot)) {
          // Another process fired it meanwhile; or the camera is back on this node under a new
          // lease, and what it fired under the old one and never recorded is accounted from the
          // store's last spent slot.
          e.nextSlot = computed;
        }
        e.newTenure = false;
        e.schedule = s;
      }
    }
    entries.keySet().removeIf(id -> !seen.contains(id));
    nextRefresh = basis.plus(options.refreshInterval());
  }

  /**
   * Gives up on captures running past their timeout plus a grace: the slot fails ({@code
   * snapshot_failed}, timed out) and the schedule goes on; the capture thread is interrupted and
   * whatever it returns later is dropped. A source that never returns (a camera that accepts the
   * connection and sends nothing) therefore costs one slot, never the schedule.
   */
  private void interruptHungCaptures() {
    long limit = options.captureTimeout().plus(HUNG_GRACE).toNanos();
    long now = context.ticker().read();
    for (Entry e : entries.values()) {
      // A capture's timeout runs from when a capture thread began it; one still waiting for a
      // thread is given up on as long after it was handed over, as Heldar's failure, not the
      // camera's.
      Optional<Abandoned> given =
          abandonIf(e, x -> now - (x.ranNanos == 0 ? x.startedNanos : x.ranNanos) > limit);
      if (given.isEmpty()) {
        continue;
      }
      Abandoned a = given.get();
      if (a.neverStarted()) {
        notStarted.incrementAndGet();
        log.warn(
            "schedule {} (camera {}): the capture for slot {} never started: every capture thread"
                + " was busy for {} (Heldar is saturated; the camera was not asked)",
            e.schedule.id(),
            e.schedule.cameraId(),
            a.slot(),
            Duration.ofNanos(limit));
        failAbandoned(
            e,
            a,
            new CaptureNotStartedException(
                e.schedule.cameraId(),
                "capture never started: every capture thread was busy for "
                    + Duration.ofNanos(limit)
                    + " (Heldar is saturated; the camera was not asked)"));
        continue;
      }
      log.warn(
          "schedule {} (camera {}): capture still running {} past its timeout; giving up on slot {}",
          e.schedule.id(),
          e.schedule.cameraId(),
          HUNG_GRACE,
          a.slot());
      failAbandoned(
          e,
          a,
          new SnapshotCaptureException(
              e.schedule.cameraId(),
              "capture did not end within its timeout of " + options.captureTimeout()
                  + " (the source ignored it)",
              true,
              null));
    }
  }

  /**
   * A running capture given up on: its slot, the thread running it (null before it began), the
   * capture lease it was fired under, and whether it never began (every capture thread busy).
   */
  private record Abandoned(
      Instant slot, Thread runner, Optional<Lease> tenure, boolean neverStarted) {}

  /**
   * Gives up on {@code e}'s running capture when {@code when} holds: whatever it returns later is
   * dropped. Empty when no capture runs or {@code when} does not hold.
   */
  private static Optional<Abandoned> abandonIf(Entry e, java.util.function.Predicate<Entry> when) {
    synchronized (e) {
      if (!e.busy || !when.test(e)) {
        return Optional.empty();
      }
      e.generation++;
      e.busy = false;
      return Optional.of(new Abandoned(e.runningSlot, e.runner, e.runningTenure, e.ranNanos == 0));
    }
  }

  /** Interrupts an abandoned capture, fails and spends its slot, and counts it finished. */
  private void failAbandoned(Entry e, Abandoned a, Exception why) {
    if (a.runner() != null) {
      a.runner().interrupt();
    }
    ledger.fail(e.schedule, a.slot(), why, a.tenure());
    finish();
  }

  /**
   * Cluster mode, before this node hands the capture leases of {@code cameraIds} over: each of their
   * captures still running is given up on here, its slot failed and spent under the lease it was
   * fired under, so the next owner, which resumes after the last spent slot, finds every slot
   * accounted for. Whatever such a capture returns later is dropped. Captures already taken (their
   * file being written, or their row waiting for its commit) are waited for, up to {@link
   * #HANDOVER_COMMIT_WAIT}, so they are stored under the lease they were fired under.
   */
  public synchronized void abandonCaptures(java.util.Set<String> cameraIds) {
    for (Entry e : entries.values()) {
      if (!cameraIds.contains(e.schedule.cameraId())) {
        continue;
      }
      Optional<Abandoned> given = abandonIf(e, x -> true);
      if (given.isEmpty()) {
        continue;
      }
      log.info(
          "schedule {} (camera {}): capture of slot {} given up: the camera is handed over",
          e.schedule.id(),
          e.schedule.cameraId(),
          given.get().slot());
      failAbandoned(
          e,
          given.get(),
          new SnapshotCaptureException(
              e.schedule.cameraId(),
              "the camera was handed over to another node while this capture ran",
              false,
              null));
    }
    awaitCommits(cameraIds);
    ledger.retryUnrecorded(); // failures waiting for those commits, recorded under the lease held
  }

  /**
   * Per camera, captures taken whose file is being written or whose row is waiting for its commit:
   * a handover waits for them (see {@link #abandonCaptures}).
   */
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> committing =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The longest a handover waits for captures already taken to be committed. */
  static final Duration HANDOVER_COMMIT_WAIT = Duration.ofSeconds(2);

  private java.util.concurrent.atomic.AtomicInteger committing(String cameraId) {
    return committing.computeIfAbsent(
        cameraId, k -> new java.util.concurrent.atomic.AtomicInteger());
  }

  /** A capture of {@code cameraId} past its capture is over: stored, dropped or failed. */
  private void committed(String cameraId) {
    committing(cameraId).decrementAndGet();
    synchronized (committing) {
      committing.notifyAll();
    }
  }

  /**
   * Waits, up to {@link #HANDOVER_COMMIT_WAIT}, for the captures of {@code cameraIds} already taken
   * to be written and committed, under the leases still held: a slot whose bytes are in is stored
   * by this node, not lost between its release and the next owner (who resumes after the last spent
   * slot).
   */
  private void awaitCommits(java.util.Set<String> cameraIds) {
    if (closing) {
      return; // stopping: the commits drain (or not) within stop()'s own deadline, not past it
    }
    Deadline deadline = Deadline.after(HANDOVER_COMMIT_WAIT);
    synchronized (committing) {
      while (cameraIds.stream().anyMatch(c -> committing(c).get() > 0) && !deadline.hasPassed()) {
        try {
          deadline.waitOn(committing);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    for (String c : cameraIds) {
      if (committing(c).get() > 0) {
        log.warn(
            "camera {}: {} capture(s) not yet committed at the handover; their slots go to the next"
                + " owner",
            c,
            committing(c).get());
      }
    }
  }

  /** Slots given up on because their capture never started (Heldar saturated), since start. */
  public long capturesNotStarted() {
    return notStarted.get();
  }

  private boolean fire(Entry e, Instant slot) {
    SnapshotSchedule schedule = e.schedule;
    Camera camera = cameras.get(schedule.cameraId());
    Optional<Lease> tenure = context.assignment().lease(schedule.cameraId(), Duty.CAPTURE);
    long generation;
    synchronized (e) {
      e.busy = true;
      e.runningSlot = slot;
      e.runningTenure = tenure;
      e.startedNanos = context.ticker().read();
      e.ranNanos = 0;
      generation = e.generation;
    }
    ledger.opened(schedule.id(), slot);
    inFlight.incrementAndGet();
    capturing.incrementAndGet();
    try {
      if (closing) {
        throw new RejectedExecutionException("closing");
      }
      captures.execute(() -> {
        try {
          capture(e, schedule, camera, slot, generation, tenure);
        } finally {
          capturedOne();
        }
      });
      return true;
    } catch (RejectedExecutionException refused) {
      capturedOne();
      e.busy = false;
      if (closing) {
        ledger.settled(schedule.id(), slot); // never captured: the next start counts it missed
      } else {
        // The host's capture executor refused the capture (full, or shut down by the host): the
        // slot fails as Heldar's, not the camera's, rather than vanish.
        notStarted.incrementAndGet();
        ledger.fail(
            schedule,
            slot,
            new CaptureNotStartedException(
                schedule.cameraId(),
                "capture never started: the capture executor refused it (" + refused.getMessage()
                    + ")"),
            tenure);
      }
      finish();
      return false;
    }
  }

  /**
   * Capture threads only talk to cameras: once the bytes are in, the camera is free for its next
   * slot and the file is written by the write threads, so a slow disk never delays a capture and a
   * slow camera never delays the disk.
   */
  private void capture(
      Entry e,
      SnapshotSchedule schedule,
      Camera camera,
      Instant slot,
      long generation,
      Optional<Lease> tenure) {
    synchronized (e) {
      if (e.generation != generation) {
        return; // given up on before it started
      }
      e.runner = Thread.currentThread();
      e.ranNanos = context.ticker().read();
    }
    String cameraId = schedule.cameraId();
    byte[] jpeg = null;
    Instant takenAt = null;
    Throwable failure = null;
    try {
      takenAt = clock.instant();
      context.observer().fired(schedule.id(), slot, takenAt);
      if (camera == null) {
        throw new SnapshotCaptureException(cameraId, "camera is not registered");
      }
      jpeg = source.capture(camera, options.captureTimeout());
      if (!Jpeg.isComplete(jpeg)) {
        throw new SnapshotCaptureException(cameraId, Jpeg.describeProblem(jpeg));
      }
    } catch (Throwable t) { // NOPMD: any failure of one capture is reported, never propagated
      failure = t;
    } finally {
      Thread.interrupted(); // a hung-capture interrupt must not leak into the next task
    }
    synchronized (e) {
      if (e.generation != generation) {
        log.debug(
            "schedule {}: dropping the late result of an abandoned capture for slot {}",
            schedule.id(),
            slot);
        return; // already failed and finished by interruptHungCaptures
      }
      e.runner = null;
      e.busy = false;
    }
    if (failure != null) {
      ledger.fail(schedule, slot, failure, tenure);
      finish();
      return;
    }
    Instant at = takenAt;
    byte[] bytes = jpeg;
    committing(cameraId).incrementAndGet();
    try {
      writers.execute(() -> write(schedule, slot, at, bytes, tenure));
    } catch (RejectedExecutionException full) {
      committed(cameraId);
      ledger.fail(
          schedule,
          slot,
          new SnapshotCaptureException(
              cameraId,
              "snapshot write backlog full (" + WRITE_BACKLOG + " waiting); disk too slow?"),
          tenure);
      finish();
    }
  }

  private void write(
      SnapshotSchedule schedule,
      Instant slot,
      Instant takenAt,
      byte[] jpeg,
      Optional<Lease> tenure) {
    try {
      SnapshotFiles.Written w = files.prepare(schedule.cameraId(), schedule.id(), takenAt, jpeg);
      // The row is written by the committer, in a group with others; the file gets its final name
      // after.
      committer.add(new SnapshotCommitter.Pending(schedule, slot, w, takenAt, tenure));
    } catch (Throwable t) { // NOPMD: reported as this snapshot's failure
      ledger.fail(
          schedule,
          slot,
          new SnapshotCaptureException(
              schedule.cameraId(), "cannot write snapshot file: " + t, false, t),
          tenure);
      committed(schedule.cameraId());
      finish();
    }
  }

  /** One fired slot is over: stored, or failed and reported. */
  private void finish() {
    if (inFlight.decrementAndGet() == 0) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }

  private void capturedOne() {
    if (capturing.decrementAndGet() == 0) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }

  /** Waits until no capture runs, or the deadline; whether none runs. */
  private boolean awaitCaptures(Deadline deadline) throws InterruptedException {
    synchronized (idle) {
      while (capturing.get() > 0) {
        if (deadline.hasPassed()) {
          return false;
        }
        deadline.waitOn(idle);
      }
      return true;
    }
  }

  /** Interrupts the captures running now (on a host's executor, which Heldar does not shut down). */
  private void interruptCaptures() {
    for (Entry e : entries.values()) {
      synchronized (e) {
        if (e.busy && e.runner != null) {
          e.runner.interrupt();
        }
      }
    }
  }

  @Override
  public boolean awaitIdle(Duration timeout) {
    Deadline deadline = Deadline.after(timeout);
    synchronized (idle) {
      while (inFlight.get() > 0) {
        if (deadline.hasPassed()) {
          return false;
        }
        try {
          deadline.waitOn(idle);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  @Override
  public RecoveryReport recover() {
    committer.start();
    SnapshotFiles.Recovered recovered;
    try {
      recovered = recoverTempFiles();
    } catch (IOException e) {
      log.warn("could not recover temp files under {}", snapshotsRoot, e);
      recovered = new SnapshotFiles.Recovered(0, 0);
    }
    int removed = recovered.removed();
    if (removed > 0 || recovered.completed() > 0) {
      log.info(
          "snapshot recovery: {} temp file(s) a crash left renamed to their committed name, {} without a row removed",
          recovered.completed(),
          removed);
    }
    List<String> missing = new ArrayList<>();
    for (Camera c : store.cameras().list()) {
      if (!context.assignment().owns(c.id(), Duty.CAPTURE)) {
        continue; // another node's: it checks its own
      }
      List<String> gone = new ArrayList<>();
      for (Snapshot s : store.snapshots().all(c.id())) {
        if (!Files.exists(files.resolve(s.path()))) {
          gone.add(s.path());
        }
      }
      if (!gone.isEmpty()) {
        log.warn(
            "camera {}: {} snapshot row(s) point at missing files, e.g. {}",
            c.id(),
            gone.size(),
            gone.get(0));
        context
            .events()
            .publish(HeldarEvent.of(
                c.id(),
                new TypedEvent.SnapshotFileMissing(gone.size(), gone.get(0), Optional.empty()),
                clock.instant()));
        missing.addAll(gone);
      }
    }
    return new RecoveryReport(removed, recovered.completed(), missing);
  }

  @Override
  public Stats stats() {
    return new Stats(fired.get(), missed.get(), committer.stored(), ledger.failures());
  }

  @Override
  public void close() {
    close(Deadline.after(context.runtime().stopTimeout()));
  }

  @Override
  public void close(Deadline deadline) {
    closing = true;
    if (ownCaptures != null) {
      ownCaptures.shutdownNow();
    } else {
      interruptCaptures(); // the host's executor lives on; only Heldar's captures on it are stopped
    }
    try {
      if (!awaitCaptures(deadline)) {
        log.warn(
            "{} snapshot capture(s) still running at the stop deadline; abandoned",
            capturing.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Captured JPEGs are still written, within the deadline; what is not is recovered at the next
    // start (a temp file without a row is removed).
    ExecutorShutdown.shutdown(writers, deadline, "snapshot writes");
    // The committer drains what the capture threads handed it, then ends; its renames finish.
    committer.close(deadline);
    ledger.retryUnrecorded(); // what waited for the last commits (or the store), once more
    ExecutorShutdown.shutdown(renamers, deadline, "snapshot renames");
  }
}
