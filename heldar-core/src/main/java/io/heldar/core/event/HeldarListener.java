package io.heldar.core.event;

/**
 * A host's callback for what Heldar does. Every method has a no-op default, so a host overrides
 * only what it needs. Callbacks run on Heldar's worker threads after the event is stored: keep
 * them short, hand long work to your own executor. An exception thrown by a listener is logged
 * and otherwise ignored.
 */
public interface HeldarListener {
  /** Called for every event after it is stored. */
  default void onEvent(HeldarEvent event) {}

  /** Called when a supervised task's tick throws; the task runs again at its next tick. */
  default void onTaskFailure(String taskName, Throwable failure) {}
}
