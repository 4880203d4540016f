package io.heldar.core;

import io.heldar.core.cluster.CameraAssignment;
import io.heldar.core.cluster.ClusterOptions;
import io.heldar.core.cluster.internal.LeaseKeeper;
import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarListener;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.index.IndexingOptions;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.internal.Checks;
import io.heldar.core.metrics.HeldarMetrics;
import io.heldar.core.metrics.internal.MetricsCollector;
import io.heldar.core.model.Camera;
import io.heldar.core.model.StoredEvent;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.retention.RetentionPolicy;
import io.heldar.core.retention.RetentionSweeper;
import io.heldar.core.runtime.HeldarRuntime;
import io.heldar.core.runtime.RuntimeOptions;
import io.heldar.core.runtime.SupervisedTask;
import io.heldar.core.runtime.TaskHealth;
import io.heldar.core.runtime.Ticker;
import io.heldar.core.snapshot.SnapshotOptions;
import io.heldar.core.snapshot.SnapshotScheduler;
import io.heldar.core.snapshot.SnapshotSource;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.timeline.Timeline;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heldar's entry point: a store, a clock, listeners and the supervised runtime, wired together.
 *
 * <pre>{@code
 * HeldarStore store = SqliteHeldarStore.open(Path.of("heldar.db"));
 * Heldar heldar = Heldar.builder().store(store).listener(myListener).build();
 * heldar.registerCamera(Camera.of("front-door", Instant.now()));
 * heldar.start();
 * ...
 * heldar.stop();   // idempotent, bounded; never closes the store or a host executor
 * }</pre>
 */
public final class Heldar implements AutoCloseable {
  /** One deadline for {@link #stop()}. */
  private final Duration stopTimeout;

  /** The longest the snapshot scheduler sleeps when nothing is due (new schedules are picked up within it). */
  static final Duration MAX_SNAPSHOT_TICK = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(Heldar.class);

  private final HeldarStore store;
  private final Clock clock;
  private final EventPublisher events;
  private final HeldarRuntime runtime;
  private final Optional<SegmentIndexer> indexer;
  private final GapDetector gapDetector;
  private final Duration scanInterval;
  private final Optional<SnapshotScheduler> snapshots;
  private final Optional<RetentionSweeper> retention;
  private final Timeline timeline;
  private final Optional<LeaseKeeper> cluster;
  private final CameraAssignment assignment;
  private final Duration eventMaxAge;
  private final MetricsCollector metrics;
  private final java.util.concurrent.atomic.AtomicBoolean metricsLoaded =
      new java.util.concurrent.atomic.AtomicBoolean();

