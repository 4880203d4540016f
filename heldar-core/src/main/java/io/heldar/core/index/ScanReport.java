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
 * @param outsideCameras files and directories under the root that belong to no camera (not under a
 *     camera, names that do not match, directories that are not cameras, unregistered or
 *     conflicting cameras), by bucket with examples
 * @param conflicts camera names that map to an id another camera has: errors, their files not indexed
 */
public record ScanReport(
    Instant startedAt,
    Duration took,
    List<CameraScanReport> cameras,
    FileTally outsideCameras,
    List<CameraIdConflict> conflicts) {

  /**
   * Recorder camera names that map to one camera id ({@link CameraNames}): none of the newcomers is
   * registered until the conflict is resolved (register one under an id of your choice).
   *
   * @param cameraId the id they map to
   * @param recorderNames the names, the registered one (if any) first
   */
  public record CameraIdConflict(String cameraId, List<String> recorderNames) {
    /** Freezes. */
    public CameraIdConflict {
      Objects.requireNonNull(cameraId, "cameraId");
      recorderNames = List.copyOf(recorderNames);
    }

    /** One line naming both. */
    public String describe() {
      return "recorder cameras "
          + String.join(" and ", recorderNames.stream().map(n -> "'" + n + "'").toList())
          + " both map to camera id '" + cameraId + "'";
    }
  }

  /** Validates and freezes. */
  public ScanReport {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(took, "took");
    cameras = List.copyOf(cameras);
    Objects.requireNonNull(outsideCameras, "outsideCameras");
    conflicts = List.copyOf(conflicts);
  }

  /** A report with nothing outside the cameras. */
  public ScanReport(Instant startedAt, Duration took, List<CameraScanReport> cameras) {
    this(startedAt, took, cameras, FileTally.EMPTY, List.of());
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
