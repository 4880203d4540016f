package io.heldar.core.model;

/** The event kinds Heldar raises (the {@code events.kind} column). */
public final class EventKinds {
  private EventKinds() {}

  /** A hole longer than the gap threshold opened in a camera's recording. */
  public static final String RECORDING_GAP = "recording_gap";
  /** Late footage covered an open gap entirely. */
  public static final String RECORDING_GAP_FILLED = "recording_gap_filled";
  /** A segment file could not be probed (corrupt, empty, truncated, bogus duration). */
  public static final String SEGMENT_UNREADABLE = "segment_unreadable";
  /** A segment starts before the previous one ends, by more than the tolerance. */
  public static final String SEGMENT_OVERLAP = "segment_overlap";
  /** An indexed file changed (size or modification time) and its row was replaced by a new probe. */
  public static final String SEGMENT_CHANGED = "segment_changed";
  /** A camera's directory could not be scanned. */
  public static final String CAMERA_SCAN_FAILED = "camera_scan_failed";
  /** An indexed segment's file vanished from the disk; its row moved to {@code missing_segments}, its hole is a {@code lost} gap. */
  public static final String SEGMENT_MISSING = "segment_missing";
  /** A missing segment's file came back unchanged; its row is restored. */
  public static final String SEGMENT_RESTORED = "segment_restored";
  /** Files of a camera seem gone at once (its directory, a mount, a large share): nothing was marked. */
  public static final String STORAGE_UNAVAILABLE = "storage_unavailable";
  /** The indexer found a camera in the recorder's layout and registered it (id, recorder name). */
  public static final String CAMERA_REGISTERED = "camera_registered";
  /** Recorder camera names that map to one camera id: the newcomers' files are not indexed. */
  public static final String CAMERA_ID_CONFLICT = "camera_id_conflict";
  /** A directory (or the camera part of a path) whose name cannot be a camera; payload: {@code recorder_name}, {@code reason}. */
  public static final String CAMERA_NAME_REJECTED = "camera_name_rejected";
  /** A snapshot capture failed. */
  public static final String SNAPSHOT_FAILED = "snapshot_failed";
  /** Snapshot rows whose file is gone (found at start-up). */
  public static final String SNAPSHOT_FILE_MISSING = "snapshot_file_missing";
  /** A retention sweep refused to touch a camera (it would delete too much); nothing of it was deleted. */
  public static final String RETENTION_REFUSED = "retention_refused";

  /**
   * The storage forecast says a camera's retention guarantee (its age limit) will break: the file
   * system fills first ({@link io.heldar.core.retention.StorageForecast}).
   */
  public static final String RETENTION_GUARANTEE_AT_RISK = "retention_guarantee_at_risk";
  /** Footage fetched from a camera's own storage was written into a gap, to be indexed. */
  public static final String GAP_HEALED = "gap_healed";
  /**
   * A range of a gap could not be healed from the camera's own storage: {@code
   * edge_has_no_footage}, {@code edge_unreachable} or {@code edge_footage_rejected}, with the try and
   * whether it is given up.
   */
  public static final String GAP_HEAL_FAILED = "gap_heal_failed";
  /** A segment's file could not be moved to the next storage tier; it stays where it was. */
  public static final String TIER_MOVE_FAILED = "tier_move_failed";
  /**
   * A storage tier cannot be used (root missing, unmounted, not writable): moves to and from it wait
   * and nothing on it is marked lost; raised once until it is back.
   */
  public static final String STORAGE_TIER_UNAVAILABLE = "storage_tier_unavailable";
  /** A storage tier that was unavailable can be used again. */
  public static final String STORAGE_TIER_AVAILABLE = "storage_tier_available";
  /** A file retention meant to delete could not be deleted; its row was kept. */
  public static final String RETENTION_FAILED = "retention_failed";
  /** A periodic task threw; it runs again at its next tick. */
  public static final String TASK_FAILED = "task_failed";
  /** Slots of a snapshot schedule passed without a capture (count, cause: misfire, busy, failover). */
  public static final String SNAPSHOT_MISSED = "snapshot_missed";
  /** Cluster mode: this node took a camera's lease (duty, node, epoch). */
  public static final String LEASE_ACQUIRED = "lease_acquired";
  /** Cluster mode: a node lost a camera's lease, or a write of it was rejected by the fence. */
  public static final String LEASE_LOST = "lease_lost";
  /** Cluster mode: a node's clock is off the database's by more than a quarter of the lease. */
  public static final String CLOCK_SKEW = "clock_skew";
  /** Cluster mode: a camera's storage node is down; a {@code node_down} gap is open. */
  public static final String STORAGE_NODE_DOWN = "storage_node_down";
  /** Cluster mode: a camera's storage node is back and its index caught up; the {@code node_down} gap closed. */
  public static final String STORAGE_NODE_CAUGHT_UP = "storage_node_caught_up";
}