  private Heldar(Builder b) {
    this.store = b.store;
    this.clock = b.clock;
    this.metrics = new MetricsCollector(store, clock, b.indexing.settleTime().plus(b.scanInterval));
    List<HeldarListener> listeners = new ArrayList<>(b.listeners);
    listeners.add(metrics);
    this.events = EventPublisher.storing(store, listeners);
    this.stopTimeout = b.runtime.stopTimeout();
    if (b.cluster != null) {
      if (store.leases().isEmpty()) {
        throw new IllegalStateException(
            "cluster mode needs a store with leases (PostgreSQL); this store is single-node");
      }
      this.cluster = Optional.of(new LeaseKeeper(
          b.cluster,
          store,
          events,
          GapDetector.create(store, events, clock, b.indexing.gaps()),
          clock,
          b.ticker));
      this.assignment = cluster.get();
    } else {
      this.cluster = Optional.empty();
      this.assignment = CameraAssignment.SINGLE_NODE;
    }
    HeldarRuntime.Builder rb =
        HeldarRuntime.builder().clock(clock).options(b.runtime).events(events);
    if (b.executor != null) {
      rb.executor(b.executor);
    }
    this.runtime = rb.build();
    // First, so a node claims its cameras before the engines' first ticks look for them.
    // Claim scans are supervised tasks; renewals run on a thread of their own (startRenewing at
    // start), never behind a claim scan or a busy runtime.
    cluster.ifPresent(keeper -> runtime.schedule(
        "cluster-leases",
        Duration.ZERO,
        b.cluster.claimInterval(),
        b.cluster.claimInterval(), // no backoff: a node short of its share claims at its pace
        keeper::claimTick));
    GapDetector.Options gapOptions = b.indexing.gaps();
    this.gapDetector = GapDetector.create(store, events, clock, gapOptions);
    this.scanInterval = b.scanInterval;
    if (b.recordingsRoot != null && b.probe != null) {
      SegmentIndexer.Builder ib = SegmentIndexer.builder()
          .store(store)
          .probe(b.probe)
          .recordingsRoot(b.recordingsRoot)
          .options(b.indexing)
          .clock(clock)
          .ticker(b.ticker)
          .events(events)
          .assignment(assignment);
      if (b.probeExecutor != null) {
        ib.probeExecutor(b.probeExecutor);
      }
      this.indexer = Optional.of(ib.build());
      runtime.schedule(
          "segment-indexer",
          Duration.ZERO,
          scanInterval,
          () -> metrics.onScan(indexer.get().scanOnce()));
    } else if (b.recordingsRoot != null || b.probe != null) {
      throw new IllegalStateException("indexing needs both recordingsRoot and probe");
    } else {
      this.indexer = Optional.empty();
    }
    if (b.snapshotsRoot != null && b.snapshotSource != null) {
      SnapshotScheduler.Builder sb = SnapshotScheduler.builder()
          .store(store)
          .source(b.snapshotSource)
          .snapshotsRoot(b.snapshotsRoot)
          .clock(clock)
          .events(events)
          .options(b.snapshots)
          .ticker(b.ticker)
          .observer(metrics)
          .assignment(assignment);
      if (b.captureExecutor != null) {
        sb.captureExecutor(b.captureExecutor);
      }
      SnapshotScheduler scheduler = sb.build();
      this.snapshots = Optional.of(scheduler);
      boolean[] recovered = {false};
      // Ticks when a slot is due (at most every snapshotTick, at least every second), not every
      // snapshotTick whether or not anything is: an idle process stays idle.
      runtime.scheduleAdaptive(
          "snapshot-scheduler",
          Duration.ZERO,
          b.snapshotTick,
          b.snapshotTick.compareTo(MAX_SNAPSHOT_TICK) > 0 ? b.snapshotTick : MAX_SNAPSHOT_TICK,
          () -> {
            if (!recovered[0]) {
              scheduler
                  .recover(); // once, before the first slot: temp files of a crash, missing files
              recovered[0] = true;
            }
            scheduler.tick();
            return scheduler.untilNextDue();
          });
    } else if (b.snapshotsRoot != null || b.snapshotSource != null) {
      throw new IllegalStateException("snapshots need both snapshotsRoot and snapshotSource");
    } else {
      this.snapshots = Optional.empty();
    }
    this.timeline = new Timeline(store);
    if (b.retentionPolicy != null) {
      if (b.recordingsRoot == null) {
        throw new IllegalStateException("retention needs the recordingsRoot");
      }
      RetentionSweeper.Builder rb2 = RetentionSweeper.builder()
          .store(store)
          .policy(b.retentionPolicy)
          .recordingsRoot(b.recordingsRoot)
          .clock(clock)
          .events(events)
          .gapOptions(gapOptions)
          .assignment(assignment);
      if (b.snapshotsRoot != null) {
        rb2.snapshotsRoot(b.snapshotsRoot);
      }
      RetentionSweeper sweeper = rb2.build();
      this.retention = Optional.of(sweeper);
      runtime.schedule(
          "retention",
          b.retentionInterval,
          b.retentionInterval,
          () -> metrics.onSweep(sweeper.sweep(false)));
    } else {
      this.retention = Optional.empty();
    }
    this.eventMaxAge = b.eventMaxAge;
    runtime.schedule("event-pruning", b.retentionInterval, b.retentionInterval, this::pruneEvents);
  }

  /** Events deleted per statement when pruning, and statements per pruning at most. */
  private static final int PRUNE_BATCH = 10_000;

