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
 */
public record RetentionMetrics(
    long sweeps,
    long segmentsDeleted,
    long snapshotsDeleted,
    long bytesFreed,
    long refusals,
    long eventsPruned) {}
