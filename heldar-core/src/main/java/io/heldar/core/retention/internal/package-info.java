/**
 * Retention's implementation, no compatibility promise: {@link
 * io.heldar.core.retention.internal.PlanningSweeper} is the engine: plan, check, mark, unlink by
 * directory handles, remove.
 */
package io.heldar.core.retention.internal;
