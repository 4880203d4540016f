package io.heldar.core.store;

import io.heldar.core.model.Camera;
import java.util.List;
import java.util.Optional;

/** The {@code cameras} table. */
public interface CameraStore {
  /** Inserts {@code camera} unless its id exists; returns whether it was inserted. */
  boolean add(Camera camera);

  /** Replaces name and source URL of an existing camera; returns whether it existed. */
  boolean update(Camera camera);

  /** Looks a camera up by id. */
  Optional<Camera> find(String id);

  /** Every camera, ordered by id. */
  List<Camera> list();

  /**
   * Deletes a camera that has no segments, missing segments, gaps, snapshot schedules, snapshots or
   * retention holds, with its derived rows (stats, timeline roll-ups, unreadable-file records and,
   * in a cluster, its leases); returns whether it existed.
   *
   * @throws CameraInUseException naming the tables that still hold its rows; nothing is deleted
   */
  boolean delete(String id);
}
