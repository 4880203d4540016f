package io.heldar.store.sqlite;

import io.heldar.core.store.StoreException;
import java.nio.file.Path;
import java.util.List;

/**
 * The file is a SQLite database with tables but without Heldar's {@code schema_version}: most
 * likely another application's. It is refused and left exactly as it was, never migrated into.
 */
public final class NotAHeldarDatabaseException extends StoreException {
  private static final long serialVersionUID = 1L;
  private final transient Path database;
  private final List<String> tables;

  NotAHeldarDatabaseException(Path database, List<String> tables) {
    super("database " + database + " is not a Heldar database (it has " + tables.size() + " table(s) such as "
        + String.join(", ", tables.subList(0, Math.min(3, tables.size())))
        + " but no schema_version); refusing to add Heldar's tables to it — point --db at a new file");
    this.database = database;
    this.tables = List.copyOf(tables);
  }

  /** The database file. */
  public Path database() {
    return database;
  }

  /** The tables found in it. */
  public List<String> tables() {
    return tables;
  }
}
