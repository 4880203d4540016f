package io.heldar.core.engine.internal;

import io.heldar.core.runtime.Deadline;
import java.time.Duration;

/**
 * One of Heldar's engines (the segment indexer, the snapshot scheduler, retention, event pruning,
 * the cluster's lease keeper): built once from the {@link EngineContext} and its own options record,
 * then run by the runtime, which supervises every engine the same way.
 *
 * <p>Lifecycle: {@link #start()} once, on the thread that starts Heldar; then {@link #tick()} on a
 * runtime thread, again and again, never two at once, each after the delay the previous one asked
 * for (bounded by the engine's {@link Cadence}; after a failure, backed off); and after the last
 * tick has ended, {@link #stop(Deadline)} once, within the one stop deadline. A tick that throws is
 * logged, counted, raised as a {@code task_failed} event and run again; it never ends the engine.
 *
 * <p>Adding an engine means writing a class that implements this, and one line in {@code
 * Heldar} that creates it from the context and its options when it is configured.
 */
public interface Engine {
  /** A tick's answer when the engine runs at its cadence's fixed pace. */
  Duration AT_PACE = Duration.ZERO;

  /** The name its task runs under: in health, metrics and {@code task_failed} events. */
  String name();

  /** Called once before the first tick (on the starting thread: start threads, never block). */
  default void start() {}

  /**
   * One round of work. Returns how long until the engine has work again; the runtime clamps it into
   * the cadence's bounds ({@link #AT_PACE} for an engine with a fixed period).
   */
  Duration tick();

  /**
   * Called once after the last tick ended (or was abandoned at the deadline): finish what must be
   * finished and release what the engine holds, returning by {@code deadline}. What is still
   * running then is abandoned in a state the next start recovers from.
   */
  default void stop(Deadline deadline) {}
}
