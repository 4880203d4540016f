package io.heldar.core.event;

import java.util.Objects;

/**
 * An event as the store keeps it: with its id, which grows with each event appended, so a reader
 * resumes after the last id it saw.
 *
 * @param id the {@code events.id}
 * @param event the event
 */
public record StoredEvent(long id, HeldarEvent event) {
  /** Validates every component. */
  public StoredEvent {
    if (id <= 0) {
      throw new IllegalArgumentException("event id must be positive: " + id);
    }
    Objects.requireNonNull(event, "event");
  }
}
