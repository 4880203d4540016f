package io.heldar.core;

import io.heldar.core.clip.Clips;
import io.heldar.core.clip.SegmentRemuxer;
import io.heldar.core.cluster.CameraAssignment;
import io.heldar.core.cluster.ClusterOptions;
import io.heldar.core.cluster.internal.LeaseKeeper;
import io.heldar.core.engine.internal.Cadence;
import io.heldar.core.engine.internal.Engine;
import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarListener;
import io.heldar.core.event.internal.EventPruner;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.index.IndexingOptions;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.index.internal.DirectorySegmentIndexer;
import io.heldar.core.internal.Checks;
import io.heldar.core.internal.StoreClient;
import io.heldar.core.metrics.HeldarMetrics;
import io.heldar.core.metrics.internal.MetricsCollector;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.retention.DiskSpace;
import io.heldar.core.retention.RetentionPolicy;
import io.heldar.core.retention.RetentionSweeper;
import io.heldar.core.retention.StorageForecast;
import io.heldar.core.retention.internal.PlanningSweeper;
import io.heldar.core.retention.internal.StorageForecaster;
import io.heldar.core.runtime.Deadline;
import io.heldar.core.runtime.HeldarRuntime;
import io.heldar.core.runtime.ManualRuntime;
import io.heldar.core.runtime.RuntimeOptions;
import io.heldar.core.runtime.SupervisedTask;
import io.heldar.core.runtime.TaskHealth;
import io.heldar.core.runtime.Ticker;
import io.heldar.core.runtime.internal.SupervisingRuntime;
import io.heldar.core.snapshot.SnapshotOptions;
import io.heldar.core.snapshot.SnapshotScheduler;
import io.heldar.core.snapshot.SnapshotSource;
import io.heldar.core.snapshot.internal.GridSnapshotScheduler;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.tier.MoveReport;
import io.heldar.core.tier.PlannedMove;
import io.heldar.core.tier.StorageTiers;
import io.heldar.core.tier.TierMoveOptions;
import io.heldar.core.tier.internal.TierMover;
import io.heldar.core.timeline.Timeline;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heldar's entry point: a store, a clock, listeners and the supervised runtime, wired together.
 *
 * <pre>{@code
 * HeldarStore store = SqliteHeldarStore.open(Path.of("heldar.db"));
 * Heldar heldar = Heldar.builder().store(store).listener(myListener).build();
 * heldar.client().registerCamera(Camera.of("front-door", Instant.now()));
 * heldar.start();
 * ...
 * heldar.stop();   // idempotent, bounded; never closes the store or a host executor
 * }</pre>
 */
public final class Heldar implements AutoCloseable {
  /** The longest the snapshot scheduler sleeps when nothing is due (new schedules are picked up within it). */
  static final Duration MAX_SNAPSHOT_TICK = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(Heldar.class);

  private final EngineContext context;
  private final SupervisingRuntime runtime;
  private final boolean manual;
  private final MetricsCollector metrics;
  private final Optional<LeaseKeeper> cluster;
  private final Optional<SegmentIndexer> indexer;
  private final Optional<GridSnapshotScheduler> snapshots;
  private final Optional<RetentionSweeper> retention;
  private final EventPruner eventPruner;
  private final Optional<StorageForecaster> forecaster;
  private final Optional<TierMover> tierMover;
  private final HeldarClient client;
  private final Optional<Clips> clips;
  private final AtomicBoolean metricsLoaded = new AtomicBoolean();

