package io.heldar.core.model;

/** Why a recording gap exists. */
public enum GapCause {
  /** Footage never arrived (a recording failure). */
  MISSING("missing"),
  /** Retention deleted the footage on purpose. */
  RETENTION("retention"),
  /** The footage was recorded and indexed, then its files vanished from the disk. */
  LOST("lost"),
  /**
   * Cluster mode (PostgreSQL only): the camera is pinned to the node holding its storage and that
   * node is down, so nothing after {@code start} can be indexed. The footage is unreachable, not
   * necessarily lost; the gap is closed (marked filled) once the node's index has caught up, and
   * the holes really left in that stretch become {@link #MISSING} gaps. At most one such gap per
   * camera is open.
   */
  NODE_DOWN("node_down");

  private final String dbValue;

  GapCause(String dbValue) {
    this.dbValue = dbValue;
  }

  /** The value stored in {@code recording_gaps.cause}. */
  public String dbValue() {
    return dbValue;
  }

  /** Parses a stored value. */
  public static GapCause fromDbValue(String value) {
    for (GapCause c : values()) {
      if (c.dbValue.equals(value)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown gap cause: " + value);
  }
}
