package io.heldar.core.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Free and total space of the file system holding a path (a seam for tests). */
public interface DiskSpace {
  /** Bytes available to this process. */
  long usable(Path path) throws IOException;

  /** Total bytes. */
  long total(Path path) throws IOException;

  /** The JDK's view through {@link java.nio.file.FileStore}. */
  static DiskSpace fileStore() {
    return new DiskSpace() {
      @Override
      public long usable(Path path) throws IOException {
        return Files.getFileStore(path).getUsableSpace();
      }

      @Override
      public long total(Path path) throws IOException {
        return Files.getFileStore(path).getTotalSpace();
      }
    };
  }
}
