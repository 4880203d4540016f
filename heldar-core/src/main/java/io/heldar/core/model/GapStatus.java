package io.heldar.core.model;

/** Whether a recording gap is still a hole ({@code open}) or late footage covered it ({@code filled}). */
public enum GapStatus {
  /** The hole is there. */
  OPEN("open"),
  /** Late footage covered the hole entirely. */
  FILLED("filled");

  private final String dbValue;

  GapStatus(String dbValue) {
    this.dbValue = dbValue;
  }

  /** The value stored in {@code recording_gaps.status}. */
  public String dbValue() {
    return dbValue;
  }

  /** Parses a stored value. */
  public static GapStatus fromDbValue(String value) {
    for (GapStatus s : values()) {
      if (s.dbValue.equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown gap status: " + value);
  }
}
