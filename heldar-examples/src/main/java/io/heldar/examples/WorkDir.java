package io.heldar.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** A working directory: the one given (kept), or a new temporary one (deleted on close). */
public final class WorkDir implements AutoCloseable {
  private final Path path;
  private final boolean temporary;

  private WorkDir(Path path, boolean temporary) {
    this.path = path;
    this.temporary = temporary;
  }

  /** {@code given} (created if needed), else a new temporary directory named {@code prefix…}. */
  public static WorkDir of(Optional<Path> given, String prefix) throws IOException {
    return given.isPresent()
        ? new WorkDir(Files.createDirectories(given.get()), false)
        : new WorkDir(Files.createTempDirectory(prefix), true);
  }

  /** The directory. */
  public Path path() {
    return path;
  }

  /** Whether it is deleted on close. */
  public boolean temporary() {
    return temporary;
  }

  @Override
  public void close() throws IOException {
    if (temporary) {
      deleteTree(path);
    }
  }

  /** Deletes a directory and everything under it. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
