package io.heldar.core.snapshot;

import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.engine.internal.EngineObserver;
import io.heldar.core.event.EventPublisher;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.core.runtime.Deadline;
import io.heldar.core.runtime.Ticker;
import io.heldar.core.snapshot.internal.GridSnapshotScheduler;
import io.heldar.core.store.HeldarStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Per-camera interval snapshot schedules that fire on a fixed grid.
 *
 * <p><b>Grid.</b> A schedule's slots are the multiples of its interval since the Unix epoch (a 10 s
 * schedule fires at :00, :10, :20 …); the next slot is always the previous slot plus the interval,
 * never "capture finished + interval", so schedules do not drift. A new schedule fires at the first
 * slot at or after its creation.
 *
 * <p><b>Restarts.</b> Due-ness comes from the stored {@code last_fired_at}, so a restart resumes the
 * grid. After downtime or a stall the schedule misfires: it fires once (or skips, see {@link
 * MisfirePolicy}) and returns to its grid; never a burst of catch-up captures. A slot whose previous
 * capture is still running is missed, not queued.
 *
 * <p><b>Time.</b> Slots are judged against a time that follows the injected clock forward but never
 * goes back: while the wall clock is behind it (it stepped back), that time advances by monotonic
 * elapsed time, so slots keep coming one interval apart and no slot fires twice; a step forward is
 * a misfire.
 *
 * <p><b>Persisting.</b> A capture is checked to be a complete JPEG; the camera is then free for its
 * next slot while write threads put the file in place: a temp file in the camera's snapshot
 * directory, fsynced, renamed to a name no other snapshot of this process has (never replacing a
 * file), the directory fsynced. One committer thread then writes the {@code snapshots} rows and the
 * schedules' {@code last_fired_at} of everything written meanwhile in one transaction. A failure
 * leaves no file and no row and raises a {@code snapshot_failed} event.
 */
public interface SnapshotScheduler extends AutoCloseable {

  /**
   * Creates an enabled schedule; the same operation as {@link io.heldar.core.HeldarClient#createSchedule}
   * (one implementation), here for a scheduler run without Heldar.
   */
  SnapshotSchedule create(String cameraId, Duration interval);

  /** Changes a schedule's interval and enabled flag; empty when the id is unknown. */
  Optional<SnapshotSchedule> update(long id, Duration interval, boolean enabled);

  /** Every schedule. */
  List<SnapshotSchedule> list();

  /** Deletes a schedule; its snapshots stay. */
  boolean delete(long id);

  /**
   * One pass: reloads schedules when the refresh interval has passed and starts the captures that
   * are due (they run on the capture threads). Heldar's runtime calls this whenever {@link
   * #untilNextDue()} says; a host driving a scheduler of its own calls it.
   */
  TickReport fireDue();

  /**
   * How long after the last {@link #fireDue()} the next one has work: until the earliest slot of an
   * enabled schedule, or the next reload of the schedules, whichever comes first; zero before the
   * first tick. A capture still running asks for a tick within 100 ms (hung captures are given up on
   * in a tick). Heldar's runtime ticks again after this, within the tick interval and one second.
   */
  Duration untilNextDue();

  /** Waits until no capture is running; returns whether that happened within {@code timeout}. */
  boolean awaitIdle(Duration timeout);

  /**
   * Start-up recovery: finishes the temp files a crash left after their row was committed (renamed
   * to their final name), removes the others, and reports rows whose file is gone (one {@code
   * snapshot_file_missing} event per camera that has any). Afterwards rows and files match.
   */
  RecoveryReport recover();

  /** Counters since creation. */
  Stats stats();

  /** Stops the capture threads (running captures are interrupted). Idempotent. */
  @Override
  void close();

  /**
   * Stops capturing and waits until {@code deadline} for running captures to end and written
   * snapshots to be committed; what is still running then is abandoned (a crash-safe state: the next
   * start's recovery completes or removes its temp files). {@link #close()} is this with the
   * default stop deadline ({@link io.heldar.core.runtime.RuntimeOptions#DEFAULT_STOP_TIMEOUT}).
   */
  void close(Deadline deadline);

  /**
   * What one {@link #fireDue()} did.
   *
   * @param fired captures started
   * @param missed slots that passed without a capture (downtime, a stall, a capture still running)
   */
  record TickReport(int fired, int missed) {}

