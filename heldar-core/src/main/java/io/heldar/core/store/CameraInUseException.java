package io.heldar.core.store;

import java.util.Map;

/**
 * A camera cannot be deleted: rows of it remain that are footage, history or configuration, not
 * derived figures ({@link CameraStore#delete}). Nothing was deleted.
 */
public class CameraInUseException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final String cameraId;
  private final Map<String, Long> remaining;

  /**
   * @param cameraId the camera
   * @param remaining rows left, by table, in a stable order
   */
  public CameraInUseException(String cameraId, Map<String, Long> remaining) {
    super("camera " + cameraId + " cannot be deleted while it has rows in " + describe(remaining)
        + "; nothing was deleted");
    this.cameraId = cameraId;
    this.remaining = Map.copyOf(remaining);
  }

  private static String describe(Map<String, Long> remaining) {
    StringBuilder b = new StringBuilder();
    remaining.forEach((table, n) -> b.append(b.length() == 0 ? "" : ", ")
        .append(table)
        .append(" (")
        .append(n)
        .append(')'));
    return b.toString();
  }

  /** The camera. */
  public String cameraId() {
    return cameraId;
  }

  /** Rows left, by table. */
  public Map<String, Long> remaining() {
    return remaining;
  }
}
