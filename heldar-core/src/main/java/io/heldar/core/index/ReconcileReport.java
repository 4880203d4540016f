package io.heldar.core.index;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one reconciliation of a camera's disk listing with its index rows found, and did.
 *
 * @param cameraId the camera
 * @param indexedRows index rows compared with the disk
 * @param filesOnDisk files of the camera on the disk
 * @param vanished rows whose file is not on the disk
 * @param vanishedExamples the first few of them
 * @param restorable missing rows whose file is back, unchanged
 * @param applied whether the vanished rows were marked missing and the restorable ones restored
 * @param refused why nothing was marked (a mass disappearance, see {@link IndexingOptions#vanishGuard()}), if so
 */
public record ReconcileReport(
    String cameraId,
    long indexedRows,
    long filesOnDisk,
    long vanished,
    List<String> vanishedExamples,
    long restorable,
    boolean applied,
    Optional<String> refused) {

  /** Validates and freezes. */
  public ReconcileReport {
    Objects.requireNonNull(cameraId, "cameraId");
    vanishedExamples = List.copyOf(vanishedExamples);
    Objects.requireNonNull(refused, "refused");
  }

  /** Whether the disk and the index agree (nothing vanished, nothing to restore). */
  public boolean inSync() {
    return vanished == 0 && restorable == 0;
  }
}
