package io.heldar.core.store;

import io.heldar.core.model.SnapshotSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code snapshot_schedules} table. */
public interface SnapshotScheduleStore {
  /** Creates a schedule and returns it with its id. */
  SnapshotSchedule create(String cameraId, Duration interval, boolean enabled, Instant now);

  /** Changes interval and enabled flag; returns the new state, or empty if the id is unknown. */
  Optional<SnapshotSchedule> update(long id, Duration interval, boolean enabled, Instant now);

  /**
   * Records the slot a schedule fired for, unless a later slot is recorded already (captures may
   * complete out of order); returns whether the schedule exists.
   */
  boolean markFired(long id, Instant slot, Instant now);

  /**
   * {@link #markFired} for each schedule id and slot of {@code slots}, in one call (the snapshot
   * committer marks a thousand schedules a second this way); a store may run them as one batch.
   */
  default void markFiredAll(java.util.Map<Long, Instant> slots, Instant now) {
    slots.forEach((id, slot) -> markFired(id, slot, now));
  }

  /** Looks a schedule up by id. */
  Optional<SnapshotSchedule> find(long id);

  /** Every schedule, ordered by id. */
  List<SnapshotSchedule> list();

  /** Deletes a schedule; returns whether it existed. */
  boolean delete(long id);
}