  /**
   * Builds the one context, then each configured engine from it and its options, in the order they
   * start (and, reversed, stop).
   */
  private Heldar(Builder b) {
    this.metrics =
        new MetricsCollector(b.store, b.clock, b.indexing.settleTime().plus(b.scanInterval));
    List<HeldarListener> listeners = new ArrayList<>(b.listeners);
    listeners.add(metrics);
    EngineContext shared = EngineContext.builder(b.store)
        .clock(b.clock)
        .ticker(b.ticker)
        .events(EventPublisher.storing(b.store, listeners))
        .gapOptions(b.indexing.gaps())
        .observer(metrics)
        .recordingsRoot(b.recordingsRoot)
        .snapshotsRoot(b.snapshotsRoot)
        .probe(b.probe)
        .snapshotSource(b.snapshotSource)
        .probeExecutor(b.probeExecutor)
        .captureExecutor(b.captureExecutor)
        .runtime(b.runtime)
        .tiers(b.tiers)
        .build();
    this.cluster = Optional.ofNullable(b.cluster).map(o -> new LeaseKeeper(o, shared));
    this.context = cluster.<EngineContext>map(shared::withAssignment).orElse(shared);
    this.manual = b.manual;
    this.runtime = new SupervisingRuntime(
        b.clock, Optional.ofNullable(b.executor), b.runtime, Optional.of(context.events()), manual);
    // The cluster's leases first: a node claims its cameras before the engines' first ticks look
    // for them, and gives them back last, after every engine stopped. A node short of its share
    // claims at its pace (no backoff); renewals run on a thread of their own.
    cluster.ifPresent(keeper -> supervise(
        keeper,
        Cadence.every(Duration.ZERO, b.cluster.claimInterval())
            .withMaxBackoff(b.cluster.claimInterval())));
    Optional<DirectorySegmentIndexer> directoryIndexer = Optional.ofNullable(b.probe)
        .map(probe -> supervise(
            new DirectorySegmentIndexer(context, b.indexing, (camera, done, total) -> {}),
            Cadence.every(Duration.ZERO, b.scanInterval)));
    this.indexer = directoryIndexer.map(i -> i);
    // Ticks when a slot is due (at least snapshotTick apart, at most a second or snapshotTick),
    // not every snapshotTick whether or not anything is: an idle process stays idle.
    this.snapshots = Optional.ofNullable(b.snapshotSource)
        .map(source -> supervise(
            new GridSnapshotScheduler(context, b.snapshots),
            Cadence.between(
                Duration.ZERO, b.snapshotTick, longer(b.snapshotTick, MAX_SNAPSHOT_TICK))));
    // A camera handed over mid-capture has that slot settled under the old lease first.
    cluster.ifPresent(
        keeper -> snapshots.ifPresent(s -> keeper.beforeCaptureHandover(s::abandonCaptures)));
    this.retention = Optional.ofNullable(b.retentionPolicy)
        .map(policy -> supervise(
            new PlanningSweeper(context, policy, DiskSpace.fileStore()),
            Cadence.every(b.retentionInterval, b.retentionInterval)));
    // Footage moves from tier to tier after the sweep had its chance, yielding to scans.
    this.tierMover = context
        .tiers()
        .filter(StorageTiers::hasFurtherTiers)
        .map(tiers -> supervise(
            new TierMover(
                context,
                tiers,
                b.tierMoves,
                DiskSpace.fileStore(),
                () -> directoryIndexer.map(DirectorySegmentIndexer::scanning).orElse(false),
                b.indexing.vanishGuard()),
            Cadence.every(b.tierMoves.interval().plusSeconds(5), b.tierMoves.interval())));
    // Gaps healed from the cameras' own storage: written into the layout, indexed like any file.
    Optional.ofNullable(b.edgeSource)
        .ifPresent(edge -> supervise(
            new io.heldar.core.heal.internal.GapHealer(
                context, edge, b.healing, b.indexing.naming()),
            Cadence.every(b.scanInterval.plusSeconds(10), b.healing.interval())));
    this.eventPruner = supervise(
        new EventPruner(context, b.eventMaxAge),
        Cadence.every(b.retentionInterval, b.retentionInterval));
    // The forecast of the recordings file system: first once the first scan has had its time,
    // then with retention.
    this.forecaster = Optional.ofNullable(b.recordingsRoot)
        .map(root -> supervise(
            new StorageForecaster(
                context,
                b.retentionPolicy != null
                    ? b.retentionPolicy
                    : RetentionPolicy.builder().build(),
                root,
                DiskSpace.fileStore()),
            Cadence.every(b.scanInterval.plusSeconds(5), b.retentionInterval)));
    this.client = new StoreClient(
        b.store, b.clock, () -> snapshots.ifPresent(GridSnapshotScheduler::refreshSchedules));
    this.clips = Optional.ofNullable(b.recordingsRoot)
        .map(root -> new Clips(b.store, root, b.clock, Timeline.DEFAULT_TOLERANCE))
        .map(c -> context.tiers().map(c::withTiers).orElse(c))
        .map(c -> b.clipRemuxer == null ? c : c.withRemuxer(b.clipRemuxer))
        .map(c -> b.snapshotsRoot == null ? c : c.withSnapshotsRoot(b.snapshotsRoot));
  }

