package io.heldar.core.store;

import io.heldar.core.model.RetentionHold;
import java.time.Instant;
import java.util.List;

/** The {@code retention_holds} table. */
public interface HoldStore {
  /** Places a hold and returns it with its id. */
  RetentionHold add(String cameraId, Instant start, Instant end, String reason, Instant now);

  /** A camera's holds, ordered by start. */
  List<RetentionHold> list(String cameraId);

  /** Removes a hold; returns whether it existed. */
  boolean remove(long id);
}
