package io.heldar.core.metrics;

/**
 * Retention's counters since this process started.
 *
 * @param sweeps sweeps run
 * @param segmentsDeleted segment files deleted
 * @param snapshotsDeleted snapshot files deleted
 * @param bytesFreed bytes they held
 * @param refusals cameras a sweep refused to touch (it would have deleted too much)
 * @param eventsPruned events deleted for their age
 * @param segmentsMoved segments moved to the next storage tier
 * @param bytesMoved bytes they held
 * @param moveFailures moves that failed (the segment stayed where it was)
 * @param unavailableTiers the storage tiers the last round of moves could not use, with why
 */
public record RetentionMetrics(
    long sweeps,
    long segmentsDeleted,
    long snapshotsDeleted,
    long bytesFreed,
    long refusals,
    long eventsPruned,
    long segmentsMoved,
    long bytesMoved,
    long moveFailures,
    java.util.Map<String, String> unavailableTiers) {
  /** Freezes. */
  public RetentionMetrics {
    unavailableTiers = java.util.Map.copyOf(unavailableTiers);
  }
}
