package io.heldar.spring.boot;

import io.heldar.core.Heldar;
import io.heldar.http.HealthReport;
import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Heldar in the actuator's health, by the same rule as {@code /health} of its HTTP API ({@link
 * HealthReport}): down when a supervised task failed three times in a row or the database does not
 * answer; stale or failing cameras are named in the details (warnings) but do not make it down.
 */
public final class HeldarHealthIndicator implements HealthIndicator {
  private final Heldar heldar;

  /** The health of {@code heldar}. */
  public HeldarHealthIndicator(Heldar heldar) {
    this.heldar = Objects.requireNonNull(heldar, "heldar");
  }

  @Override
  public Health health() {
    HealthReport report = HealthReport.of(heldar, HealthReport.DEFAULT_MAX_WARNINGS);
    return (report.healthy() ? Health.up() : Health.down())
        .withDetails(report.toJson())
        .build();
  }
}
