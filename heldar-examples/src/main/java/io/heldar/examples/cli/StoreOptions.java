package io.heldar.examples.cli;

import io.heldar.store.HeldarStores;
import io.heldar.store.jdbi.JdbiHeldarStore;
import picocli.CommandLine.Option;

/** The {@code --db} option shared by the commands: a SQLite file or a PostgreSQL URL. */
final class StoreOptions {
  @Option(
      names = "--db",
      required = true,
      paramLabel = "FILE|URL",
      description =
          "The database: a SQLite file, or a PostgreSQL URL (postgresql://USER@HOST:5432/DB, optionally "
              + "?currentSchema=NAME; the password from the URL, PGPASSWORD or ~/.pgpass). Created by the commands that "
              + "register or index (camera add, schedule add, index, run); the others need it to exist.")
  String db;

  /** Opens the database, creating it if missing (commands that register or index). */
  JdbiHeldarStore open() {
    return HeldarStores.open(db);
  }

  /**
   * Opens an existing database: commands that read (or change what exists) never create one.
   *
   * @throws IllegalArgumentException "no such database: PATH" when there is no such file
   */
  JdbiHeldarStore openExisting() {
    return HeldarStores.openExisting(db);
  }
}
