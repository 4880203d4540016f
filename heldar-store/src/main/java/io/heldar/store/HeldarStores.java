package io.heldar.store;

import io.heldar.store.jdbi.JdbiHeldarStore;
import io.heldar.store.postgres.PostgresHeldarStore;
import io.heldar.store.postgres.PostgresLocation;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a store from a database location alone: a PostgreSQL URL ({@code postgresql://…},
 * {@code postgres://…} or {@code jdbc:postgresql://…}) opens a {@link PostgresHeldarStore};
 * {@code jdbc:sqlite:FILE} or a path is a SQLite file. Any other URL ({@code mysql://…}, {@code
 * jdbc:mysql:…}) is refused with the locations that are supported, never taken for a file name.
 */
public final class HeldarStores {
  private HeldarStores() {}

  /** Whether {@code location} names a PostgreSQL database. */
  public static boolean isPostgres(String location) {
    return PostgresLocation.isUrl(location);
  }

  /**
   * Opens the store at {@code location} with default options, creating its tables if needed, for
   * writing: a store that cannot be written fails here, with the reason ({@link
   * JdbiHeldarStore#requireWritable()}), not at its first write or never.
   */
  public static JdbiHeldarStore open(String location) {
    JdbiHeldarStore store = isPostgres(location)
        ? PostgresHeldarStore.open(
            PostgresLocation.parse(location),
            PostgresHeldarStore.Options.builder().build())
        : SqliteHeldarStore.open(sqliteFile(location));
    try {
      store.requireWritable();
      return store;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * Opens a store that must exist: creates nothing.
   *
   * @throws IllegalArgumentException "no such database: FILE" for a missing SQLite file
   * @throws io.heldar.core.store.StoreException "no Heldar database at URL" for a PostgreSQL
   *     database without Heldar's tables
   */
  public static JdbiHeldarStore openExisting(String location) {
    if (isPostgres(location)) {
      return PostgresHeldarStore.openExisting(
          PostgresLocation.parse(location),
          PostgresHeldarStore.Options.builder().build());
    }
    Path file = sqliteFile(location);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such database: " + file);
    }
    return SqliteHeldarStore.open(file);
  }

  private static final java.util.regex.Pattern URL_SCHEME =
      java.util.regex.Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://.*|^jdbc:([A-Za-z0-9+.-]*):.*");

  private static Path sqliteFile(String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("no database location given");
    }
    java.util.regex.Matcher m = URL_SCHEME.matcher(location);
    if (m.matches() && !location.startsWith("jdbc:sqlite:")) {
      String scheme = m.group(1) != null ? m.group(1) + "://" : "jdbc:" + m.group(2) + ":";
      throw new IllegalArgumentException("unsupported database " + scheme
          + ": Heldar stores in PostgreSQL (postgresql://, postgres:// or jdbc:postgresql://)"
          + " or in a SQLite file (a path, or jdbc:sqlite:FILE)");
    }
    return Path.of(
        location.startsWith("jdbc:sqlite:")
            ? location.substring("jdbc:sqlite:".length())
            : location);
  }
}
