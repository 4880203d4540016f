/**
 * Events' implementation, no compatibility promise: {@link
 * io.heldar.core.event.internal.EventCodec} (the one table of payload keys), {@link
 * io.heldar.core.event.internal.StoreEventPublisher} (store, then listeners), {@link
 * io.heldar.core.event.internal.EventPruner} (the engine that deletes old events).
 */
package io.heldar.core.event.internal;