  private <E extends Engine> E supervise(E engine, Cadence cadence) {
    runtime.supervise(engine, cadence);
    return engine;
  }

  private static Duration longer(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /**
   * Deletes the events older than {@link Builder#eventMaxAge}, oldest first, in batches (at most a
   * million per call; the next call goes on). Runs every retention interval on its own; returns
   * how many it deleted.
   */
  public long pruneEvents() {
    return eventPruner.prune();
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

  /**
   * The store it was given (Heldar never closes it). A host's own operations go through {@link
   * #client()}; the store's SPIs are what a store implements.
   */
  public HeldarStore store() {
    return context.store();
  }

  /** The clock every timestamp comes from. */
  public Clock clock() {
    return context.clock();
  }

  /** Where events go (store + listeners). */
  public EventPublisher events() {
    return context.events();
  }

  /** The runtime running the periodic work. */
  public HeldarRuntime runtime() {
    return runtime;
  }

  /**
   * The runtime, when built with {@link Builder#manualRuntime()}: the engines tick only when the
   * caller says, on its thread.
   *
   * @throws IllegalStateException when this Heldar runs its engines on threads
   */
  public ManualRuntime manualRuntime() {
    if (!manual) {
      throw new IllegalStateException("this Heldar runs on threads; build it with manualRuntime()");
    }
    return runtime.asManual();
  }

  /** The segment indexer, when a recordings root and a probe are configured. */
  public Optional<SegmentIndexer> indexer() {
    return indexer;
  }

  /** The snapshot scheduler, when a snapshots root and a source are configured. */
  public Optional<SnapshotScheduler> snapshotScheduler() {
    return snapshots.map(SnapshotScheduler.class::cast);
  }

  /** The retention sweeper, when a policy is configured. */
  public Optional<RetentionSweeper> retention() {
    return retention;
  }

  /**
   * What a host does with Heldar apart from running it: cameras, snapshot schedules, retention
   * holds, the timeline and the events. A schedule created through it is picked up at the
   * scheduler's next tick.
   */
  public HeldarClient client() {
    return client;
  }

  /**
   * Footage out: clips of any range of a camera, with their reports and manifests. Exports run on
   * the caller's thread; {@link #stop()} ends running ones (what they wrote is removed).
   *
   * @throws IllegalStateException when this Heldar was built without a recordings root
   */
  public Clips clips() {
    return clips.orElseThrow(
        () -> new IllegalStateException("clips need the recordingsRoot (Builder.recordingsRoot)"));
  }

  /**
   * The last {@linkplain StorageForecast storage forecast}: per camera the bytes it records a day
   * and whether its retention guarantee (its age limit) will hold, and when the recordings file
   * system fills. Computed every retention interval when a recordings root is configured (the first
   * one scan interval and 5 s after start); empty before that.
   */
  public Optional<StorageForecast> storageForecast() {
    return forecaster.flatMap(StorageForecaster::last);
  }

  /**
   * The storage tiers (the recordings root first), when a recordings root is configured: one tier
   * unless {@link Builder#storageTiers} named more.
   */
  public Optional<StorageTiers> storageTiers() {
    return context.tiers();
  }

  /**
   * The last round of {@linkplain StorageTiers tier moves}: what was planned, moved and failed, and
   * which tiers could not be used. Empty before the first round, or without further tiers.
   */
  public Optional<MoveReport> lastTierMoves() {
    return tierMover.flatMap(TierMover::last);
  }

  /**
   * The moves the tiers' rules call for now, at most {@link TierMoveOptions#maxFilesPerRound()}
   * (nothing is moved); empty without further tiers.
   */
  public List<PlannedMove> planTierMoves() {
    return tierMover.map(TierMover::plan).orElse(List.of());
  }

  /** The recordings root, when indexing or retention is configured. */
  public Optional<Path> recordingsRoot() {
    return context.recordingsRoot();
  }

  /** Where snapshot files are (for serving them), when snapshots are configured. */
  public Optional<Path> snapshotsRoot() {
    return context.snapshotsRoot();
  }

  /** The gap detector (for recomputing a camera's gaps over a range). */
  public GapDetector gapDetector() {
    return context.gaps();
  }

  /**
   * Which cameras this process works on: every camera outside a cluster, the cameras whose leases
   * it holds in one (see {@link Builder#cluster}).
   */
  public CameraAssignment assignment() {
    return context.assignment();
  }

  /** In cluster mode, this node's status (its leases and counters); empty otherwise. */
  public Optional<io.heldar.core.cluster.ClusterStatus> clusterStatus() {
    return cluster.map(LeaseKeeper::status);
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
   * Starts the engines and the runtime ticking them. Idempotent while running.
   *
   * @throws IllegalStateException after {@link #stop()}: a stopped Heldar does not start again; build a new one
   */
  public void start() {
    runtime.start(); // throws after stop(), before anything else happens
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

  /**
   * Stops within the one stop deadline ({@link RuntimeOptions#stopTimeout()}): no new work on any
   * camera, the runtime's ticks end (or are interrupted), then each engine stops in what is left
   * (captures and their commits; the cluster's leases given back last). Idempotent. Does not close
   * the store.
   */
  public void stop() {
    Deadline deadline = Deadline.after(context.runtime().stopTimeout());
    cluster.ifPresent(LeaseKeeper::stopStarting); // owns() is false from here on: ticks wind down
    clips.ifPresent(Clips::close); // running exports end at their next segment
    runtime.stop(deadline);
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /** Configures {@link Heldar}; setters validate as they go. */
  public static final class Builder {
    /**
     * The shortest delay between two looks for due snapshot slots: 10 ms. The scheduler asks for
     * its next look when its next slot is due, at most {@link #MAX_SNAPSHOT_TICK} (or this, if
     * longer) later.
     */
    public static final Duration DEFAULT_SNAPSHOT_TICK = Duration.ofMillis(10);
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
    private SegmentRemuxer clipRemuxer;
    private MediaProbe probe;
    private IndexingOptions indexing = IndexingOptions.DEFAULTS;
    private SnapshotOptions snapshots = SnapshotOptions.DEFAULTS;
    private Duration scanInterval = DEFAULT_SCAN_INTERVAL;
    private Path snapshotsRoot;
    private SnapshotSource snapshotSource;
    private Duration snapshotTick = DEFAULT_SNAPSHOT_TICK;
    private boolean manual;
    private RetentionPolicy retentionPolicy;
    private Duration retentionInterval = DEFAULT_RETENTION_INTERVAL;
    private Duration eventMaxAge = DEFAULT_EVENT_MAX_AGE;
    private ClusterOptions cluster;
    private StorageTiers tiers;
    private TierMoveOptions tierMoves = TierMoveOptions.DEFAULTS;
    private io.heldar.core.heal.EdgeSource edgeSource;
    private io.heldar.core.heal.HealOptions healing = io.heldar.core.heal.HealOptions.DEFAULTS;

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

    /** See {@link #DEFAULT_SNAPSHOT_TICK}; positive. */
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
    public Builder snapshotOptions(SnapshotOptions options) {
      this.snapshots = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * What {@link #clips()} hands segments to that its native MP4 reader does not read (another
     * container), e.g. {@code heldar-ffmpeg}'s {@code FfmpegSegmentRemuxer}; without one they are
     * {@code unreadable} gaps of a clip.
     */
    public Builder clipRemuxer(SegmentRemuxer remuxer) {
      this.clipRemuxer = Objects.requireNonNull(remuxer, "remuxer");
      return this;
    }

    /** The recordings root: one sub-directory per camera id. With {@link #probe} it enables indexing. */
    public Builder recordingsRoot(Path root) {
      this.recordingsRoot = Objects.requireNonNull(root, "root");
      return this;
    }

    /**
     * Storage tiers: the first is the recordings root (its root must equal {@link #recordingsRoot},
     * which it sets when none is set), and footage moves on by each tier's rules, verified and
     * crash-safe (see {@link StorageTiers}). Every reader (timeline, clips, the HTTP API, retention)
     * finds a segment wherever it lives.
     */
    public Builder storageTiers(StorageTiers tiers) {
      this.tiers = Objects.requireNonNull(tiers, "tiers");
      if (recordingsRoot == null) {
        recordingsRoot = tiers.primary().root();
      }
      return this;
    }

    /**
     * Heals gaps from the cameras' own storage through {@code edge} (needs indexing: the healed
     * files are indexed like any segment); see {@link io.heldar.core.heal.EdgeSource}.
     */
    public Builder edgeSource(io.heldar.core.heal.EdgeSource edge) {
      this.edgeSource = Objects.requireNonNull(edge, "edge");
      return this;
    }

    /** How gaps are healed (age, chunk, tries); see {@link io.heldar.core.heal.HealOptions}. */
    public Builder healing(io.heldar.core.heal.HealOptions options) {
      this.healing = Objects.requireNonNull(options, "options");
      return this;
    }

    /** How tier moves run (interval, bytes per second, files at once); see {@link TierMoveOptions}. */
    public Builder tierMoves(TierMoveOptions options) {
      this.tierMoves = Objects.requireNonNull(options, "options");
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

    /** The runtime's threads, the stop deadline and the backoff cap; see {@link RuntimeOptions}. */
    public Builder runtime(RuntimeOptions runtime) {
      this.runtime = Objects.requireNonNull(runtime, "runtime");
      return this;
    }

    /**
     * Runs the engines on a {@link ManualRuntime} (for tests): no threads of the runtime's, and a
     * tick only when the caller says ({@link Heldar#manualRuntime()}). Probes and captures still run
     * on their executors: pass direct ones ({@code Runnable::run}) for a test on one thread.
     */
    public Builder manualRuntime() {
      this.manual = true;
      return this;
    }

    /** Builds Heldar (not started). */
    public Heldar build() {
      if (store == null) {
        throw new IllegalStateException("a store is required: Heldar.builder().store(...)");
      }
      if (cluster != null && store.leases().isEmpty()) {
        throw new IllegalStateException(
            "cluster mode needs a store with leases (PostgreSQL); this store is single-node");
      }
      if ((recordingsRoot == null) != (probe == null)) {
        throw new IllegalStateException("indexing needs both recordingsRoot and probe");
      }
      if ((snapshotsRoot == null) != (snapshotSource == null)) {
        throw new IllegalStateException("snapshots need both snapshotsRoot and snapshotSource");
      }
      if (retentionPolicy != null && recordingsRoot == null) {
        throw new IllegalStateException("retention needs the recordingsRoot");
      }
      if (edgeSource != null && probe == null) {
        throw new IllegalStateException(
            "gap healing needs indexing (recordingsRoot and probe): healed files are indexed");
      }
      if (tiers != null
          && !tiers.primary().root().equals(recordingsRoot.toAbsolutePath().normalize())) {
        throw new IllegalStateException("the first storage tier's root "
            + tiers.primary().root() + " is not the recordings root "
            + recordingsRoot.toAbsolutePath().normalize());
      }
      return new Heldar(this);
    }
  }
}
