package io.heldar.core.clip;

import io.heldar.core.model.Camera;
import java.time.Instant;
import java.util.Objects;

/**
 * What footage to cut: a camera, the range {@code [from, to)}, what to do at gaps and the
 * container.
 *
 * @param cameraId the camera
 * @param from the first instant wanted; the clip starts at the sync sample at or before it
 * @param to the end of the range, exclusive
 * @param gaps what to do where the range has no footage
 * @param format the container
 */
public record ClipRequest(
    String cameraId, Instant from, Instant to, GapPolicy gaps, ClipFormat format) {
  /** The gap policy {@link #of} uses. */
  public static final GapPolicy DEFAULT_GAPS = GapPolicy.SKIP;
  /** The container {@link #of} uses. */
  public static final ClipFormat DEFAULT_FORMAT = ClipFormat.MP4;

  /** Checks the range and the camera id. */
  public ClipRequest {
    Camera.requireValidId(cameraId);
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(gaps, "gaps");
    Objects.requireNonNull(format, "format");
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("clip end " + to + " is not after its start " + from);
    }
  }

  /** {@code [from, to)} of {@code cameraId}, gaps skipped, as progressive MP4. */
  public static ClipRequest of(String cameraId, Instant from, Instant to) {
    return new ClipRequest(cameraId, from, to, DEFAULT_GAPS, DEFAULT_FORMAT);
  }

  /** This request with another gap policy. */
  public ClipRequest withGaps(GapPolicy policy) {
    return new ClipRequest(cameraId, from, to, policy, format);
  }

  /** This request in another container. */
  public ClipRequest withFormat(ClipFormat container) {
    return new ClipRequest(cameraId, from, to, gaps, container);
  }
}
