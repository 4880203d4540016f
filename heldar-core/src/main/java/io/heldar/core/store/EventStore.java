package io.heldar.core.store;

import io.heldar.core.model.HeldarEvent;
import java.util.List;
import java.util.Optional;

/** The {@code events} table. */
public interface EventStore {
  /** Appends an event; returns its id. */
  long append(HeldarEvent event);

  /**
   * The newest events first, at most {@code limit}, optionally only of one camera and/or kind.
   */
  List<HeldarEvent> recent(Optional<String> cameraId, Optional<String> kind, int limit);

  /** Number of events of a kind, optionally of one camera. */
  long count(Optional<String> cameraId, String kind);
}
