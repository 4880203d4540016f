/**
 * Shared internals, no compatibility promise: {@link io.heldar.core.internal.StoreClient} (the one
 * implementation of the host's operations), {@link io.heldar.core.internal.Checks} (argument
 * rules), {@link io.heldar.core.internal.Threads} (Heldar's daemon threads).
 */
package io.heldar.core.internal;
