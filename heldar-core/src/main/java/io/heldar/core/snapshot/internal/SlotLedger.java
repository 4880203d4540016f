package io.heldar.core.snapshot.internal;

import io.heldar.core.cluster.CameraAssignment;
import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.core.snapshot.SnapshotCaptureException;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.store.LeaseLostException;
import io.heldar.core.store.LeaseStore.Duty;
import io.heldar.core.store.LeaseStore.Lease;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happened to the slots that have no snapshot row: a failed slot ({@code snapshot_failed}) or
 * slots passed without a capture ({@code snapshot_missed}) is recorded in one fenced transaction
 * with the schedule's last spent slot, so whoever resumes the schedule neither loses nor recounts
 * it. A record the store refuses (unreachable) waits in memory and is written at the next ticks,
 * while the camera's capture lease is still the one its slot was fired under.
 *
 * <p>The last spent slot is a high-water mark: whoever resumes the schedule (this process after a
 * crash, another node after a failover) counts the slots after it and trusts those up to it to be
 * accounted for. So a schedule's records are written in slot order: a slot fired here stays
 * <em>open</em> until its row, its failure or its drop is settled, and no record of a later slot of
 * the schedule (a row, a failure, slots missed while the capture ran) is written while an earlier
 * one is open; it waits in memory, like a record the store refused. A process killed meanwhile has
 * spent nothing past its first open slot, and the next owner counts that slot and the ones after.
 */
final class SlotLedger {
  private static final Logger log = LoggerFactory.getLogger(SlotLedger.class);

  /**
   * A failed or missed slot whose record the store refused (unreachable): retried each tick, while
   * the camera's capture lease is still the one it was spent under ({@code tenure}).
   */
  private record Unrecorded(
      SnapshotSchedule schedule,
      Instant slot,
      HeldarEvent event,
      String what,
      Optional<Lease> tenure) {}

