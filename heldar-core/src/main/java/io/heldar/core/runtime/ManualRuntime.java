package io.heldar.core.runtime;

import java.time.Duration;
import java.util.List;

/**
 * A {@link HeldarRuntime} without threads, for tests (db-scheduler's {@code ManualScheduler} is the
 * model): nothing runs until the test says so, and then on the test's own thread, so a test steps an
 * engine with its clock and never sleeps. Every tick is supervised as on the threaded runtime: a
 * failure is counted in {@link #health()}, raised as a {@code task_failed} event and answered with
 * the backoff delay.
 *
 * <pre>{@code
 * Heldar heldar = Heldar.builder().store(store).clock(clock).manualRuntime()...build();
 * ManualRuntime runtime = heldar.manualRuntime();  // or HeldarRuntime.builder().buildManual()
 * heldar.start();                      // engines start; nothing ticks
 * runtime.tick("segment-indexer");     // one scan, here and now
 * clock.advance(Duration.ofSeconds(10));
 * runtime.tickDue();                   // every task whose delay has passed on the clock
 * }</pre>
 */
public interface ManualRuntime extends HeldarRuntime {

  /**
   * Runs task {@code name} once, now, on this thread; returns the delay after which it asks to run
   * again (after a failure: the backoff).
   *
   * @throws IllegalArgumentException when no task has that name
   * @throws IllegalStateException unless the runtime is started and not stopped
   */
  Duration tick(String name);

  /**
   * Runs, once each and in the order they were registered, the tasks whose next tick is due on the
   * runtime's clock (every task is due at start, after its initial delay); returns their names.
   *
   * @throws IllegalStateException unless the runtime is started and not stopped
   */
  List<String> tickDue();
}
