package io.heldar.core.retention;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a sweep would delete, and why; and the cameras it refuses to touch.
 *
 * @param computedAt when
 * @param segments segment files to delete, oldest first per reason
 * @param snapshots snapshot files to delete
 * @param refused cameras whose plan broke a safety check, with the reason (their files are not in
 *     the lists above unless the sweep is forced)
 */
public record RetentionPlan(
    Instant computedAt,
    List<PlannedDeletion> segments,
    List<PlannedDeletion> snapshots,
    Map<String, String> refused) {
  /** Freezes. */
  public RetentionPlan {
    segments = List.copyOf(segments);
    snapshots = List.copyOf(snapshots);
    refused = Map.copyOf(refused);
  }

  /** Bytes the plan frees. */
  public long bytes() {
    return segments.stream().mapToLong(PlannedDeletion::bytes).sum()
        + snapshots.stream().mapToLong(PlannedDeletion::bytes).sum();
  }
}
