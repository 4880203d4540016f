package io.heldar.core.store;

import io.heldar.core.model.Snapshot;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

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
}