  private static final int PRUNE_BATCHES = 100;

  /**
   * Deletes the events older than {@link Builder#eventMaxAge}, oldest first, in batches (at most a
   * million per call; the next call goes on). Runs every retention interval on its own; returns
   * how many it deleted.
   */
  public long pruneEvents() {
    Instant cutoff = clock.instant().minus(eventMaxAge);
    long total = 0;
    for (int i = 0; i < PRUNE_BATCHES; i++) {
      int n = store.events().deleteOlderThan(cutoff, PRUNE_BATCH);
      total += n;
      if (n < PRUNE_BATCH) {
        break;
      }
    }
    metrics.onEventsPruned(total);
    if (total > 0) {
      log.info("pruned {} event(s) older than {} (before {})", total, eventMaxAge, cutoff);
    }
    return total;
  }

  /**
   * Events after the one with id {@code afterId} (0: from the oldest kept), oldest first, at most
   * {@code limit} (0 to 10,000): pass the last id read to read on. Events older than {@link
   * Builder#eventMaxAge} are pruned, so a reader that falls that far behind resumes at the oldest
   * kept.
   */
  public List<StoredEvent> events(long afterId, int limit) {
    return store.events().after(afterId, Optional.empty(), limit);
  }

  /**
   * What this Heldar has done since it started, from memory (no SQL): per task runs, failures and
   * last duration; per camera segments indexed, unreadable files, open gaps, footage age,
   * snapshots taken, failed and missed, capture latency and a {@linkplain
   * io.heldar.core.metrics.CameraStatus status}; retention's deletions and refusals. In cluster
   * mode, as this node sees them.
   */
  public HeldarMetrics metrics() {
    return metrics.snapshot(runtime.health());
  }

  /** A builder; {@link Builder#store} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The store. */
  public HeldarStore store() {
    return store;
  }

  /** The clock every timestamp comes from. */
  public Clock clock() {
    return clock;
  }

  /** Where events go (store + listeners). */
  public EventPublisher events() {
    return events;
  }

  /** The runtime running the periodic work. */
  public HeldarRuntime runtime() {
    return runtime;
  }

  /** The segment indexer, when a recordings root and a probe are configured. */
  public Optional<SegmentIndexer> indexer() {
    return indexer;
  }

  /** The snapshot scheduler, when a snapshots root and a source are configured. */
  public Optional<SnapshotScheduler> snapshots() {
    return snapshots;
  }

  /** The retention sweeper, when a policy is configured. */
  public Optional<RetentionSweeper> retention() {
    return retention;
  }

  /** Timeline queries over the store. */
  public Timeline timeline() {
    return timeline;
  }

  /** The gap detector (for recomputing a camera's gaps over a range). */
  public GapDetector gapDetector() {
    return gapDetector;
  }

  /**
   * Which cameras this process works on: every camera outside a cluster, the cameras whose leases
   * it holds in one (see {@link Builder#cluster}).
   */
  public CameraAssignment assignment() {
    return assignment;
  }

  /** In cluster mode, this node's status (its leases and counters); empty otherwise. */
  public Optional<io.heldar.core.cluster.ClusterStatus> clusterStatus() {
    return cluster.map(LeaseKeeper::status);
  }

  /** Registers a camera unless its id is known; returns whether it was added. */
  public boolean registerCamera(Camera camera) {
    boolean added = store.cameras().add(camera);
    if (added) {
      log.info("registered camera {}", camera.id());
    }
    return added;
  }

  /** Schedules a host's own periodic work under Heldar's supervision. */
  public SupervisedTask schedule(String name, Duration period, Runnable body) {
    return runtime.schedule(name, Duration.ZERO, period, body);
  }

  /** Health of every supervised task. */
  public List<TaskHealth> health() {
    return runtime.health();
  }

