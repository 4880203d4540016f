package io.heldar.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot taken for one slot of its schedule: the one capture of (schedule, slot), with the
 * cluster node and lease epoch that committed it.
 *
 * @param snapshot the snapshot; its schedule id is present
 * @param slot the slot on the schedule's grid
 * @param nodeId the cluster node that committed it; empty outside cluster mode
 * @param epoch the capture lease's epoch it was committed under; 0 outside cluster mode
 */
public record SlotSnapshot(Snapshot snapshot, Instant slot, Optional<String> nodeId, long epoch) {
  /** Validates. */
  public SlotSnapshot {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(slot, "slot");
    Objects.requireNonNull(nodeId, "nodeId");
    if (snapshot.scheduleId().isEmpty()) {
      throw new IllegalArgumentException(
          "snapshot " + snapshot.path() + " has no schedule, so no slot");
    }
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must not be negative: " + epoch);
    }
  }

  /** The schedule. */
  public long scheduleId() {
    return snapshot.scheduleId().getAsLong();
  }
}
