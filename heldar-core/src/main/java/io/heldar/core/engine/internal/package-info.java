/**
 * The engine contract, no compatibility promise: {@link io.heldar.core.engine.internal.Engine} (start
 * → tick → stop(deadline)), the {@link io.heldar.core.engine.internal.EngineContext} every engine is
 * built from, and the {@link io.heldar.core.engine.internal.Cadence} the runtime ticks it at. Start
 * here to add an engine; {@code io.heldar.core.runtime.internal.SupervisingRuntime} runs them.
 */
package io.heldar.core.engine.internal;
