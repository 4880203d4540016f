/**
 * Events: {@link io.heldar.core.event.HeldarEvent} (what happened, as a {@link
 * io.heldar.core.event.TypedEvent} record, with its camera and time) is what the engines raise and
 * listeners receive; {@link io.heldar.core.event.HeldarListener} is the host's callback; {@link
 * io.heldar.core.event.EventPublisher} stores then notifies; {@link
 * io.heldar.core.event.EventPayloads} is the JSON codec of stored payloads.
 */
package io.heldar.core.event;
