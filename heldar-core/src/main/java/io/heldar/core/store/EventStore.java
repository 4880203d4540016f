package io.heldar.core.store;

import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.StoredEvent;
import java.time.Instant;
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

  /**
   * Events with an id greater than {@code afterId}, oldest first, at most {@code limit} (0 to
   * 10,000), optionally of one camera: a reader passes the last id it saw to read on.
   */
  List<StoredEvent> after(long afterId, Optional<String> cameraId, int limit);

  /**
   * Events with an id less than {@code beforeId}, newest first, at most {@code limit} (0 to
   * 10,000), optionally of one camera: {@code Long.MAX_VALUE} reads the newest, and a reader passes
   * the last id it saw to read further back.
   */
  List<StoredEvent> before(long beforeId, Optional<String> cameraId, int limit);

  /**
   * Deletes up to {@code limit} of the oldest events created before {@code cutoff}; returns how many
   * it deleted (fewer than {@code limit}: none older is left).
   */
  int deleteOlderThan(Instant cutoff, int limit);

  /** Number of events of a kind, optionally of one camera. */
  long count(Optional<String> cameraId, String kind);
}
