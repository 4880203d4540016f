package io.heldar.core.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Typed reads of a stored event payload (the reading side of the codec): each throws an unchecked
 * exception on a missing key or a wrong type, which {@link TypedEvent#decode} turns into {@link
 * TypedEvent.Unrecognised}.
 */
final class PayloadReader {
  private final Map<String, Object> payload;

  PayloadReader(Map<String, Object> payload) {
    this.payload = payload;
  }

  private Object get(String key) {
    return Objects.requireNonNull(payload.get(key), key);
  }

  String str(String key) {
    return (String) get(key);
  }

  long num(String key) {
    Object v = get(key);
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    throw new IllegalArgumentException(key + " is not an integer");
  }

  double dbl(String key) {
    return ((Number) get(key)).doubleValue();
  }

  boolean bool(String key) {
    return (Boolean) get(key);
  }

  Instant instant(String key) {
    return Instant.parse(str(key));
  }

  Optional<Instant> optInstant(String key) {
    return payload.containsKey(key) ? Optional.of(instant(key)) : Optional.empty();
  }

  OptionalLong optNum(String key) {
    return payload.containsKey(key) ? OptionalLong.of(num(key)) : OptionalLong.empty();
  }

  Optional<String> optStr(String key) {
    return payload.containsKey(key) ? Optional.of(str(key)) : Optional.empty();
  }
}
