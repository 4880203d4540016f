package io.heldar.core.event.internal;

import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.HeldarListener;
import io.heldar.core.store.HeldarStore;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stores events and fans them out to listeners, isolating listener failures. */
public final class StoreEventPublisher implements EventPublisher {
  private static final Logger log = LoggerFactory.getLogger(StoreEventPublisher.class);
  private final HeldarStore store;
  private final List<HeldarListener> listeners;

  /** Creates a publisher. */
  public StoreEventPublisher(HeldarStore store, List<HeldarListener> listeners) {
    this.store = Objects.requireNonNull(store, "store");
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void record(HeldarEvent event) {
    store.events().append(event);
  }

  @Override
  public void notifyListeners(List<HeldarEvent> events) {
    for (HeldarEvent event : events) {
      for (HeldarListener listener : listeners) {
        try {
          listener.onEvent(event);
        } catch (RuntimeException | LinkageError e) {
          log.warn("listener {} failed on event {}", listener, event.kind(), e);
        }
      }
    }
  }

  @Override
  public void notifyTaskFailure(String taskName, Throwable failure) {
    for (HeldarListener listener : listeners) {
      try {
        listener.onTaskFailure(taskName, failure);
      } catch (RuntimeException | LinkageError e) {
        log.warn("listener {} failed on task failure of {}", listener, taskName, e);
      }
    }
  }

  @Override
  public void publish(HeldarEvent event) {
    try {
      record(event);
    } catch (RuntimeException e) {
      log.error("could not store event {} {}", event.kind(), event.payload(), e);
    }
    notifyListeners(List.of(event));
  }
}
