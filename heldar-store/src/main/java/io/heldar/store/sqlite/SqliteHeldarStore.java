package io.heldar.store.sqlite;

import io.heldar.core.store.StoreException;
import io.heldar.store.NotAHeldarDatabaseException;
import io.heldar.store.SchemaVersionException;
import io.heldar.store.jdbi.JdbiHeldarStore;
import io.heldar.store.sqlite.internal.SqliteDatabase;
import io.heldar.store.sqlite.internal.SqliteDialect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link io.heldar.core.store.HeldarStore} on one SQLite file (Jdbi 3 + sqlite-jdbc).
 *
 * <p>Opening creates the file if needed, sets WAL, {@code synchronous=NORMAL}, a busy timeout and
 * foreign keys, and applies the forward-only migrations this version knows, each in its own
 * transaction and recorded in {@code schema_version}. A file from a newer schema is refused with
 * {@link io.heldar.store.SchemaVersionException}.
 *
 * <p>Writes are serialised on one connection whose transactions begin {@code IMMEDIATE} (so a
 * read-then-write transaction never fails with {@code SQLITE_BUSY} on lock upgrade); reads use a
 * small pool of other connections and, under WAL, never block the writer or wait for it.
 */
public final class SqliteHeldarStore extends JdbiHeldarStore {
  private static final Logger log = LoggerFactory.getLogger(SqliteHeldarStore.class);

  private final SqliteDatabase db;

  private SqliteHeldarStore(SqliteDatabase db, java.time.Clock clock) {
    super(db, clock);
    this.db = db;
  }

  /** Opens (creating if needed) the database at {@code file} with default options. */
  public static SqliteHeldarStore open(Path file) {
    return open(file, Options.builder().build());
  }

  /** Opens (creating if needed) the database at {@code file}. */
  public static SqliteHeldarStore open(Path file, Options options) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(options, "options");
    Path absolute = file.toAbsolutePath().normalize();
    try {
      Path parent = absolute.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new StoreException("cannot create the directory of database " + absolute + ": " + e, e);
    }
    preflight(absolute);
    SqliteDatabase db;
    try {
      db = new SqliteDatabase(absolute, options.busyTimeout(), options.readConnections());
    } catch (RuntimeException e) {
      throw explain(absolute, e);
    }
    try {
      int version = migrate(db, options.clock());
      log.debug("opened Heldar database {} (schema version {})", absolute, version);
      return new SqliteHeldarStore(db, options.clock());
    } catch (SchemaVersionException e) {
      closeAfterFailure(db, e);
      throw e;
    } catch (RuntimeException e) {
      closeAfterFailure(db, e);
      throw explain(absolute, e);
    } catch (Error e) {
      closeAfterFailure(db, e);
      throw e;
    }
  }

  private static void closeAfterFailure(SqliteDatabase db, Throwable failure) {
    try {
      db.close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e); // the first failure is the one to report
    }
  }

  /**
   * Checks, before anything is written, that an existing non-empty file is a Heldar database (has
   * {@code schema_version}) or an empty one: another application's database is refused unchanged.
   * The check reads through a read-only connection that changes nothing (not even the journal mode).
   */
  private static void preflight(Path file) {
    try {
      if (!Files.isRegularFile(file) || Files.size(file) == 0) {
        return;
      }
    } catch (IOException e) {
      throw new StoreException("cannot read database " + file + ": " + e, e);
    }
    org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
    config.setReadOnly(true);
    java.util.List<String> tables = new java.util.ArrayList<>();
    boolean heldar = false;
    try (java.sql.Connection c = config.createConnection("jdbc:sqlite:" + file);
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs =
            st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
      while (rs.next()) {
        String name = rs.getString(1);
        if (name.equals("schema_version")) {
          heldar = true;
        } else if (!name.startsWith("sqlite_")) {
          tables.add(name);
        }
      }
    } catch (java.sql.SQLException e) {
      // Not readable as SQLite (random bytes, a locked WAL in a read-only directory…): opening
      // proper says what is wrong, without writing, since SQLite refuses such a file as well.
      log.debug("preflight of {} could not read it: {}", file, e.getMessage());
      return;
    }
    if (!heldar && !tables.isEmpty()) {
      throw new NotAHeldarDatabaseException(file.toString(), tables, "point --db at a new file");
    }
  }

  /** Says what is wrong in terms of the file system when SQLite's own message does not. */
  private static RuntimeException explain(Path file, RuntimeException e) {
    Path dir = file.getParent();
    if (dir != null && !Files.isWritable(dir)) {
      return new StoreException(
          "database directory " + dir + " is read-only: SQLite must create " + file.getFileName()
              + "-wal and " + file.getFileName()
              + "-shm beside the database (copy it to a writable directory, or make "
              + dir + " writable)",
          e);
    }
    if (Files.exists(file) && !Files.isWritable(file)) {
      return new StoreException(
          "database " + file + " is read-only: Heldar writes to it (make it writable)", e);
    }
    return e;
  }

  /** See {@link JdbiHeldarStore#requireWritable()}; names the file and directory rights. */
  @Override
  public void requireWritable() {
    try {
      super.requireWritable();
    } catch (StoreException e) {
      RuntimeException explained = explain(db.file(), e);
      throw explained instanceof StoreException se ? se : e;
    }
  }

  /** The newest schema version this Heldar knows. */
  public static int supportedSchemaVersion() {
    return latestVersion(SqliteDialect.INSTANCE);
  }

  /** The database file. */
  public Path file() {
    return db.file();
  }

  /**
   * Connection options.
   *
   * @param busyTimeout how long a connection waits for another process's lock before failing
   * @param readConnections size of the reader connection pool
   */
  public record Options(Duration busyTimeout, int readConnections, java.time.Clock clock) {
    /** Default busy timeout. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(30);
    /** Default number of reader connections. */
    public static final int DEFAULT_READ_CONNECTIONS = 4;

    /** Validates every component. */
    public Options {
      Objects.requireNonNull(busyTimeout, "busyTimeout");
      if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("busyTimeout out of range: " + busyTimeout);
      }
      if (readConnections < 1 || readConnections > 64) {
        throw new IllegalArgumentException("readConnections must be 1..64: " + readConnections);
      }
      Objects.requireNonNull(clock, "clock");
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
      return new Builder();
    }

    /** Builds {@link Options}; setters validate. */
    public static final class Builder {
      private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;
      private int readConnections = DEFAULT_READ_CONNECTIONS;
      private java.time.Clock clock = java.time.Clock.systemUTC();

      private Builder() {}

      /** The clock of the store's own timestamps ({@code updated_at}, {@code applied_at}); default system UTC. */
      public Builder clock(java.time.Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
      }

      /** See {@link Options#busyTimeout()}. */
      public Builder busyTimeout(Duration busyTimeout) {
        this.busyTimeout = new Options(busyTimeout, readConnections, clock).busyTimeout();
        return this;
      }

      /** See {@link Options#readConnections()}. */
      public Builder readConnections(int readConnections) {
        this.readConnections = new Options(busyTimeout, readConnections, clock).readConnections();
        return this;
      }

      /** The options. */
      public Options build() {
        return new Options(busyTimeout, readConnections, clock);
      }
    }
  }
}
