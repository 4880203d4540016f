package io.heldar.core.store;

import io.heldar.core.model.FileVersion;
import io.heldar.core.model.Segment;
import io.heldar.core.model.SegmentMove;
import io.heldar.core.model.SegmentSpan;
import io.heldar.core.model.TimelineBucket;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code segments} table. */
public interface SegmentStore {
  /**
   * Inserts the segments whose path is not indexed yet, in one batch; returns those inserted
   * (duplicates of an indexed path are skipped, never an error).
   */
  List<Segment> insertAll(Collection<Segment> segments);

  /** Looks a segment up by its root-relative path. */
  Optional<Segment> findByPath(String path);

  /**
   * The stored size and modification time of those of {@code paths} that are indexed, so a scan
   * can tell a file that changed after it was indexed. The default looks each path up.
   */
  default Map<String, FileVersion> versionsAmong(Collection<String> paths) {
    Map<String, FileVersion> found = new HashMap<>();
    for (String p : paths) {
      findByPath(p).ifPresent(s -> found.put(p, new FileVersion(s.sizeBytes(), s.fileModified())));
    }
    return found;
  }

  /**
   * The spans of a camera's segments with {@code start <= to} and {@code end >= from} (touching the
   * closed range), ordered by start then path: what gap detection reads.
   */
  List<SegmentSpan> touching(String cameraId, Instant from, Instant to);

  /** The latest segment end at or before {@code t}. */
  Optional<Instant> latestEndAtOrBefore(String cameraId, Instant t);

  /** The earliest segment start at or after {@code t}. */
  Optional<Instant> earliestStartAtOrAfter(String cameraId, Instant t);

  /** Number of indexed segments of a camera. */
  long count(String cameraId);

  /**
   * A page of a camera's segments overlapping {@code [from, to)} ({@code start < to} and {@code end >
   * from}), ordered by start then path, after {@code after} (exclusive) when given.
   */
  List<Segment> overlapping(
      String cameraId, Instant from, Instant to, int limit, Optional<Segment> after);

  /**
   * {@link #overlapping} reading only what a timeline page shows: the same segments in the same
   * order, as {@link SegmentSpan}s, after {@code after} (by start then path, exclusive).
   */
  List<SegmentSpan> spans(
      String cameraId, Instant from, Instant to, int limit, Optional<SegmentSpan> after);

  /**
   * A page of segments, oldest first (by start then path), after {@code after} when given; of one
   * camera, or of every camera when {@code cameraId} is empty. Rows marked for deletion are left out.
   */
  List<Segment> oldestFirst(Optional<String> cameraId, int limit, Optional<Segment> after);

  /**
   * {@link #oldestFirst} reading only what retention planning needs: the same rows in the same
   * order (rows marked for deletion left out), as {@link RetentionCandidate}s, after {@code after}
   * (by start then path, exclusive).
   */
  List<RetentionCandidate> oldestCandidates(
      Optional<String> cameraId, int limit, Optional<RetentionCandidate> after);

  /** A camera's segment with the latest start. */
  Optional<Segment> newest(String cameraId);

  /** The 15-minute roll-ups of a camera with {@code from <= start < to}, in order (empty buckets left out). */
  List<TimelineBucket> buckets(String cameraId, Instant from, Instant to);

  /**
   * A page of a camera's segments on one tier (empty: the recordings root), oldest first (by start
   * then path), after {@code after} when given; rows marked for deletion or being moved are left
   * out. What tier moves read.
   */
  List<Segment> oldestOnTier(
      String cameraId, Optional<String> tier, int limit, Optional<Segment> after);

  /**
   * A camera's bytes per tier, as indexed (key: the tier, empty for the recordings root); tiers
   * holding nothing are left out.
   */
  Map<Optional<String>, Long> bytesByTier(String cameraId);

  /**
   * Records that the files of {@code paths} are being moved to {@code targetTier} (a move's first
   * step, before the copy). Rows marked for deletion, being moved already, or on the target tier
   * already are left alone; returns the paths marked.
   */
  List<String> markMoving(Collection<String> paths, String targetTier);

  /** Moves under way (rows with a target), at most {@code limit}. */
  List<SegmentMove> moving(int limit);

  /**
   * Changes the location of the rows of {@code paths} that live on {@code from} and are being moved
   * to {@code to}, and returns how many changed: a move's commit, after the copy was renamed into
   * place. The rows keep their target until {@link #finishMoving}.
   */
  int relocate(Collection<String> paths, Optional<String> from, String to);

  /** Forgets the target of the rows of {@code paths}: their move finished or was abandoned. */
  void finishMoving(Collection<String> paths);

  /**
   * Marks rows for deletion (retention's first step); returns how many were marked. Rows being
   * moved to another tier are left unmarked (the next sweep finds them where the move left them).
   */
  int markDeletePending(Collection<String> paths);

  /** Takes the deletion mark off rows whose file could not be removed. */
  void clearDeletePending(Collection<String> paths);

  /** Rows marked for deletion, at most {@code limit}. */
  List<Segment> deletePending(int limit);

  /**
   * The paths of a camera's rows marked for deletion: retention is deleting their files, so a
   * reconciliation that finds them gone counts them neither as vanished nor as lost.
   */
  java.util.Set<String> deletePendingPaths(String cameraId);

  /** Deletes rows (and takes them out of the roll-ups); returns how many were deleted. */
  int delete(Collection<String> paths);

  /**
   * A page of a camera's indexed paths in the recordings root (not moved to another tier) with
   * their stored versions, in path order, after {@code afterPath} (exclusive; empty: from the
   * first), at most {@code limit}: reconciliation merges them with the sorted disk listing.
   */
  List<Map.Entry<String, FileVersion>> versionsInPathOrder(
      String cameraId, Optional<String> afterPath, int limit);

  /**
   * Moves the rows of {@code paths} from {@code segments} to {@code missing_segments} (their files
   * vanished), with {@code since}; returns the segments moved. Timeline roll-ups lose them.
   */
  List<Segment> moveToMissing(Collection<String> paths, Instant since);

  /** A camera's missing segments, oldest first, at most {@code limit}. */
  List<Segment> missing(String cameraId, int limit);

  /** How many of a camera's segments are missing. */
  long countMissing(String cameraId);

  /** Forgets missing rows (a file came back changed and is indexed anew, or the row is obsolete). */
  int forgetMissing(Collection<String> paths);
}