  /**
   * Starts the runtime. Idempotent while running.
   *
   * @throws IllegalStateException after {@link #stop()}: a stopped Heldar does not start again; build a new one
   */
  public void start() {
    runtime.start(); // throws after stop(), before anything else happens
    cluster.ifPresent(LeaseKeeper::startRenewing);
    if (metricsLoaded.compareAndSet(false, true)) {
      try {
        metrics.load(); // each camera's gauges, read once; from here on they follow the engines
      } catch (RuntimeException e) {
        log.warn(
            "metrics: cameras not read at start ({}); they fill in as the engines work",
            e.toString());
      }
    }
  }

  /** Stops the runtime, bounded by the stop timeout. Idempotent. Does not close the store. */
  public void stop() {
    // One deadline for all of it: the runtime's ticks, then captures and their commits.
    long deadline = System.nanoTime() + stopTimeout.toNanos();
    cluster.ifPresent(LeaseKeeper::stopStarting);
    runtime.stop();
    indexer.ifPresent(SegmentIndexer::close);
    snapshots.ifPresent(s -> {
      s.awaitIdle(remaining(deadline));
      s.close(remaining(deadline));
    });
    // Work is over: hand the cameras over at once instead of letting the leases expire.
    cluster.ifPresent(keeper -> keeper.releaseAll(remaining(deadline)));
  }

