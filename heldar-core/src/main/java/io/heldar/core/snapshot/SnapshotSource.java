package io.heldar.core.snapshot;

import io.heldar.core.model.Camera;
import java.time.Duration;

/**
 * Grabs one JPEG from a camera. Implementations are thread-safe, give up after {@code timeout}
 * (killing whatever they started), and bound the bytes they accept. The scheduler checks that the
 * result is a complete JPEG.
 */
@FunctionalInterface
public interface SnapshotSource {
  /**
   * Captures one frame of {@code camera} as JPEG bytes.
   *
   * @throws SnapshotCaptureException when it cannot, within {@code timeout}
   */
  byte[] capture(Camera camera, Duration timeout) throws SnapshotCaptureException;
}
