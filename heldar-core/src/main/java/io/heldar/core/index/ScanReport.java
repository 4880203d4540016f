package io.heldar.core.index;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one scan of every camera did.
 *
 * @param startedAt when the scan started (injected clock)
 * @param took how long it took (monotonic time)
 * @param cameras one report per camera, in camera id order
 */
public record ScanReport(Instant startedAt, Duration took, List<CameraScanReport> cameras) {
  /** Validates and freezes. */
  public ScanReport {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(took, "took");
    cameras = List.copyOf(cameras);
  }

  /** Segments indexed over all cameras. */
  public int indexed() {
    return cameras.stream().mapToInt(CameraScanReport::indexed).sum();
  }

  /** Cameras whose scan could not run. */
  public List<CameraScanReport> failedCameras() {
    return cameras.stream().filter(c -> !c.succeeded()).toList();
  }
}
