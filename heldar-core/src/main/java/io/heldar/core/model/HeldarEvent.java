package io.heldar.core.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Something notable that happened: stored in the {@code events} table and passed to host
 * listeners.
 *
 * @param cameraId the camera concerned, if any
 * @param kind what happened (see {@link EventKinds})
 * @param severity how much it matters
 * @param payload details; values are strings, numbers, booleans (stored as a JSON object)
 * @param createdAt when it happened
 */
public record HeldarEvent(
    Optional<String> cameraId,
    String kind,
    Severity severity,
    Map<String, Object> payload,
    Instant createdAt) {

  /** Validates every component and freezes the payload (insertion order kept). */
  public HeldarEvent {
    Objects.requireNonNull(cameraId, "cameraId").ifPresent(Camera::requireValidId);
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(createdAt, "createdAt");
    if (!kind.matches("[a-z][a-z0-9_]{0,63}")) {
      throw new IllegalArgumentException("invalid event kind: " + kind);
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    payload.forEach((k, v) -> {
      Objects.requireNonNull(k, "payload key");
      Objects.requireNonNull(v, () -> "payload value for " + k);
      if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
        throw new IllegalArgumentException(
            "payload value for " + k + " must be a string, number or boolean");
      }
      if (v instanceof Double d && !Double.isFinite(d)
          || v instanceof Float f && !Float.isFinite(f)) {
        throw new IllegalArgumentException("payload value for " + k + " must be finite");
      }
      copy.put(k, v);
    });
    payload = Collections.unmodifiableMap(copy);
  }

  /** An event about one camera, from its typed record. */
  public static HeldarEvent of(String cameraId, io.heldar.core.event.TypedEvent event, Instant at) {
    return new HeldarEvent(
        Optional.of(cameraId), event.kind(), event.severity(), event.payload(), at);
  }

  /** An event about no camera in particular, from its typed record. */
  public static HeldarEvent global(io.heldar.core.event.TypedEvent event, Instant at) {
    return new HeldarEvent(Optional.empty(), event.kind(), event.severity(), event.payload(), at);
  }

  /**
   * This event as its typed record ({@link io.heldar.core.event.TypedEvent.Unrecognised} for a kind
   * this version does not know or a payload it cannot read); never throws.
   */
  public io.heldar.core.event.TypedEvent typed() {
    return io.heldar.core.event.TypedEvent.decode(kind, severity, payload);
  }

  /** An event about one camera. */
  public static HeldarEvent of(
      String cameraId, String kind, Severity severity, Map<String, Object> payload, Instant at) {
    return new HeldarEvent(Optional.of(cameraId), kind, severity, payload, at);
  }

  /** An event about no camera in particular. */
  public static HeldarEvent global(
      String kind, Severity severity, Map<String, Object> payload, Instant at) {
    return new HeldarEvent(Optional.empty(), kind, severity, payload, at);
  }
}
