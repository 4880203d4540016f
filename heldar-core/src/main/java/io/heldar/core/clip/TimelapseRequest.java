package io.heldar.core.clip;

import io.heldar.core.model.Camera;
import java.time.Instant;
import java.util.Objects;

/**
 * A time-lapse: the snapshots of one schedule of a camera over {@code [from, to)}, one frame per
 * slot of the schedule's grid, played at {@code fps}.
 *
 * @param cameraId the camera
 * @param scheduleId its snapshot schedule
 * @param from the first slot wanted (the grid's first slot at or after it)
 * @param to the end, exclusive
 * @param fps frames per second of the video, 1 to 60
 */
public record TimelapseRequest(
    String cameraId, long scheduleId, Instant from, Instant to, int fps) {
  /** Frames per second by default. */
  public static final int DEFAULT_FPS = 10;

  /** Checks the fields. */
  public TimelapseRequest {
    Camera.requireValidId(cameraId);
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException(
          "time-lapse end " + to + " is not after its start " + from);
    }
    if (fps < 1 || fps > 60) {
      throw new IllegalArgumentException("fps must be 1..60: " + fps);
    }
  }
}
