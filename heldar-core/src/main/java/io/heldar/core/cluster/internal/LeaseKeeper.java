package io.heldar.core.cluster.internal;

import io.heldar.core.cluster.CameraAssignment;
import io.heldar.core.cluster.ClusterOptions;
import io.heldar.core.engine.internal.Engine;
import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.model.Camera;
import io.heldar.core.runtime.Deadline;
import io.heldar.core.runtime.Ticker;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.store.LeaseLostException;
import io.heldar.core.store.LeaseStore;
import io.heldar.core.store.LeaseStore.Duty;
import io.heldar.core.store.LeaseStore.Lease;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster node's side of the leases. Renewals run on a thread of their own ({@link
 * #startRenewing()}, every renew interval: measure the clock offset from the database, renew every
 * held lease in one statement, heartbeat), so they never wait behind a claim scan however many
 * cameras it claims; each {@link #claimTick()} gives up surplus cameras and claims free or expired
 * ones up to its share, in sets ({@link LeaseStore#claimAll}). {@link #owns} answers from memory;
 * {@link #fenced} runs work under the store's fence.
 *
 * <p>A share is {@code min(capacity, ceil(unpinned cameras / live nodes))} per duty, a node being
 * live while its heartbeat is younger than one lease on the database's clock; for capture, only
 * the live nodes that capture count (a node whose clock is off the database's says it does not).
 * A node prefers the cameras that rank highest for it by a hash of (node, camera), so a cluster
 * settles on a stable division and nodes racing for free cameras mostly ask for different ones.
 */
public final class LeaseKeeper implements CameraAssignment, Engine {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  private record Key(String cameraId, Duty duty) {}

  /** A lease held, and the ticker reading taken just before its last successful renewal. */
  private record Held(Lease lease, long renewedAtNanos) {}

  private final ClusterOptions options;
  private final LeaseStore leases;
  private final HeldarStore store;
  private final EventPublisher events;
  private final GapDetector gaps;
  private final Clock clock;
  private final Ticker ticker;
  private final Map<Key, Held> held = new ConcurrentHashMap<>();
  /** A lease no longer held: lost (expired, taken over) or given up by this node (a handover). */
  private record Former(Lease lease, boolean givenUp) {}

  /** The last lease held per (camera, duty) after it was lost or given up: late writes name it. */
  private final Map<Key, Former> former = new ConcurrentHashMap<>();

  private volatile boolean skewed;
  private final Map<Key, Long> unownedSince = new HashMap<>();
  /** When this node last opened or stretched a camera's node_down gap (ticker nanos). */
  private final Map<String, Long> nodeDownMarked = new HashMap<>();
  /** Cameras whose last node_down write failed (warned once until one succeeds). */
  private final Set<String> nodeDownFailing = new HashSet<>();

  private final Set<Key> warnedUnowned = new HashSet<>();
  private volatile Map<String, String> unowned = Map.of();
  private volatile boolean stopping;
  private volatile java.util.function.Consumer<java.util.Set<String>> beforeCaptureHandover =
      cameras -> {};
  /** Claim scans and the release at stop, one at a time. */
  private final java.util.concurrent.locks.ReentrantLock lock =
      new java.util.concurrent.locks.ReentrantLock();
  /** Renewals, one at a time; never held while waiting for {@link #lock}. */
  private final java.util.concurrent.locks.ReentrantLock renewLock =
      new java.util.concurrent.locks.ReentrantLock();

  private volatile boolean renewedOnce;
  /** Set once every lease was given back: no renewal after that. */
  private volatile boolean released;

  private volatile java.util.concurrent.ScheduledExecutorService renewer;
  /** Renewals failed in a row (warned at the first, and when they work again). */
  private int renewFailures;

  private final AtomicLong statements = new AtomicLong();
  private final AtomicLong acquired = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  /**
   * @param options the node's options
   * @param context the store (whose {@link HeldarStore#leases()} must be present), where lease
   *     events go, the gap detector (for {@code node_down} gaps of pinned cameras whose storage
   *     node is down), the node's clock (compared with the database's) and the ticker of renewals;
   *     its assignment is not read: this keeper is the assignment
   */
  public LeaseKeeper(ClusterOptions options, EngineContext context) {
    this.options = Objects.requireNonNull(options, "options");
    this.store = context.store();
    this.leases = store
        .leases()
        .orElseThrow(() -> new IllegalStateException(
            "cluster mode needs a store with leases (PostgreSQL); this store is single-node"));
    this.events = context.events();
    this.gaps = context.gaps();
    this.clock = context.clock();
    this.ticker = context.ticker();
  }

  @Override
  public String name() {
    return "cluster-leases";
  }

  /** The engine's start: renewals begin on their own thread. */
  @Override
  public void start() {
    startRenewing();
  }

  /** The engine's tick: one claim scan, at the claim interval. */
  @Override
  public Duration tick() {
    claimTick();
    return Engine.AT_PACE;
  }

  /** The engine's stop: every lease given back, within the deadline. */
  @Override
  public void stop(Deadline deadline) {
    releaseAll(deadline);
  }

  /**
   * Called with the cameras whose capture leases this node is about to give up (rebalancing, clock
   * skew, stop), while it still holds them: the snapshot engine settles their running captures
   * under the leases they were fired under, so no slot is left between two nodes' accounts.
   */
  public void beforeCaptureHandover(java.util.function.Consumer<java.util.Set<String>> hook) {
    this.beforeCaptureHandover = Objects.requireNonNull(hook, "hook");
  }

  /** This node's id. */
  public String nodeId() {
    return options.nodeId();
  }

  @Override
  public boolean owns(String cameraId, Duty duty) {
    if (stopping || (duty == Duty.CAPTURE && skewed)) {
      return false;
    }
    Held h = held.get(new Key(cameraId, duty));
    return h != null && fresh(h);
  }

  private boolean fresh(Held h) {
    return ticker.read() - h.renewedAtNanos()
        < options.lease().minus(options.safetyMargin()).toNanos();
  }

  @Override
  public <T> T fenced(String cameraId, Duty duty, Supplier<T> work) {
    Held h = held.get(new Key(cameraId, duty));
    if (h == null) {
      Former was = former.get(new Key(cameraId, duty));
      if (was == null) {
        throw new LeaseLostException(options.nodeId(), cameraId, duty);
      }
      rejected.incrementAndGet();
      LeaseLostException refused = new LeaseLostException(
          was.lease(),
          was.givenUp()
              ? "handed over before this write committed"
              : "lost before this write committed");
      if (was.givenUp()) {
        // A handover (rebalancing, stopping): the new owner redoes the work; nothing is lost.
        log.info(
            "camera {}: a {} write was dropped: {}",
            cameraId,
            duty.dbValue(),
            refused.getMessage());
      } else {
        // Work begun under a lease that was not renewed in time: refused whole, and said so.
        log.warn(
            "camera {}: a {} write was refused: {}",
            cameraId,
            duty.dbValue(),
            refused.getMessage());
        publishQuietly(
            cameraId,
            new TypedEvent.LeaseLost(
                duty.dbValue(),
                options.nodeId(),
                was.lease().epoch(),
                "write rejected: the lease was lost before it committed"));
      }
      throw refused;
    }
    try {
      return leases.fenced(h.lease(), work);
    } catch (LeaseLostException e) {
      rejected.incrementAndGet();
      Key key = new Key(cameraId, duty);
      if (held.remove(key, h)) {
        former.put(key, new Former(h.lease(), false));
      }
      Former f = former.get(key);
      // The same lease given up by this node: compared by epoch, as each renewal changes its
      // expiry.
      if (f != null && f.givenUp() && f.lease().epoch() == h.lease().epoch()) {
        log.info(
            "camera {}: a {} write was dropped: handed over meanwhile", cameraId, duty.dbValue());
        throw e;
      }
      log.warn(
          "camera {}: a {} write was rejected by the fence: {}",
          cameraId,
          duty.dbValue(),
          e.getMessage());
      publishQuietly(
          cameraId,
          new TypedEvent.LeaseLost(
              duty.dbValue(),
              options.nodeId(),
              h.lease().epoch(),
              "write rejected by the fence: " + e.getMessage()));
      throw e;
    }
  }

  @Override
  public <T> T fencedAll(java.util.Collection<String> cameraIds, Duty duty, Supplier<T> work) {
    if (cameraIds.size() == 1) {
      return fenced(cameraIds.iterator().next(), duty, work);
    }
    List<Lease> all = new ArrayList<>();
    for (String cameraId : cameraIds) {
      Held h = held.get(new Key(cameraId, duty));
      if (h == null) {
        // the caller splits the group and finds which camera it was
        throw new LeaseLostException(options.nodeId(), cameraId, duty);
      }
      all.add(h.lease());
    }
    // Any lease lost: the whole group rolls back; the caller retries camera by camera, where
    // fenced() counts and reports the one that was lost.
    return leases.fencedAll(all, work);
  }

  @Override
  public java.util.Optional<Lease> lease(String cameraId, Duty duty) {
    return java.util.Optional.ofNullable(held.get(new Key(cameraId, duty))).map(Held::lease);
  }

  @Override
  public Duration orphanAge() {
    return options.lease().multipliedBy(2);
  }

  /** The node's figures, from memory. */
  public io.heldar.core.cluster.ClusterStatus status() {
    return new io.heldar.core.cluster.ClusterStatus(
        options.nodeId(),
        held(),
        statements.get(),
        acquired.get(),
        lost.get(),
        rejected.get(),
        skewed,
        unowned);
  }

  /** The leases this node holds now (renewed or not). */
  public List<Lease> held() {
    return held.values().stream().map(Held::lease).toList();
  }

  /** Lease statements sent since start (heartbeats, reads, claims, renewals, releases). */
  public long statements() {
    return statements.get();
  }

  /** Writes the fence rejected since start. */
  public long rejectedWrites() {
    return rejected.get();
  }

  /** Leases taken since start. */
  public long acquisitions() {
    return acquired.get();
  }

  /** Leases lost since start (not renewed in time, or rejected by the fence). */
  public long losses() {
    return lost.get();
  }

  /** Whether the last renewal found this node's clock too far off the database's. */
  public boolean clockSkewed() {
    return skewed;
  }

  /**
   * Starts renewing on a thread of its own, every renew interval, until {@link #releaseAll}: a
   * claim scan of thousands of cameras, or a runtime whose threads are all busy, never delays a
   * renewal.
   */
  public synchronized void startRenewing() {
    if (renewer != null || stopping) {
      return; // started already, or stopping
    }
    java.util.concurrent.ScheduledExecutorService s =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "heldar-lease-renew");
          t.setDaemon(true);
          return t;
        });
    renewer = s;
    long every = Math.max(1, options.renewInterval().toMillis());
    s.scheduleWithFixedDelay(
        this::renewQuietly, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private void renewQuietly() {
    try {
      renewTick();
      if (renewFailures > 0) {
        log.info(
            "node {}: renewals work again after {} failure(s)", options.nodeId(), renewFailures);
      }
      renewFailures = 0;
    } catch (Throwable t) {
      // Caught whatever it is: a ScheduledExecutorService silently drops a task that throws.
      if (renewFailures++ == 0) {
        log.warn(
            "node {}: renewing its leases failed; it retries every {} and stops starting work once"
                + " they are older than the lease less the safety margin",
            options.nodeId(),
            options.renewInterval(),
            t);
      }
    }
  }

  /** One renewal: the clock offset, every held lease in one statement, then the heartbeat. */
  public void renewTick() {
    renewLock.lock();
    try {
      if (released) {
        return;
      }
      renew();
      leases.heartbeat(options.nodeId(), options.capacity(), !skewed);
      statements.incrementAndGet();
    } finally {
      renewLock.unlock();
    }
  }

  /**
   * One claim scan: release surplus, claim up to the share, note cameras no node holds. The first
   * scan renews first (heartbeat and clock offset) when the renewal thread has not yet.
   */
  public void claimTick() {
    lock.lock();
    try {
      if (stopping) {
        return;
      }
      if (!renewedOnce) {
        renewTick();
      }
      balance();
    } finally {
      lock.unlock();
    }
  }

  /** A renewal and a claim scan, on the caller's thread (tests and one-thread hosts). */
  public void renewAndClaim() {
    renewTick();
    claimTick();
  }

  private void renew() {
    long before = ticker.read();
    Instant sent = clock.instant();
    Instant dbNow = leases.databaseNow();
    Instant received = clock.instant();
    statements.incrementAndGet();
    checkSkew(sent, dbNow, received);
    List<Held> current = new ArrayList<>(held.values());
    if (!current.isEmpty()) {
      List<Lease> renewed =
          leases.renewAll(current.stream().map(Held::lease).toList(), options.lease());
      statements.incrementAndGet();
      Map<Key, Lease> byKey = new HashMap<>();
      renewed.forEach(l -> byKey.put(new Key(l.cameraId(), l.duty()), l));
      for (Held h : current) {
        Key k = new Key(h.lease().cameraId(), h.lease().duty());
        Lease r = byKey.get(k);
        if (r != null) {
          held.replace(k, h, new Held(r, before));
        } else if (held.remove(k, h)) {
          former.put(k, new Former(h.lease(), false));
          lose(h.lease(), "not renewed in time: expired or taken over");
        }
      }
    }
    renewedOnce = true;
  }

  private void checkSkew(Instant sent, Instant dbNow, Instant received) {
    Instant mid = sent.plus(Duration.between(sent, received).dividedBy(2));
    long offsetMs = Duration.between(mid, dbNow).toMillis();
    long limitMs = options.maxClockSkew().toMillis();
    boolean tooFar = Math.abs(offsetMs) > limitMs;
    if (tooFar && !skewed) {
      log.error(
          "node {}: clock is {} ms off the database's (limit {} ms); capturing stops until it is back",
          options.nodeId(),
          offsetMs,
          limitMs);
      publishQuietly(null, new TypedEvent.ClockSkew(options.nodeId(), offsetMs, limitMs));
    } else if (!tooFar && skewed) {
      log.info("node {}: clock back within {} ms of the database's", options.nodeId(), limitMs);
    }
    skewed = tooFar;
  }

  private void balance() {
    Instant dbNow = leases.databaseNow();
    List<LeaseStore.Node> nodes = leases.nodes();
    List<Lease> all = leases.leases();
    List<Camera> cameras = store.cameras().list();
    statements.addAndGet(4);
    Instant liveSince = dbNow.minus(options.lease());
    Set<String> liveNodes = new HashSet<>();
    Set<String> capturingNodes = new HashSet<>();
    Map<String, Instant> heartbeats = new HashMap<>();
    for (LeaseStore.Node n : nodes) {
      heartbeats.put(n.nodeId(), n.heartbeatAt());
      if (n.heartbeatAt().isAfter(liveSince)) {
        liveNodes.add(n.nodeId());
        if (n.capturing()) {
          capturingNodes.add(n.nodeId());
        }
      }
    }
    liveNodes.add(options.nodeId()); // this node is live, whatever its last heartbeat says
    capturingNodes.remove(options.nodeId());
    if (!skewed) {
      capturingNodes.add(options.nodeId());
    }
    Map<Key, Lease> table = new HashMap<>();
    all.forEach(l -> table.put(new Key(l.cameraId(), l.duty()), l));
    for (Duty duty : Duty.values()) {
      if (duty == Duty.CAPTURE && skewed) {
        giveUp(k -> k.duty() == Duty.CAPTURE, "clock skew");
        continue;
      }
      List<String> unpinned = new ArrayList<>();
      List<String> pinnedHere = new ArrayList<>();
      for (Camera c : cameras) {
        String pin = options.pins().get(c.id());
        if (pin == null) {
          unpinned.add(c.id());
        } else if (pin.equals(options.nodeId()) && !held.containsKey(new Key(c.id(), duty))) {
          pinnedHere.add(c.id());
        }
      }
      claimAll(pinnedHere, duty, table, dbNow);
      // A node that does not capture (its clock is off) leaves its share to those that do.
      long live = Math.max(1, duty == Duty.CAPTURE ? capturingNodes.size() : liveNodes.size());
      long target = Math.min(options.capacity(), (unpinned.size() + live - 1) / live);
      List<String> mine = unpinned.stream()
          .filter(id -> held.containsKey(new Key(id, duty)))
          .sorted(byRank())
          .toList();
      if (mine.size() > target) {
        // Give the lowest-ranked surplus back: the next claim scan of a node below its share takes
        // it.
        Set<Key> surplus = new HashSet<>();
        mine.subList((int) target, mine.size()).forEach(id -> surplus.add(new Key(id, duty)));
        giveUp(surplus::contains, "rebalancing to " + target + " per node");
        continue;
      }
      long room = target - mine.size();
      List<String> candidates = unpinned.stream()
          .filter(id -> !held.containsKey(new Key(id, duty)))
          .filter(id -> claimable(table.get(new Key(id, duty)), dbNow))
          .sorted(byRank())
          .toList();
      // In sets, the best-ranked first; a set's misses (another node was faster) leave room for
      // the next ones.
      int next = 0;
      while (room > 0 && next < candidates.size()) {
        int end = (int) Math.min(candidates.size(), next + Math.min(room, CLAIM_SET));
        room -= claimAll(candidates.subList(next, end), duty, table, dbNow);
        next = end;
      }
    }
    noteUnowned(cameras, table, dbNow, liveNodes, heartbeats);
  }

  /**
   * Cameras whose duty no node has held for longer than one lease (as this node sees the leases):
   * logged once with the reason and listed in {@link #status()}, never left unsaid. Between a
   * lease's expiry and the next claim a camera is briefly unowned; that is not reported.
   */
  private void noteUnowned(
      List<Camera> cameras,
      Map<Key, Lease> table,
      Instant dbNow,
      Set<String> liveNodes,
      Map<String, Instant> heartbeats) {
    long now = ticker.read();
    Map<String, String> current = new TreeMap<>();
    Set<Key> present = new HashSet<>();
    for (Camera c : cameras) {
      for (Duty duty : Duty.values()) {
        Key k = new Key(c.id(), duty);
        present.add(k);
        Lease l = table.get(k);
        if (held.containsKey(k) || (l != null && l.expiresAt().isAfter(dbNow))) {
          unownedSince.remove(k);
          if (warnedUnowned.remove(k)) {
            log.info("camera {}: a node holds its {} lease again", c.id(), duty.dbValue());
          }
          continue;
        }
        long since = unownedSince.computeIfAbsent(k, x -> now);
        if (now - since <= options.lease().toNanos()) {
          continue;
        }
        String pin = options.pins().get(c.id());
        String why = pin == null
            ? "every live node (" + liveNodes.size() + ") is at its capacity"
            : liveNodes.contains(pin)
                ? "pinned to node " + pin + ", which has not taken it"
                : "pinned to node " + pin + ", which is not live";
        current.put(c.id() + "/" + duty.dbValue(), why);
        if (duty == Duty.FILES && pin != null && !liveNodes.contains(pin)) {
          storageNodeDown(c.id(), pin, liveNodes, heartbeats.get(pin), since);
        }
        if (warnedUnowned.add(k)) {
          log.warn(
              "camera {}: no node has held its {} lease for over {}: {}",
              c.id(),
              duty.dbValue(),
              options.lease(),
              why);
        }
      }
    }
    nodeDownMarked
        .keySet()
        .removeIf(id -> !present.contains(new Key(id, Duty.FILES))
            || !unownedSince.containsKey(new Key(id, Duty.FILES)));
    unownedSince.keySet().retainAll(present);
    warnedUnowned.retainAll(present);
    unowned = java.util.Collections.unmodifiableMap(current);
  }

  /**
   * A pinned camera whose storage node is down: one live node (the one ranking the camera first)
   * opens its {@code node_down} gap and stretches it every renew interval, each time checking in
   * the same transaction that no node holds the camera's files lease: a gap never lands after its
   * node is back. The node's index closes the gap once it has caught up.
   */
  private void storageNodeDown(
      String cameraId, String pin, Set<String> liveNodes, Instant lastHeartbeat, long since) {
    String writer = liveNodes.stream()
        .min(Comparator.comparingLong((String n) -> rank(n, cameraId))
            .thenComparing(Comparator.naturalOrder()))
        .orElseThrow();
    long now = ticker.read();
    Long marked = nodeDownMarked.get(cameraId);
    if (!writer.equals(options.nodeId())
        || (marked != null && now - marked < options.renewInterval().toNanos())) {
      return;
    }
    nodeDownMarked.put(cameraId, now);
    Instant downSince =
        lastHeartbeat != null ? lastHeartbeat : clock.instant().minusNanos(now - since);
    try {
      List<HeldarEvent> raised = store.inTransaction(() -> leases.unheld(cameraId, Duty.FILES)
          ? gaps.onStorageNodeDown(cameraId, pin, downSince)
          : List.<HeldarEvent>of());
      statements.addAndGet(3);
      events.notifyListeners(raised);
      nodeDownFailing.remove(cameraId);
    } catch (RuntimeException e) {
      // Once per camera until it works again (another node writing it at the same moment is the
      // usual reason, and then the next try finds its gap).
      if (nodeDownFailing.add(cameraId)) {
        log.warn("camera {}: could not record its node_down gap: {}", cameraId, e.toString());
      } else {
        log.debug("camera {}: could not record its node_down gap: {}", cameraId, e.toString());
      }
    }
  }

  private boolean claimable(Lease l, Instant dbNow) {
    return l == null || !l.expiresAt().isAfter(dbNow) || l.nodeId().equals(options.nodeId());
  }

  /** Leases claimed in one statement at most. */
  static final int CLAIM_SET = 500;

  /**
   * Claims the claimable of {@code cameraIds} for {@code duty}, {@link #CLAIM_SET} per statement;
   * returns how many it took.
   */
  private int claimAll(List<String> cameraIds, Duty duty, Map<Key, Lease> table, Instant dbNow) {
    List<String> claimable = cameraIds.stream()
        .filter(id -> claimable(table.get(new Key(id, duty)), dbNow))
        .toList();
    int taken = 0;
    for (int from = 0; from < claimable.size(); from += CLAIM_SET) {
      List<LeaseStore.Claim> set =
          claimable.subList(from, Math.min(claimable.size(), from + CLAIM_SET)).stream()
              .map(id -> new LeaseStore.Claim(id, duty))
              .toList();
      long before = ticker.read();
      statements.incrementAndGet();
      List<Lease> got = leases.claimAll(set, options.nodeId(), options.lease());
      List<HeldarEvent> raised = new ArrayList<>();
      for (Lease l : got) {
        Key k = new Key(l.cameraId(), l.duty());
        held.put(k, new Held(l, before));
        former.remove(k);
        acquired.incrementAndGet();
        log.debug(
            "node {}: took the {} lease of camera {} (epoch {})",
            options.nodeId(),
            duty.dbValue(),
            l.cameraId(),
            l.epoch());
        raised.add(HeldarEvent.of(
            l.cameraId(),
            new TypedEvent.LeaseAcquired(duty.dbValue(), options.nodeId(), l.epoch()),
            clock.instant()));
      }
      recordAll(raised);
      if (!got.isEmpty()) {
        log.info(
            "node {}: took {} {} lease(s) of {} asked for ({}{})",
            options.nodeId(),
            got.size(),
            duty.dbValue(),
            set.size(),
            got.get(0).cameraId(),
            got.size() > 1 ? ", ..." : "");
      }
      taken += got.size();
    }
    return taken;
  }

  private void lose(Lease l, String reason) {
    lost.incrementAndGet();
    log.warn(
        "node {}: lost the {} lease of camera {} (epoch {}): {}",
        options.nodeId(),
        l.duty().dbValue(),
        l.cameraId(),
        l.epoch(),
        reason);
    publishQuietly(
        l.cameraId(),
        new TypedEvent.LeaseLost(l.duty().dbValue(), options.nodeId(), l.epoch(), reason));
  }

  /**
   * Gives up every held lease whose key {@code which} accepts, in one statement however many:
   * each is remembered as handed over (late writes under it are dropped, not reported as lost).
   */
  private void giveUp(java.util.function.Predicate<Key> which, String why) {
    java.util.Set<String> capturing = new java.util.TreeSet<>();
    for (Key k : held.keySet()) {
      if (k.duty() == Duty.CAPTURE && which.test(k)) {
        capturing.add(k.cameraId());
      }
    }
    if (!capturing.isEmpty()) {
      try {
        beforeCaptureHandover.accept(capturing); // while the leases are still this node's
      } catch (RuntimeException e) {
        log.warn("node {}: settling captures before a handover failed", options.nodeId(), e);
      }
    }
    List<Lease> given = new ArrayList<>();
    for (Map.Entry<Key, Held> e : held.entrySet()) {
      if (which.test(e.getKey()) && held.remove(e.getKey(), e.getValue())) {
        former.put(e.getKey(), new Former(e.getValue().lease(), true));
        given.add(e.getValue().lease());
      }
    }
    if (given.isEmpty()) {
      return;
    }
    statements.incrementAndGet();
    leases.releaseAll(given);
    log.info(
        "node {}: gave up {} lease(s) ({} {}{}): {}",
        options.nodeId(),
        given.size(),
        given.get(0).duty().dbValue(),
        given.get(0).cameraId(),
        given.size() > 1 ? ", ..." : "",
        why);
  }

  /**
   * Graceful stop: no new work from now on, and every lease is given back at once so other nodes
   * take the cameras at their next claim scan. Call after the engines' work has finished. Waits at
   * most {@code within} (the rest of the stop deadline): a claim scan stuck on an unreachable
   * database, or a release that cannot reach it, is left to end on its own thread, and the leases
   * then expire within one lease.
   */
  public void releaseAll(Deadline within) {
    stopping = true;
    java.util.concurrent.ScheduledExecutorService r = renewer;
    if (r != null) {
      r.shutdown(); // a renewal under way finishes; none starts after it
    }
    Thread release = new Thread(
        () -> {
          lock.lock();
          renewLock.lock();
          try {
            released = true;
            releaseHeld();
          } finally {
            renewLock.unlock();
            lock.unlock();
          }
        },
        "heldar-lease-release");
    release.setDaemon(true);
    release.start();
    if (!within.join(release)) {
      log.warn(
          "node {}: leases not released within the stop deadline (the database does not answer);"
              + " they expire within {}",
          options.nodeId(),
          options.lease());
    }
  }

  private void releaseHeld() {
    if (!renewedOnce) {
      return; // never started: it holds nothing and never joined
    }
    try {
      giveUp(k -> true, "node stopping"); // thousands of cameras give back as fast as one
      leases.leave(options.nodeId());
      statements.incrementAndGet();
    } catch (RuntimeException e) {
      log.warn(
          "node {}: could not release its leases ({}); they expire within {}",
          options.nodeId(),
          e.toString(),
          options.lease());
    }
  }

  /** No new work from now on (the runtime is stopping); leases are kept until {@link #releaseAll}. */
  public void stopStarting() {
    stopping = true;
  }

  private Comparator<String> byRank() {
    return Comparator.comparingLong((String id) -> rank(options.nodeId(), id))
        .thenComparing(Comparator.naturalOrder());
  }

  /** Rendezvous hashing: a stable pseudo-random rank of a camera for a node (lower first). */
  static long rank(String nodeId, String cameraId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : (nodeId + "\u0000" + cameraId).getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  /** Records {@code raised} in one transaction (a claim set's events), then tells the listeners. */
  private void recordAll(List<HeldarEvent> raised) {
    if (raised.isEmpty()) {
      return;
    }
    try {
      store.inTransaction(() -> {
        raised.forEach(events::record);
        return null;
      });
      events.notifyListeners(raised);
    } catch (RuntimeException e) {
      log.debug("could not record {} lease event(s)", raised.size(), e);
    }
  }

  private void publishQuietly(String cameraId, TypedEvent event) {
    try {
      events.publish(
          cameraId == null
              ? HeldarEvent.global(event, clock.instant())
              : HeldarEvent.of(cameraId, event, clock.instant()));
    } catch (RuntimeException e) {
      log.debug("could not record {}", event.kind(), e);
    }
  }
}
