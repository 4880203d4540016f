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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happened to the slots that have no snapshot row: a failed slot ({@code snapshot_failed}) or
 * slots passed without a capture ({@code snapshot_missed}) is recorded in one fenced transaction
 * with the schedule's last spent slot, so whoever resumes the schedule neither loses nor recounts
 * it. A record the store refuses (unreachable) waits in memory and is written at the next ticks,
 * while the camera's capture lease is still the one its slot was fired under.
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

  SlotLedger(HeldarStore store, EventPublisher events, CameraAssignment assignment, Clock clock) {
    this.store = store;
    this.events = events;
    this.assignment = assignment;
    this.clock = clock;
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
    // slot again.
    spend(
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
   * Records {@code slot} as the schedule's last spent slot and {@code event} in one transaction,
   * fenced by the camera's capture lease in a cluster; listeners hear the event once it committed.
   * A node that lost the camera records nothing: the new owner resumes from the last slot spent
   * and accounts for the rest.
   */
  void spend(
      SnapshotSchedule schedule,
      Instant slot,
      TypedEvent event,
      String what,
      Optional<Lease> tenure) {
    Unrecorded u = new Unrecorded(
        schedule, slot, HeldarEvent.of(schedule.cameraId(), event, clock.instant()), what, tenure);
    if (!record(u, false)) {
      if (unrecorded.size() < MAX_UNRECORDED) {
        unrecorded.add(u);
      } else {
        log.error(
            "schedule {} (camera {}): {} could not be recorded and {} others wait already; dropped",
            schedule.id(),
            schedule.cameraId(),
            what,
            MAX_UNRECORDED);
      }
    }
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

  /** Returns false when the store failed (try again later); true when recorded or not ours. */
  private boolean record(Unrecorded u, boolean retry) {
    SnapshotSchedule schedule = u.schedule();
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
      return true;
    } catch (RuntimeException e) {
      if (!retry) {
        log.warn(
            "schedule {} (camera {}): could not record {} ({}); retried at the next ticks",
            schedule.id(),
            schedule.cameraId(),
            u.what(),
            e.toString());
      }
      return false;
    }
    events.notifyListeners(List.of(u.event()));
    return true;
  }

  /**
   * Records what could not be recorded before (the database was unreachable), so that every slot
   * ends up taken, failed or missed in the store, late rather than never.
   */
  void retryUnrecorded() {
    for (int n = unrecorded.size(); n > 0; n--) {
      Unrecorded u = unrecorded.poll();
      if (u == null) {
        return;
      }
      if (!record(u, true)) {
        unrecorded.add(u);
        return; // still unreachable: the rest waits for the next tick
      }
    }
  }
}
