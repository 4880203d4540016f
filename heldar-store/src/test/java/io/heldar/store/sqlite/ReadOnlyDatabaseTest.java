package io.heldar.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.model.Camera;
import io.heldar.core.store.StoreException;
import io.heldar.store.HeldarStores;
import io.heldar.store.jdbi.JdbiHeldarStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQLite database Heldar cannot write: opening it for writing fails at once with the reason,
 * even when nothing would be written; opening it to read still works.
 */
class ReadOnlyDatabaseTest {
  @TempDir
  Path dir;

  @Test
  void openingForWritingFailsAtOnceAndReadingStillWorks() throws Exception {
    Path file = dir.resolve("heldar.db");
    try (JdbiHeldarStore store = HeldarStores.open(file.toString())) {
      store.cameras().add(Camera.of("gate", Instant.parse("2026-11-21T10:00:00Z")));
    }
    makeReadOnly(file);
    try {
      assertThatThrownBy(() -> HeldarStores.open(file.toString()))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining(file.getFileName().toString())
          .hasMessageContaining("read-only");
      try (JdbiHeldarStore store = HeldarStores.openExisting(file.toString())) {
        assertThat(store.cameras().list()).extracting(Camera::id).containsExactly("gate");
      }
    } finally {
      makeWritable(file);
    }
  }

  /**
   * Mode 444; as root, who writes whatever the mode says, the immutable attribute too ({@code
   * chattr +i}: then no one may write the file).
   */
  private static void makeReadOnly(Path file) throws Exception {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
    if ("root".equals(System.getProperty("user.name"))) {
      run("chattr", "+i", file.toString());
    }
  }

  private static void makeWritable(Path file) throws Exception {
    if ("root".equals(System.getProperty("user.name"))) {
      run("chattr", "-i", file.toString());
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue())
        .as(
            "%s (this test needs chattr on a file system with the immutable attribute when run as"
                + " root): %s",
            String.join(" ", command), out)
        .isZero();
  }
}
