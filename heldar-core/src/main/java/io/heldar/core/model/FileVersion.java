package io.heldar.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What identifies one version of a file: its size and its modification time (millisecond
 * precision, as the index stores it). A file whose version changes after it was indexed is probed
 * again.
 *
 * @param sizeBytes size in bytes
 * @param modified modification time
 */
public record FileVersion(long sizeBytes, Instant modified) {
  /** Validates. */
  public FileVersion {
    Objects.requireNonNull(modified, "modified");
  }
}
