package io.heldar.examples.cli;

import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --db} option shared by the commands. */
final class StoreOptions {
  @Option(names = "--db", required = true, paramLabel = "FILE", description = "SQLite database file. Created by the commands that register or index (camera add, schedule add, index, run); the others need it to exist.")
  Path db;

  /** Opens the database, creating it if missing (commands that register or index). */
  SqliteHeldarStore open() {
    return SqliteHeldarStore.open(db);
  }

  /**
   * Opens an existing database: commands that read (or change what exists) never create one.
   *
   * @throws IllegalArgumentException "no such database: PATH" when there is no such file
   */
  SqliteHeldarStore openExisting() {
    if (!java.nio.file.Files.isRegularFile(db)) {
      throw new IllegalArgumentException("no such database: " + db);
    }
    return SqliteHeldarStore.open(db);
  }
}
