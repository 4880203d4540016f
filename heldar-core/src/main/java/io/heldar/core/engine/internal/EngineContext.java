package io.heldar.core.engine.internal;

import io.heldar.core.cluster.CameraAssignment;
import io.heldar.core.event.EventPublisher;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.runtime.RuntimeOptions;
import io.heldar.core.runtime.Ticker;
import io.heldar.core.snapshot.SnapshotSource;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.tier.StorageTiers;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * What every engine shares, built once by {@code Heldar} (or by an engine's standalone builder) and
 * handed to each engine with its own options record: the store, the clock and the ticker, where
 * events go, which cameras this process works on (and the fence of their writes), the one gap
 * detector, the host's adapters and executors, and the runtime's settings (the stop deadline).
 *
 * @param store the store, owned by the host
 * @param clock wall time of every timestamp
 * @param ticker monotonic time of every interval an engine decides on
 * @param events where events go (store and listeners)
 * @param assignment the cameras this process works on; in a cluster, also the fence of their writes
 * @param gaps the one gap detector
 * @param observer hears what ticks did (the metrics)
 * @param recordingsRoot the recordings root, when indexing or retention is configured
 * @param snapshotsRoot the snapshots root, when snapshots are configured
 * @param probe the media probe, when indexing is configured
 * @param snapshotSource where snapshots come from, when snapshots are configured
 * @param probeExecutor the host's executor for probes; Heldar's own threads when empty
 * @param captureExecutor the host's executor for captures; Heldar's own threads when empty
 * @param runtime the runtime's threads and the stop deadline
 * @param tiers the storage tiers, the recordings root first (one tier when none more are
 *     configured); empty without a recordings root
 */
public record EngineContext(
    HeldarStore store,
    Clock clock,
    Ticker ticker,
    EventPublisher events,
    CameraAssignment assignment,
    GapDetector gaps,
    EngineObserver observer,
    Optional<Path> recordingsRoot,
    Optional<Path> snapshotsRoot,
    Optional<MediaProbe> probe,
    Optional<SnapshotSource> snapshotSource,
    Optional<Executor> probeExecutor,
    Optional<Executor> captureExecutor,
    RuntimeOptions runtime,
    Optional<StorageTiers> tiers) {

  /** Checks that nothing is null; roots are made absolute and normal. */
  public EngineContext {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(assignment, "assignment");
    Objects.requireNonNull(gaps, "gaps");
    Objects.requireNonNull(observer, "observer");
    recordingsRoot = recordingsRoot.map(p -> p.toAbsolutePath().normalize());
    snapshotsRoot = snapshotsRoot.map(p -> p.toAbsolutePath().normalize());
    Objects.requireNonNull(probe, "probe");
    Objects.requireNonNull(snapshotSource, "snapshotSource");
    Objects.requireNonNull(probeExecutor, "probeExecutor");
    Objects.requireNonNull(captureExecutor, "captureExecutor");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(tiers, "tiers");
    if (tiers.isPresent()
        && !recordingsRoot.map(tiers.get().primary().root()::equals).orElse(false)) {
      throw new IllegalArgumentException("the first storage tier's root "
          + tiers.get().primary().root() + " is not the recordings root " + recordingsRoot);
    }
  }

  /** The storage tiers; fails naming {@code engine} when there is no recordings root. */
  public StorageTiers requireTiers(String engine) {
    return tiers.orElseThrow(() -> new IllegalStateException(engine + " needs the recordingsRoot"));
  }

  /** This context with another assignment (a cluster node's lease keeper, built from this one). */
  public EngineContext withAssignment(CameraAssignment other) {
    return new EngineContext(
        store,
        clock,
        ticker,
        events,
        other,
        gaps,
        observer,
        recordingsRoot,
        snapshotsRoot,
        probe,
        snapshotSource,
        probeExecutor,
        captureExecutor,
        runtime,
        tiers);
  }

  /** The recordings root; fails naming {@code engine} when none is configured. */
  public Path requireRecordingsRoot(String engine) {
    return recordingsRoot.orElseThrow(
        () -> new IllegalStateException(engine + " needs the recordingsRoot"));
  }

  /** The snapshots root; fails naming {@code engine} when none is configured. */
  public Path requireSnapshotsRoot(String engine) {
    return snapshotsRoot.orElseThrow(
        () -> new IllegalStateException(engine + " needs the snapshotsRoot"));
  }

  /** A builder: store required; system clock and ticker, single node, no listeners by default. */
  public static Builder builder(HeldarStore store) {
    return new Builder(store);
  }

  /** Builds an {@link EngineContext}. */
  public static final class Builder {
    private final HeldarStore store;
    private Clock clock = Clock.systemUTC();
    private Ticker ticker = Ticker.system();
    private EventPublisher events;
    private CameraAssignment assignment = CameraAssignment.SINGLE_NODE;
    private GapDetector.Options gapOptions = GapDetector.Options.DEFAULTS;
    private EngineObserver observer = EngineObserver.NONE;
    private Path recordingsRoot;
    private Path snapshotsRoot;
    private MediaProbe probe;
    private SnapshotSource snapshotSource;
    private Executor probeExecutor;
    private Executor captureExecutor;
    private RuntimeOptions runtime = RuntimeOptions.DEFAULTS;
    private StorageTiers tiers;

    private Builder(HeldarStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** The clock. */
    public Builder clock(Clock v) {
      clock = Objects.requireNonNull(v, "clock");
      return this;
    }

    /** The ticker. */
    public Builder ticker(Ticker v) {
      ticker = Objects.requireNonNull(v, "ticker");
      return this;
    }

    /** Where events go; default: the store, no listeners. */
    public Builder events(EventPublisher v) {
      events = v;
      return this;
    }

    /** Which cameras this process works on. */
    public Builder assignment(CameraAssignment v) {
      assignment = Objects.requireNonNull(v, "assignment");
      return this;
    }

    /** The gap detector's settings. */
    public Builder gapOptions(GapDetector.Options v) {
      gapOptions = Objects.requireNonNull(v, "gapOptions");
      return this;
    }

    /** Who hears what ticks did. */
    public Builder observer(EngineObserver v) {
      observer = Objects.requireNonNull(v, "observer");
      return this;
    }

    /** The recordings root (may be null: none). */
    public Builder recordingsRoot(Path v) {
      recordingsRoot = v;
      return this;
    }

    /** The snapshots root (may be null: none). */
    public Builder snapshotsRoot(Path v) {
      snapshotsRoot = v;
      return this;
    }

    /** The probe (may be null: none). */
    public Builder probe(MediaProbe v) {
      probe = v;
      return this;
    }

    /** The snapshot source (may be null: none). */
    public Builder snapshotSource(SnapshotSource v) {
      snapshotSource = v;
      return this;
    }

    /** The host's probe executor (may be null: Heldar's own). */
    public Builder probeExecutor(Executor v) {
      probeExecutor = v;
      return this;
    }

    /** The host's capture executor (may be null: Heldar's own). */
    public Builder captureExecutor(Executor v) {
      captureExecutor = v;
      return this;
    }

    /** The runtime's settings. */
    public Builder runtime(RuntimeOptions v) {
      runtime = Objects.requireNonNull(v, "runtime");
      return this;
    }

    /** The storage tiers (may be null: the recordings root alone). */
    public Builder tiers(StorageTiers v) {
      tiers = v;
      return this;
    }

    /** The context, with its one gap detector. */
    public EngineContext build() {
      EventPublisher ev = events != null ? events : EventPublisher.storing(store, List.of());
      return new EngineContext(
          store,
          clock,
          ticker,
          ev,
          assignment,
          GapDetector.create(store, ev, clock, gapOptions),
          observer,
          Optional.ofNullable(recordingsRoot),
          Optional.ofNullable(snapshotsRoot),
          Optional.ofNullable(probe),
          Optional.ofNullable(snapshotSource),
          Optional.ofNullable(probeExecutor),
          Optional.ofNullable(captureExecutor),
          runtime,
          Optional.ofNullable(tiers)
              .or(() -> Optional.ofNullable(recordingsRoot).map(StorageTiers::of)));
    }
  }
}
