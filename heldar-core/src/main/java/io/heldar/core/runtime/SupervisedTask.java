package io.heldar.core.runtime;

/** A periodic task registered on a {@link HeldarRuntime}. */
public interface SupervisedTask {
  /** The task's unique name. */
  String name();

  /** Its current health. */
  TaskHealth health();

  /** Stops scheduling further ticks; a running tick finishes. Idempotent. */
  void cancel();
}
