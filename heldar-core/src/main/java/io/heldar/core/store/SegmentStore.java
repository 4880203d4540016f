package io.heldar.core.store;

import io.heldar.core.model.Segment;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code segments} table. */
public interface SegmentStore {
  /**
   * Inserts the segments whose path is not indexed yet, in one batch; returns those inserted
   * (duplicates of an indexed path are skipped, never an error).
   */
  List<Segment> insertAll(Collection<Segment> segments);

  /** Looks a segment up by its root-relative path. */
  Optional<Segment> findByPath(String path);

  /** Every indexed path of a camera. */
  Set<String> pathsOf(String cameraId);

  /** Which of {@code paths} are indexed: a few batched queries, not one per path. */
  Set<String> indexedAmong(Collection<String> paths);

  /**
   * Segments of a camera with {@code start <= to} and {@code end >= from} (touching the closed
   * range), ordered by start then path.
   */
  List<Segment> touching(String cameraId, Instant from, Instant to);

  /** The latest segment end at or before {@code t}. */
  Optional<Instant> latestEndAtOrBefore(String cameraId, Instant t);

  /** The earliest segment start at or after {@code t}. */
  Optional<Instant> earliestStartAtOrAfter(String cameraId, Instant t);

  /** Number of indexed segments of a camera. */
  long count(String cameraId);
}
