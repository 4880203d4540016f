package io.heldar.core.store;

import io.heldar.core.model.CameraStats;
import io.heldar.core.model.Segment;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code camera_stats} table. */
public interface CameraStatsStore {
  /** Number of most recent segments the bit rate and fps averages are taken over. */
  int RECENT_SEGMENTS = 100;

  /**
   * Recomputes a camera's statistics from its segments (last end, and averages over the {@link
   * #RECENT_SEGMENTS} most recent), stores and returns them.
   */
  CameraStats refresh(String cameraId, Instant now);

  /**
   * Adds newly indexed segments to a camera's statistics without rescanning its older segments
   * (counts, bytes and last end incrementally; averages over the {@link
   * #RECENT_SEGMENTS} most recent through the index), stores and returns them.
   */
  CameraStats addIndexed(String cameraId, List<Segment> added, Instant now);

  /** A camera's statistics, if computed. */
  Optional<CameraStats> find(String cameraId);
}
