package io.heldar.core.retention;

import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.event.EventPublisher;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.model.RetentionHold;
import io.heldar.core.retention.internal.PlanningSweeper;
import io.heldar.core.store.HeldarStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Deletes what the {@link RetentionPolicy} says may go, safely:
 *
 * <ul>
 *   <li>only files known to the index, resolved inside their camera's directory without following
 *       symbolic links — a missing or empty database deletes nothing;
 *   <li>never a locked segment, one overlapping a {@linkplain #hold hold}, or a camera's newest
 *       segment;
 *   <li>plan first: a camera whose plan would delete more than the policy's share of its segments is
 *       refused (a {@code retention_refused} event) unless the sweep is forced — a clock jump or a
 *       wrong setting must not wipe an archive;
 *   <li>crash-safe: rows are marked, files unlinked, rows removed; after {@code kill -9} anywhere,
 *       the next sweep finishes what was marked;
 *   <li>holes left between the remaining footage are gaps with {@code cause='retention'}, raising
 *       no {@code recording_gap} event.
 * </ul>
 */
public interface RetentionSweeper {

  /** What a sweep would do now. */
  RetentionPlan plan();

  /** Finishes an interrupted sweep, then plans and carries out the plan (refused cameras skipped unless {@code force}). */
  SweepReport sweep(boolean force);

  /** Plans only: nothing is deleted. */
  default SweepReport dryRun() {
    return new SweepReport(plan(), 0, 0, 0, 0, true);
  }

  /**
   * Holds a camera's range: nothing overlapping it is deleted. The same operation as {@link
   * io.heldar.core.HeldarClient#hold} (one implementation), here for a sweeper run without Heldar.
   */
  RetentionHold hold(String cameraId, Instant from, Instant to, String reason);

  /** Releases a hold. */
  boolean release(long holdId);

  /** A camera's holds. */
  List<RetentionHold> holds(String cameraId);

  /** A builder; store, policy and recordings root are required. */
  static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link RetentionSweeper}; setters validate. */
  final class Builder {
    private HeldarStore store;
    private RetentionPolicy policy;
    private Path recordingsRoot;
    private Path snapshotsRoot;
    private Clock clock = Clock.systemUTC();
    private EventPublisher events;
    private DiskSpace disk = DiskSpace.fileStore();
    private GapDetector.Options gapOptions = GapDetector.Options.DEFAULTS;
    private io.heldar.core.tier.StorageTiers tiers;
    private io.heldar.core.cluster.CameraAssignment assignment =
        io.heldar.core.cluster.CameraAssignment.SINGLE_NODE;

    private Builder() {}

    /**
     * Which cameras this process sweeps (default {@link
     * io.heldar.core.cluster.CameraAssignment#SINGLE_NODE}: all). In a cluster, a camera is planned,
     * marked and deleted only while this node holds its files lease; marks and deletions of rows are
     * fenced, and a file is unlinked only while the lease is held.
     */
    public Builder assignment(io.heldar.core.cluster.CameraAssignment assignment) {
      this.assignment = Objects.requireNonNull(assignment, "assignment");
      return this;
    }

    /** The store (required). */
    public Builder store(HeldarStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The policy (required). */
    public Builder policy(RetentionPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The recordings root segments' paths are relative to (required). */
    public Builder recordingsRoot(Path root) {
      this.recordingsRoot =
          Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
      return this;
    }

    /** The snapshots root; without it snapshots are never deleted. */
    public Builder snapshotsRoot(Path root) {
      this.snapshotsRoot = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
      return this;
    }

    /** The clock (default system UTC). */
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

    /** Gap settings for the holes retention leaves. */
    public Builder gapOptions(GapDetector.Options options) {
      this.gapOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * The storage tiers, the recordings root first: segments moved to a further tier are deleted
     * there (a tier that cannot be used keeps its rows). Default: the recordings root alone.
     */
    public Builder storageTiers(io.heldar.core.tier.StorageTiers tiers) {
      this.tiers = Objects.requireNonNull(tiers, "tiers");
      if (recordingsRoot == null) {
        recordingsRoot = tiers.primary().root();
      }
      return this;
    }

    /** Builds the sweeper. */
    public RetentionSweeper build() {
      if (store == null || policy == null || recordingsRoot == null) {
        throw new IllegalStateException("store, policy and recordingsRoot are required");
      }
      EngineContext context = EngineContext.builder(store)
          .clock(clock)
          .events(events)
          .assignment(assignment)
          .gapOptions(gapOptions)
          .recordingsRoot(recordingsRoot)
          .snapshotsRoot(snapshotsRoot)
          .tiers(tiers)
          .build();
      return new PlanningSweeper(context, policy, disk);
    }
  }
}