  /**
   * What {@link #recover()} found.
   *
   * @param tempFilesRemoved temp files deleted (no row was committed for them)
   * @param tempFilesCompleted temp files renamed to their final name (their row was committed)
   * @param missingFiles root-relative paths of rows whose file is gone
   */
  record RecoveryReport(int tempFilesRemoved, int tempFilesCompleted, List<String> missingFiles) {
    /** Freezes. */
    public RecoveryReport {
      missingFiles = List.copyOf(missingFiles);
    }
  }

  /**
   * Counters.
   *
   * @param fired captures started
   * @param missed slots passed without a capture
   * @param stored snapshots stored
   * @param failed captures that failed
   */
  record Stats(long fired, long missed, long stored, long failed) {}

  /** Observes slots, e.g. to measure lateness. Called on scheduler threads; keep it cheap. */
  interface SlotObserver {
    /** A capture for {@code slot} starts at {@code at}. */
    default void fired(long scheduleId, Instant slot, Instant at) {}

    /** {@code count} slots of a schedule passed without a capture. */
    default void missed(long scheduleId, int count, String why) {}

    /** The snapshot for {@code slot} is committed, at {@code committedAt}. */
    default void stored(SnapshotSchedule schedule, Instant slot, Instant committedAt) {}
  }

  /** A builder; store, source and snapshots root are required. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Configures a {@link SnapshotScheduler} run by the host rather than by Heldar; setters validate
   * as they go. How it captures is one {@link SnapshotOptions} record ({@link #options}).
   */
  final class Builder {
    private HeldarStore store;
    private SnapshotOptions options = SnapshotOptions.DEFAULTS;
    private SnapshotSource source;
    private Path snapshotsRoot;
    private Clock clock = Clock.systemUTC();
    private EventPublisher events;
    private SlotObserver observer = new SlotObserver() {};
    private Ticker ticker = io.heldar.core.runtime.Ticker.system();
    private Executor captureExecutor;
    private io.heldar.core.cluster.CameraAssignment assignment =
        io.heldar.core.cluster.CameraAssignment.SINGLE_NODE;

    private Builder() {}

    /**
     * Which cameras this process captures (default {@link
     * io.heldar.core.cluster.CameraAssignment#SINGLE_NODE}: all). In a cluster, a schedule fires
     * only while this node holds its camera's capture lease, every commit is fenced, and the slots
     * a camera missed while between nodes are recorded as {@code snapshot_missed} with cause {@code
     * failover}.
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

    /** Where JPEGs come from (required), e.g. {@link SnapshotSources#byScheme}. */
    public Builder source(SnapshotSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /** Root of the snapshot files: {@code <root>/<camera id>/<taken_at>.jpg} (required). */
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

    /**
     * How it captures (default {@link SnapshotOptions#DEFAULTS}): misfire policy, capture timeout
     * and parallelism, refresh interval, fsync. Change one value with {@link SnapshotOptions#from}.
     */
    public Builder options(SnapshotOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** An observer of fired and missed slots. */
    public Builder observer(SlotObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
      return this;
    }

    /**
     * The monotonic ticker ({@link Ticker#system()} by default) that measures
     * elapsed time while the wall clock steps back, and how long a capture has been running (a
     * capture past its timeout plus a second is given up on). Tests pass one that moves with their
     * clock.
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Runs captures on the host's executor (a virtual-thread executor suits cameras well) instead of
     * Heldar's own pool of {@code captureParallelism} daemon threads. Heldar never shuts it down:
     * closing stops submitting, interrupts Heldar's running captures and waits for them within the
     * stop deadline. The executor's size then bounds capture parallelism. Files are still written and
     * committed by Heldar's own small threads.
     */
    public Builder captureExecutor(Executor executor) {
      this.captureExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Builds the scheduler. */
    public SnapshotScheduler build() {
      if (store == null || source == null || snapshotsRoot == null) {
        throw new IllegalStateException("store, source and snapshotsRoot are required");
      }
      SlotObserver slots = observer;
      EngineContext context = EngineContext.builder(store)
          .clock(clock)
          .ticker(ticker)
          .events(events)
          .assignment(assignment)
          .observer(new EngineObserver() {
            @Override
            public void fired(long scheduleId, Instant slot, Instant at) {
              slots.fired(scheduleId, slot, at);
            }

            @Override
            public void missed(long scheduleId, int count, String why) {
              slots.missed(scheduleId, count, why);
            }

            @Override
            public void stored(SnapshotSchedule schedule, Instant slot, Instant committedAt) {
              slots.stored(schedule, slot, committedAt);
            }
          })
          .snapshotsRoot(snapshotsRoot)
          .snapshotSource(source)
          .captureExecutor(captureExecutor)
          .build();
      return new GridSnapshotScheduler(context, options);
    }
  }
}
