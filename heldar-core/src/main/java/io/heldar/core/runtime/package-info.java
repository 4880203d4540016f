/**
 * Scheduling, supervision and health of Heldar's periodic work: {@link
 * io.heldar.core.runtime.HeldarRuntime} (configured by {@link io.heldar.core.runtime.RuntimeOptions},
 * health in {@link io.heldar.core.runtime.TaskHealth}); {@link io.heldar.core.runtime.ManualRuntime}
 * for tests; {@link io.heldar.core.runtime.Deadline} and {@link
 * io.heldar.core.runtime.ExecutorShutdown} for stopping within one deadline; {@link
 * io.heldar.core.runtime.Ticker} for monotonic time.
 */
package io.heldar.core.runtime;
