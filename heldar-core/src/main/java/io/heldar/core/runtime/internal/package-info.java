/**
 * The runtime's implementation, no compatibility promise: {@link
 * io.heldar.core.runtime.internal.SupervisingRuntime} runs engines and host tasks, on threads or by
 * hand.
 */
package io.heldar.core.runtime.internal;