  private static Duration remaining(long deadlineNanos) {
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /** Configures {@link Heldar}; setters validate as they go. */
  public static final class Builder {
    /** See {@link RuntimeOptions#DEFAULT_STOP_TIMEOUT}. */
    public static final Duration DEFAULT_STOP_TIMEOUT = RuntimeOptions.DEFAULT_STOP_TIMEOUT;
    /** See {@link RuntimeOptions#DEFAULT_THREADS}. */
    public static final int DEFAULT_THREADS = RuntimeOptions.DEFAULT_THREADS;
    /** Delay between retention sweeps. */
    public static final Duration DEFAULT_RETENTION_INTERVAL = Duration.ofMinutes(10);
    /** Events older than this are pruned: 30 days. */
    public static final Duration DEFAULT_EVENT_MAX_AGE = Duration.ofDays(30);
    /** Delay between the end of one indexing scan and the start of the next. */
    public static final Duration DEFAULT_SCAN_INTERVAL = Duration.ofSeconds(10);

    private HeldarStore store;
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService executor;
    private Ticker ticker = io.heldar.core.runtime.Ticker.system();
    private Executor probeExecutor;
    private Executor captureExecutor;
    private final List<HeldarListener> listeners = new ArrayList<>();
    private RuntimeOptions runtime = RuntimeOptions.DEFAULTS;
    private Path recordingsRoot;
    private MediaProbe probe;
    private IndexingOptions indexing = IndexingOptions.DEFAULTS;
    private SnapshotOptions snapshots = SnapshotOptions.DEFAULTS;
    private Duration scanInterval = DEFAULT_SCAN_INTERVAL;
    private Path snapshotsRoot;
    private SnapshotSource snapshotSource;
    private Duration snapshotTick = SnapshotScheduler.Builder.DEFAULT_TICK_INTERVAL;
    private RetentionPolicy retentionPolicy;
    private Duration retentionInterval = DEFAULT_RETENTION_INTERVAL;
    private Duration eventMaxAge = DEFAULT_EVENT_MAX_AGE;
    private ClusterOptions cluster;

    private Builder() {}

    /**
     * Runs this Heldar as one node of a cluster sharing the store (which must have leases:
     * PostgreSQL): it works only on the cameras whose leases it holds, fences every write of them,
     * and hands them over at {@link Heldar#stop()}. See {@code docs/cluster.md}.
     */
    public Builder cluster(ClusterOptions options) {
      this.cluster = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Enables retention with this policy (needs {@link #recordingsRoot}); sweeps every {@link #retentionInterval}. */
    public Builder retention(RetentionPolicy policy) {
      this.retentionPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * See {@link #DEFAULT_EVENT_MAX_AGE}; positive. Events are pruned every retention interval,
     * whether or not footage retention is configured; a host that keeps every event passes a span
     * longer than it will ever run.
     */
    public Builder eventMaxAge(Duration maxAge) {
      this.eventMaxAge = Checks.positive("event max age", maxAge);
      return this;
    }

    /** See {@link #DEFAULT_RETENTION_INTERVAL}; positive. The first sweep runs one interval after start. */
    public Builder retentionInterval(Duration interval) {
      this.retentionInterval = Checks.positive("retention interval", interval);
      return this;
    }

    /** Root of snapshot files. With {@link #snapshotSource} it enables scheduled snapshots. */
    public Builder snapshotsRoot(Path root) {
      this.snapshotsRoot = Objects.requireNonNull(root, "root");
      return this;
    }

    /** Where snapshots come from. With {@link #snapshotsRoot} it enables scheduled snapshots. */
    public Builder snapshotSource(SnapshotSource source) {
      this.snapshotSource = Objects.requireNonNull(source, "source");
      return this;
    }

    /** How often due snapshot slots are looked for (default {@link SnapshotScheduler.Builder#DEFAULT_TICK_INTERVAL}); positive. */
    public Builder snapshotTick(Duration tick) {
      this.snapshotTick = Checks.positive("snapshot tick", tick);
      return this;
    }

    /**
     * How indexing and gap detection work (default {@link IndexingOptions#DEFAULTS}): naming,
     * camera discovery, settle time, probe parallelism, gap threshold… Heldar only wires it.
     */
    public Builder indexing(IndexingOptions options) {
      this.indexing = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * How snapshots are captured (default {@link SnapshotOptions#DEFAULTS}): misfire policy, capture
     * timeout and parallelism… Heldar only wires it.
     */
    public Builder snapshots(SnapshotOptions options) {
      this.snapshots = Objects.requireNonNull(options, "options");
      return this;
    }

    /** The recordings root: one sub-directory per camera id. With {@link #probe} it enables indexing. */
    public Builder recordingsRoot(Path root) {
      this.recordingsRoot = Objects.requireNonNull(root, "root");
      return this;
    }

    /** The media probe. With {@link #recordingsRoot} it enables indexing. */
    public Builder probe(MediaProbe probe) {
      this.probe = Objects.requireNonNull(probe, "probe");
      return this;
    }

    /** See {@link #DEFAULT_SCAN_INTERVAL}; positive. */
    public Builder scanInterval(Duration interval) {
      this.scanInterval = Checks.positive("scan interval", interval);
      return this;
    }

    /** The store (required). Heldar never closes it: the host owns it. */
    public Builder store(HeldarStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The clock (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The host's scheduler; Heldar never shuts it down. Default: Heldar's own {@code heldar-*} threads. */
    public Builder executor(ScheduledExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The monotonic ticker of every interval the engines decide on; see {@link Ticker}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** The host's executor for probes; see {@link SegmentIndexer.Builder#probeExecutor}. */
    public Builder probeExecutor(Executor executor) {
      this.probeExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The host's executor for snapshot captures; see {@link SnapshotScheduler.Builder#captureExecutor}. */
    public Builder captureExecutor(Executor executor) {
      this.captureExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Adds a listener. */
    public Builder listener(HeldarListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The runtime's threads and the stop deadline; see {@link RuntimeOptions}. */
    public Builder runtime(RuntimeOptions runtime) {
      this.runtime = Objects.requireNonNull(runtime, "runtime");
      return this;
    }

    /** Shortcut for {@link #runtime} with another {@link RuntimeOptions#stopTimeout()}. */
    public Builder stopTimeout(Duration stopTimeout) {
      this.runtime = RuntimeOptions.from(runtime).stopTimeout(stopTimeout).build();
      return this;
    }

    /** Shortcut for {@link #runtime} with other {@link RuntimeOptions#threads()}. */
    public Builder threads(int threads) {
      this.runtime = RuntimeOptions.from(runtime).threads(threads).build();
      return this;
    }

    /** Builds Heldar (not started). */
    public Heldar build() {
      if (store == null) {
        throw new IllegalStateException("a store is required: Heldar.builder().store(...)");
      }
      return new Heldar(this);
    }
  }
}