  /**
   * A record about a slot fired under a capture lease this node no longer holds at that epoch (lost,
   * even if taken back since): dropped, as the lease's next tenure accounts for the slot from the
   * schedule's last spent slot.
   */
  static final class TenureEnded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TenureEnded(String message) {
      super(message, null, false, false);
    }
  }

  private static final int MAX_UNRECORDED = 100_000;
  private final java.util.Queue<Unrecorded> unrecorded =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  private final HeldarStore store;
  private final EventPublisher events;
  private final CameraAssignment assignment;
  private final Clock clock;
  private final AtomicLong failed = new AtomicLong();
  /**
   * Per schedule, the slots fired here (and the last slots of missed runs waiting for their record)
   * whose outcome is not yet settled in the store, each with how many times it is open (a slot
   * re-fired under a new tenure while the old tenure's attempt is still settling). Guarded by itself.
   */
  private final Map<Long, TreeMap<Instant, Integer>> open = new HashMap<>();

  SlotLedger(HeldarStore store, EventPublisher events, CameraAssignment assignment, Clock clock) {
    this.store = store;
    this.events = events;
    this.assignment = assignment;
    this.clock = clock;
  }

  /** A slot of {@code scheduleId} was fired here: later slots' records wait until it is settled. */
  void opened(long scheduleId, Instant slot) {
    synchronized (open) {
      open.computeIfAbsent(scheduleId, k -> new TreeMap<>()).merge(slot, 1, Integer::sum);
    }
  }

  /**
   * The outcome of an open slot of {@code scheduleId} is in the store (a row, a failure, missed
   * slots), or dropped for the camera's next tenure to account for.
   */
  void settled(long scheduleId, Instant slot) {
    synchronized (open) {
      TreeMap<Instant, Integer> slots = open.get(scheduleId);
      if (slots == null) {
        return;
      }
      slots.computeIfPresent(slot, (k, n) -> n > 1 ? n - 1 : null);
      if (slots.isEmpty()) {
        open.remove(scheduleId);
      }
    }
  }

  /**
   * Whether a slot of {@code scheduleId} before {@code slot} is open here, other than those of
   * {@code settledWith} (the slots recorded in the same transaction): a record or row of {@code
   * slot} must wait until it is settled.
   */
  boolean waitsForEarlier(long scheduleId, Instant slot, Set<Instant> settledWith) {
    synchronized (open) {
      TreeMap<Instant, Integer> slots = open.get(scheduleId);
      if (slots == null) {
        return false;
      }
      for (Instant earlier : slots.headMap(slot, false).keySet()) {
        if (!settledWith.contains(earlier)) {
          return true;
        }
      }
      return false;
    }
  }

  /** Slots failed since start. */
  long failures() {
    return failed.get();
  }

  void fail(SnapshotSchedule schedule, Instant slot, Throwable t, Optional<Lease> tenure) {
    failed.incrementAndGet();
    String reason = t instanceof SnapshotCaptureException sce
        ? sce.reason()
        : t.getClass().getSimpleName() + ": " + t.getMessage();
    boolean timedOut = t instanceof SnapshotCaptureException sce && sce.timedOut();
    log.warn(
        "schedule {} (camera {}): snapshot for slot {} failed: {}",
        schedule.id(),
        schedule.cameraId(),
        slot,
        reason);
    // The slot is spent (resume after it) and reported, in one transaction: a process that dies
    // or loses the camera in between neither loses the report nor makes another node count the
    // slot again. The slot is open since it was fired.
    record(
        schedule,
        slot,
        new TypedEvent.SnapshotFailed(
            schedule.id(),
            slot,
            reason,
            timedOut,
            t instanceof CaptureNotStartedException
                ? TypedEvent.SnapshotFailed.CAUSE_SATURATED
                : TypedEvent.SnapshotFailed.CAUSE_CAMERA),
        "failed slot " + slot,
        tenure);
  }

  /**
   * Records slots passed without a capture, through {@code slot}, as {@code event}: see {@link
   * #record(SnapshotSchedule, Instant, TypedEvent, String, Optional)}. The run's last slot is open
   * until the record is written, so no later slot's record is written before it.
   */
  void spendMissed(
      SnapshotSchedule schedule,
      Instant slot,
      TypedEvent event,
      String what,
      Optional<Lease> tenure) {
    opened(schedule.id(), slot);
    record(schedule, slot, event, what, tenure);
  }

  /**
   * Records {@code slot} (open) as the schedule's last spent slot and {@code event} in one
   * transaction, fenced by the camera's capture lease in a cluster; listeners hear the event once it
   * committed, and the slot is settled. A node that lost the camera records nothing: the new owner
   * resumes from the last slot spent and accounts for the rest. A record that must wait (an earlier
   * slot is open, or the store is unreachable) is written at a later tick.
   */
  private void record(
      SnapshotSchedule schedule,
      Instant slot,
      TypedEvent event,
      String what,
      Optional<Lease> tenure) {
    Unrecorded u = new Unrecorded(
        schedule, slot, HeldarEvent.of(schedule.cameraId(), event, clock.instant()), what, tenure);
    if (record(u, false) != Outcome.DONE) {
      if (unrecorded.size() < MAX_UNRECORDED) {
        unrecorded.add(u);
      } else {
        log.error(
            "schedule {} (camera {}): {} could not be recorded and {} others wait already; dropped",
            schedule.id(),
            schedule.cameraId(),
            what,
            MAX_UNRECORDED);
        settled(schedule.id(), slot);
      }
    }
  }

  /** What became of an attempt to write a record. */
  private enum Outcome {
    /** Written, or dropped for the camera's next tenure: the slot is settled. */
    DONE,
    /** The store failed: try again later, after nothing else of this round. */
    STORE_FAILED,
    /** An earlier slot of the schedule is open: try again once it is settled. */
    WAITING
  }

  /**
   * Inside a fenced transaction: refuses a record about a slot fired under a capture lease that is
   * no longer this node's current one (the fence checks the current lease; a lease lost and taken
   * back has a new epoch, and its tenure counts the old one's unrecorded slots itself).
   */
  void requireTenure(String cameraId, Optional<Lease> tenure) {
    if (tenure.isEmpty()) {
      return; // not in a cluster
    }
    Optional<Lease> current = assignment.lease(cameraId, Duty.CAPTURE);
    if (current.isEmpty() || current.get().epoch() != tenure.get().epoch()) {
      throw new TenureEnded("fired under epoch " + tenure.get().epoch() + ", and the capture lease "
          + current.map(l -> "is at epoch " + l.epoch() + " now").orElse("is lost"));
    }
  }

  private Outcome record(Unrecorded u, boolean retry) {
    SnapshotSchedule schedule = u.schedule();
    if (waitsForEarlier(schedule.id(), u.slot(), Set.of())) {
      if (!retry) {
        log.debug(
            "schedule {} (camera {}): {} waits until an earlier slot is settled",
            schedule.id(),
            schedule.cameraId(),
            u.what());
      }
      return Outcome.WAITING;
    }
    try {
      assignment.fenced(
          schedule.cameraId(),
          Duty.CAPTURE,
          () -> store.inTransaction(() -> {
            requireTenure(schedule.cameraId(), u.tenure());
            store.snapshotSchedules().markFired(schedule.id(), u.slot(), clock.instant());
            events.record(u.event());
            return null;
          }));
    } catch (LeaseLostException | TenureEnded lost) {
      log.info(
          "schedule {} (camera {}): {} not recorded here: {}",
          schedule.id(),
          schedule.cameraId(),
          u.what(),
          lost.getMessage());
      settled(schedule.id(), u.slot());
      return Outcome.DONE;
    } catch (RuntimeException e) {
      if (!retry) {
        log.warn(
            "schedule {} (camera {}): could not record {} ({}); retried at the next ticks",
            schedule.id(),
            schedule.cameraId(),
            u.what(),
            e.toString());
      }
      return Outcome.STORE_FAILED;
    }
    settled(schedule.id(), u.slot());
    events.notifyListeners(List.of(u.event()));
    return Outcome.DONE;
  }

  /**
   * Records what could not be recorded before (the database was unreachable, or an earlier slot
   * was open), so that every slot ends up taken, failed or missed in the store, late rather than
   * never.
   */
  void retryUnrecorded() {
    for (int n = unrecorded.size(); n > 0; n--) {
      Unrecorded u = unrecorded.poll();
      if (u == null) {
        return;
      }
      Outcome o = record(u, true);
      if (o != Outcome.DONE) {
        unrecorded.add(u);
      }
      if (o == Outcome.STORE_FAILED) {
        return; // still unreachable: the rest waits for the next tick
      }
    }
  }

  /** Whether records wait to be written. */
  boolean hasUnrecorded() {
    return !unrecorded.isEmpty();
  }
}
