package io.heldar.spring.boot;

import io.heldar.core.Heldar;

/**
 * A bean that changes Heldar's builder after the {@code heldar.*} properties have been applied and
 * before it is built: for what properties do not say (an executor of the host's, a clock, indexing
 * options beyond the common ones). Customizers run in their {@code @Order}.
 */
@FunctionalInterface
public interface HeldarCustomizer {
  /** Changes {@code builder}. */
  void customize(Heldar.Builder builder);
}
