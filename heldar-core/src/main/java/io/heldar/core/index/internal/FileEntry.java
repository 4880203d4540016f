package io.heldar.core.index.internal;

import java.time.Instant;

/**
 * A file under the recordings root, as a listing found it: its root-relative path (no {@code Path}
 * object: a million of these are held at once), size and modification time.
 */
record FileEntry(String path, long size, long modifiedMillis) {
  FileEntry(String path, long size, Instant modified) {
    this(path, size, modified.toEpochMilli());
  }

  Instant modified() {
    return Instant.ofEpochMilli(modifiedMillis);
  }

  String name() {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
