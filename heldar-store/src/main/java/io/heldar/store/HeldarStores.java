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
 * {@code jdbc:sqlite:FILE} or anything else is a SQLite file.
 */
public final class HeldarStores {
  private HeldarStores() {}

  /** Whether {@code location} names a PostgreSQL database. */
  public static boolean isPostgres(String location) {
    return PostgresLocation.isUrl(location);
  }

  /** Opens the store at {@code location} with default options, creating its tables if needed. */
  public static JdbiHeldarStore open(String location) {
    if (isPostgres(location)) {
      return PostgresHeldarStore.open(
          PostgresLocation.parse(location),
          PostgresHeldarStore.Options.builder().build());
    }
    return SqliteHeldarStore.open(sqliteFile(location));
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

  private static Path sqliteFile(String location) {
    return Path.of(
        location.startsWith("jdbc:sqlite:")
            ? location.substring("jdbc:sqlite:".length())
            : location);
  }
}
