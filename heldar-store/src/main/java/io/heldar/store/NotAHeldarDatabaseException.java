package io.heldar.store;

import io.heldar.core.store.StoreException;
import java.util.List;

/**
 * The database (a SQLite file, or a PostgreSQL schema) has tables but no Heldar
 * {@code schema_version}: most likely another application's. It is refused and left exactly as it was, never migrated into.
 */
public final class NotAHeldarDatabaseException extends StoreException {
  private static final long serialVersionUID = 1L;
  private final String database;
  private final List<String> tables;

  /**
   * @param database the database, as messages name it
   * @param tables the tables found in it
   * @param advice what to do instead, one clause
   */
  public NotAHeldarDatabaseException(String database, List<String> tables, String advice) {
    super("database " + database + " is not a Heldar database (it has " + tables.size()
        + " table(s) such as "
        + String.join(", ", tables.subList(0, Math.min(3, tables.size())))
        + " but no schema_version); refusing to add Heldar's tables to it — " + advice);
    this.database = database;
    this.tables = List.copyOf(tables);
  }

  /** The database, as messages name it. */
  public String database() {
    return database;
  }

  /** The tables found in it. */
  public List<String> tables() {
    return tables;
  }
}
