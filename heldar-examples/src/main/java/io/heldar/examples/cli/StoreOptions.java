package io.heldar.examples.cli;

import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --db} option shared by the commands. */
final class StoreOptions {
  @Option(names = "--db", required = true, paramLabel = "FILE", description = "SQLite database file (created if missing).")
  Path db;

  SqliteHeldarStore open() {
    return SqliteHeldarStore.open(db);
  }
}
