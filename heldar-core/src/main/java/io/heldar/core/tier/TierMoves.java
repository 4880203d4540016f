package io.heldar.core.tier;

import io.heldar.core.cluster.CameraAssignment;
import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.event.EventPublisher;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.retention.DiskSpace;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.tier.internal.TierMover;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Moves footage from tier to tier by the {@linkplain StorageTiers tiers'} rules, outside a running
 * {@code Heldar} (which runs the same thing every {@link TierMoveOptions#interval()}): the {@code
 * heldar retention} command, a host's own schedule.
 */
public interface TierMoves extends AutoCloseable {
  /**
   * One round: finishes or undoes moves a crash interrupted, checks each tier, plans (at most
   * {@link TierMoveOptions#maxFilesPerRound()} files) and moves, verified.
   */
  MoveReport round();

  /**
   * Checks each further tier's files against the index now, per tier and camera (a tier that
   * cannot be used gives each camera a refusal saying why). With {@code apply}, rows whose file is
   * gone are marked missing (a {@code lost} gap, {@code segment_missing}) unless the vanish guard
   * sees a mass disappearance, which only {@code force} overrides; without it nothing changes.
   */
  java.util.Map<String, List<io.heldar.core.index.ReconcileReport>> checkFiles(
      boolean apply, boolean force);

  /** The moves the rules call for now; nothing is moved. */
  List<PlannedMove> plan();

  /**
   * Stops its copy threads (within 5 s): a copy under way is abandoned and its move settled by the
   * next round, here or in another process.
   */
  @Override
  void close();

  /** A builder; store and tiers are required. */
  static Builder builder() {
    return new Builder();
  }

  /** Configures {@link TierMoves}; setters validate. */
  final class Builder {
    private HeldarStore store;
    private StorageTiers tiers;
    private TierMoveOptions options = TierMoveOptions.DEFAULTS;
    private Clock clock = Clock.systemUTC();
    private EventPublisher events;
    private DiskSpace disk = DiskSpace.fileStore();
    private CameraAssignment assignment = CameraAssignment.SINGLE_NODE;

    private Builder() {}

    /** The store (required). */
    public Builder store(HeldarStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The tiers (required). */
    public Builder storageTiers(StorageTiers tiers) {
      this.tiers = Objects.requireNonNull(tiers, "tiers");
      return this;
    }

    /** How fast and how many at once (default {@link TierMoveOptions#DEFAULTS}). */
    public Builder options(TierMoveOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** The clock of the age rules (default system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where events go (default: the store, no listeners). */
    public Builder events(EventPublisher events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /** Free-space source (default: the file system's). */
    public Builder diskSpace(DiskSpace disk) {
      this.disk = Objects.requireNonNull(disk, "disk");
      return this;
    }

    /** Which cameras this process moves (default: all); moves are fenced by the files lease. */
    public Builder assignment(CameraAssignment assignment) {
      this.assignment = Objects.requireNonNull(assignment, "assignment");
      return this;
    }

    /** Builds it; its copy threads start now (daemons) and stop with {@link TierMoves#close()}. */
    public TierMoves build() {
      if (store == null || tiers == null) {
        throw new IllegalStateException("store and storageTiers are required");
      }
      EngineContext context = EngineContext.builder(store)
          .clock(clock)
          .events(events)
          .assignment(assignment)
          .recordingsRoot(tiers.primary().root())
          .tiers(tiers)
          .build();
      TierMover mover = new TierMover(
          context, tiers, options, disk, () -> false, SegmentIndexer.VanishGuard.DEFAULTS);
      mover.start();
      return mover;
    }
  }
}
