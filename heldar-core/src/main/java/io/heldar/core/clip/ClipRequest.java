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
 * @param sourceHashes whether each source segment is hashed (SHA-256) for the report: what a
 *     manifest needs; it reads every source file whole once more
 */
public record ClipRequest(
    String cameraId,
    Instant from,
    Instant to,
    GapPolicy gaps,
    ClipFormat format,
    boolean sourceHashes) {
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

  /** {@code [from, to)} of {@code cameraId}, gaps skipped, as progressive MP4, sources not hashed. */
  public static ClipRequest of(String cameraId, Instant from, Instant to) {
    return new ClipRequest(cameraId, from, to, DEFAULT_GAPS, DEFAULT_FORMAT, false);
  }

  /** This request with another gap policy. */
  public ClipRequest withGaps(GapPolicy policy) {
    return new ClipRequest(cameraId, from, to, policy, format, sourceHashes);
  }

  /** This request in another container. */
  public ClipRequest withFormat(ClipFormat container) {
    return new ClipRequest(cameraId, from, to, gaps, container, sourceHashes);
  }

  /** This request with each source segment hashed, for a manifest. */
  public ClipRequest withSourceHashes() {
    return new ClipRequest(cameraId, from, to, gaps, format, true);
  }
}
