package io.heldar.core.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** An ordered, unmodifiable event payload under construction (the writing side of the codec). */
final class PayloadBuilder {
  private final Map<String, Object> map = new LinkedHashMap<>();

  PayloadBuilder put(String key, Object value) {
    map.put(key, Objects.requireNonNull(value, key));
    return this;
  }

  Map<String, Object> map() {
    return Collections.unmodifiableMap(map);
  }
}
