package io.heldar.core.event;

import io.heldar.core.event.internal.EventCodec;
import io.heldar.core.model.Camera;
import io.heldar.core.model.Severity;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Something notable that happened: stored in the {@code events} table and passed to host
 * listeners. What travels is the typed record ({@link #event()}); its kind, severity and stored
 * payload are derived from it. An event read from the store whose kind this version does not know,
 * or whose payload its record cannot hold exactly, carries a {@link TypedEvent.Unrecognised} that
 * keeps it as stored.
 *
 * @param cameraId the camera concerned, if any
 * @param event what happened, as its typed record
 * @param createdAt when it happened
 */
public record HeldarEvent(Optional<String> cameraId, TypedEvent event, Instant createdAt) {

  /** Validates every component. */
  public HeldarEvent {
    Objects.requireNonNull(cameraId, "cameraId").ifPresent(Camera::requireValidId);
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** An event about one camera. */
  public static HeldarEvent of(String cameraId, TypedEvent event, Instant at) {
    return new HeldarEvent(Optional.of(cameraId), event, at);
  }

  /** An event about no camera in particular. */
  public static HeldarEvent global(TypedEvent event, Instant at) {
    return new HeldarEvent(Optional.empty(), event, at);
  }

  /**
   * An event as stored (or written by another tool): its kind, severity and payload decoded into
   * the typed record when the record holds exactly that payload, else kept as {@link
   * TypedEvent.Unrecognised} so nothing is lost (a row with keys a later version added: read it
   * leniently with {@link TypedEvent#decode}).
   *
   * @throws IllegalArgumentException when the kind is not {@code [a-z][a-z0-9_]{0,63}} or a payload
   *     value is not a string, a finite number or a boolean
   */
  public static HeldarEvent stored(
      Optional<String> cameraId,
      String kind,
      Severity severity,
      Map<String, Object> payload,
      Instant at) {
    return new HeldarEvent(cameraId, EventCodec.decodeExactly(kind, severity, payload), at);
  }

  /** {@link #stored} about one camera. */
  public static HeldarEvent of(
      String cameraId, String kind, Severity severity, Map<String, Object> payload, Instant at) {
    return stored(Optional.of(cameraId), kind, severity, payload, at);
  }

  /** {@link #stored} about no camera in particular. */
  public static HeldarEvent global(
      String kind, Severity severity, Map<String, Object> payload, Instant at) {
    return stored(Optional.empty(), kind, severity, payload, at);
  }

  /** What happened: the {@code events.kind} value (see {@link io.heldar.core.model.EventKinds}). */
  public String kind() {
    return event.kind();
  }

  /** How much it matters. */
  public Severity severity() {
    return event.severity();
  }

  /** Details, as stored: a flat JSON object of strings, numbers and booleans, in key order. */
  public Map<String, Object> payload() {
    return event.payload();
  }

  /** The typed record: the same as {@link #event()}, to pattern-match on. */
  public TypedEvent typed() {
    return event;
  }
}
