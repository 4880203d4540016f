package io.heldar.core.metrics;

import io.heldar.core.runtime.TaskHealth;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A point-in-time copy of what a running Heldar has done, from memory ({@code Heldar.metrics()}).
 * Counters count since this process started; gauges are as last seen by the engines.
 *
 * @param at when the copy was taken
 * @param tasks every supervised task's runs, failures and last duration
 * @param cameras per camera, by id
 * @param retention retention's counters
 */
public record HeldarMetrics(
    Instant at,
    List<TaskHealth> tasks,
    Map<String, CameraMetrics> cameras,
    RetentionMetrics retention) {
  /** Validates and freezes. */
  public HeldarMetrics {
    Objects.requireNonNull(at, "at");
    tasks = List.copyOf(tasks);
    cameras = Map.copyOf(cameras);
    Objects.requireNonNull(retention, "retention");
  }

  /** One camera's figures. */
  public Optional<CameraMetrics> camera(String cameraId) {
    return Optional.ofNullable(cameras.get(cameraId));
  }
}
