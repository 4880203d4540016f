package io.heldar.core.retention;

/**
 * What a sweep did.
 *
 * @param plan the plan it carried out (or, for a dry run, would have)
 * @param segmentsDeleted segment rows and files removed
 * @param snapshotsDeleted snapshot rows and files removed
 * @param bytesFreed bytes of the files removed
 * @param finishedFromEarlier deletions an interrupted earlier sweep had marked and this one finished
 * @param dryRun whether nothing was deleted on purpose
 */
public record SweepReport(
    RetentionPlan plan,
    int segmentsDeleted,
    int snapshotsDeleted,
    long bytesFreed,
    int finishedFromEarlier,
    boolean dryRun) {}
