package io.heldar.core.timeline;

import io.heldar.core.model.RecordingGap;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a camera has in a range: runs of contiguous footage and the recorded gaps between them.
 *
 * @param cameraId the camera
 * @param from range start
 * @param to range end (exclusive)
 * @param runs merged footage (segments closer than the tolerance join one run), clipped to the range
 * @param gaps open gaps overlapping the range, with their causes, not clipped
 */
public record Coverage(
    String cameraId, Instant from, Instant to, List<Run> runs, List<RecordingGap> gaps) {
  /** Freezes. */
  public Coverage {
    Objects.requireNonNull(cameraId, "cameraId");
    runs = List.copyOf(runs);
    gaps = List.copyOf(gaps);
  }

  /** Footage inside the range. */
  public Duration recorded() {
    return runs.stream().map(Run::length).reduce(Duration.ZERO, Duration::plus);
  }

  /**
   * A run of contiguous footage.
   *
   * @param start start
   * @param end end
   * @param segments segments in it
   */
  public record Run(Instant start, Instant end, int segments) {
    /** {@code end - start}. */
    public Duration length() {
      return Duration.between(start, end);
    }
  }
}
