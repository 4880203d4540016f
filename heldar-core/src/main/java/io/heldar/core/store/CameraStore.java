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

  /** Deletes a camera that has no segments, gaps, schedules or snapshots; returns whether it existed. */
  boolean delete(String id);
}
