package io.heldar.core.store;

import io.heldar.core.model.Snapshot;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The {@code snapshots} table. */
public interface SnapshotStore {
  /** Inserts a snapshot row. */
  void insert(Snapshot snapshot);

  /** Inserts snapshot rows in one batch. */
  void insertAll(Collection<Snapshot> snapshots);

  /** Snapshots of a camera taken in {@code [from, to)}, oldest first. */
  List<Snapshot> list(String cameraId, Instant from, Instant to);

  /** Every snapshot path of a camera, for consistency checks. */
  List<Snapshot> all(String cameraId);

  /** The snapshot recorded at root-relative {@code path}, if any. */
  Optional<Snapshot> findByPath(String path);

  /** The snapshot of a camera taken nearest to {@code t} (the earlier one on a tie). */
  Optional<Snapshot> nearest(String cameraId, Instant t);

  /**
   * A page of a camera's snapshots taken before {@code cutoff}, oldest first (by time then path),
   * after {@code after} when given; rows marked for deletion are left out.
   */
  List<Snapshot> takenBefore(String cameraId, Instant cutoff, int limit, Optional<Snapshot> after);

  /** Marks rows for deletion; returns how many were marked. */
  int markDeletePending(Collection<String> paths);

  /** Takes the deletion mark off rows whose file could not be removed. */
  void clearDeletePending(Collection<String> paths);

  /** Rows marked for deletion, at most {@code limit}. */
  List<Snapshot> deletePending(int limit);

  /** Deletes rows (and takes them out of the roll-ups); returns how many were deleted. */
  int delete(Collection<String> paths);

  /**
   * Inserts snapshots taken for schedule slots, each as the one capture of its (schedule, slot): a
   * slot that already has a row keeps it, and the newcomer is not inserted. Returns those not
   * inserted (their files are the caller's to remove).
   */
  List<io.heldar.core.model.SlotSnapshot> insertForSlots(
      Collection<io.heldar.core.model.SlotSnapshot> captures);

  /** The snapshot recorded for a schedule's slot, if any. */
  Optional<io.heldar.core.model.SlotSnapshot> forSlot(long scheduleId, Instant slot);
}
