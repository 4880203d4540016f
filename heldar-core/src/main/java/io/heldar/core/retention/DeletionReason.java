package io.heldar.core.retention;

/** Why retention plans to delete something. */
public enum DeletionReason {
  /** Older than the maximum age. */
  AGE,
  /** The camera is over its byte budget; oldest first. */
  BYTES,
  /** The recordings file system is under its free-space floor; oldest first across cameras. */
  FREE_SPACE,
  /** A snapshot older than the snapshot maximum age. */
  SNAPSHOT_AGE
}
