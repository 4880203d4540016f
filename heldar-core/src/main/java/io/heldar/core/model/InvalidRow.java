package io.heldar.core.model;

import java.util.Objects;

/**
 * A row of the index that does not make a valid value (edited by hand, written by another tool):
 * stores skip it instead of failing the whole query, and remember it here so the engines can say so.
 *
 * @param table the table ({@code segments}, {@code snapshots})
 * @param path the row's {@code path} column as stored (may be anything), or empty
 * @param cameraId the row's {@code camera_id} column as stored, or empty
 * @param reason why it is not valid
 */
public record InvalidRow(String table, String path, String cameraId, String reason) {
  /** Validates. */
  public InvalidRow {
    Objects.requireNonNull(table, "table");
    path = path == null ? "" : path;
    cameraId = cameraId == null ? "" : cameraId;
    Objects.requireNonNull(reason, "reason");
  }
}
