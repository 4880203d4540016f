package io.heldar.store;

import io.heldar.core.store.StoreException;

/** The database was written by a newer Heldar (its schema version is higher than this one knows). */
public final class SchemaVersionException extends StoreException {
  private static final long serialVersionUID = 1L;
  private final String database;
  private final int found;
  private final int supported;

  /**
   * @param database the database, as messages name it (a file, or a PostgreSQL server and database)
   * @param found the version found
   * @param supported the newest version this Heldar knows
   */
  public SchemaVersionException(String database, int found, int supported) {
    super("database "
        + database
        + " has schema version "
        + found
        + " but this Heldar supports up to "
        + supported
        + "; upgrade Heldar (refusing to open it rather than risk damaging it)");
    this.database = database;
    this.found = found;
    this.supported = supported;
  }

  /** The database, as messages name it. */
  public String database() {
    return database;
  }

  /** The schema version found in the file. */
  public int foundVersion() {
    return found;
  }

  /** The newest schema version this Heldar knows. */
  public int supportedVersion() {
    return supported;
  }
}
