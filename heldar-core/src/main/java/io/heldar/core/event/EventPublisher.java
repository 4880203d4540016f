package io.heldar.core.event;

import io.heldar.core.event.internal.StoreEventPublisher;
import io.heldar.core.store.HeldarStore;
import java.util.List;

/**
 * Records events and tells listeners about them. Engines that change state and raise events in
 * one transaction call {@link #record(HeldarEvent)} inside it and {@link #notifyListeners(List)}
 * after it commits, so listeners never hear of something that was rolled back.
 */
public interface EventPublisher {
  /** Appends the event to the store (joining the caller's transaction, if any). */
  void record(HeldarEvent event);

  /** Passes committed events to the listeners. Never throws. */
  void notifyListeners(List<HeldarEvent> events);

  /** Passes a task failure to the listeners. Never throws. */
  void notifyTaskFailure(String taskName, Throwable failure);

  /** Records the event in its own transaction and notifies listeners. Store failures are logged, not thrown. */
  void publish(HeldarEvent event);

  /** A publisher that stores events in {@code store} and fans them out to {@code listeners}. */
  static EventPublisher storing(HeldarStore store, List<HeldarListener> listeners) {
    return new StoreEventPublisher(store, listeners);
  }
}
