package io.heldar.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.heldar.core.store.StoreException;
import io.heldar.store.NotAHeldarDatabaseException;
import io.heldar.store.SchemaVersionException;
import io.heldar.store.jdbi.JdbiHeldarStore;
import io.heldar.store.jdbi.PooledDatabase;
import io.heldar.store.postgres.internal.PostgresDialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link io.heldar.core.store.HeldarStore} on a PostgreSQL server (Jdbi 3, pgJDBC, a HikariCP pool),
 * with the same tables, columns and behaviour as the SQLite store (see {@code docs/schema.md}).
 *
 * <p>Opening connects once to check the server, the role and the database and to say clearly which
 * is wrong; creates the URL's schema if it names one; refuses a schema holding another
 * application's tables under Heldar's names ({@link NotAHeldarDatabaseException}) or a newer Heldar
 * schema ({@link SchemaVersionException}); then applies the forward-only migrations, once even when
 * several processes start together.
 *
 * <p>Every write transaction takes one advisory lock per schema first, so Heldar's writers commit one
 * after another across processes (as on SQLite) and the roll-ups stay exact; indexing upserts on
 * {@code segments.path}, so two indexers on one root never make a duplicate row. Reads run on pool
 * connections and never wait for writers.
 */
public final class PostgresHeldarStore extends JdbiHeldarStore {
  private static final Logger log = LoggerFactory.getLogger(PostgresHeldarStore.class);

  /** Heldar's tables: a schema holding one of them but no {@code schema_version} is another application's. */
  private static final List<String> HELDAR_TABLES = List.of(
      "cameras",
      "segments",
      "missing_segments",
      "recording_gaps",
      "camera_stats",
      "events",
      "snapshot_schedules",
      "snapshots",
      "unreadable_files",
      "retention_holds",
      "timeline_buckets",
      "segment_tier_totals");

  private final PostgresLocation location;
  private final io.heldar.core.store.LeaseStore leases;

  private PostgresHeldarStore(PooledDatabase db, PostgresLocation location, Clock clock) {
    super(db, clock);
    this.location = location;
    this.leases = new io.heldar.store.postgres.internal.PostgresLeaseStore(db);
  }

  /** Cluster mode's leases, on the database's clock. */
  @Override
  public java.util.Optional<io.heldar.core.store.LeaseStore> leases() {
    return java.util.Optional.of(leases);
  }

  /**
   * How long the server lets a session of this store sit idle inside a transaction before it ends
   * it (rolling the transaction back): 5 s. Heldar never waits on anything but the database inside
   * a transaction, so only a frozen process reaches it — and a frozen process must not hold the
   * write lock every other node waits for.
   */
  public static final java.time.Duration IDLE_IN_TRANSACTION_TIMEOUT =
      java.time.Duration.ofSeconds(5);

  /** Opens the store at {@code url} with default options, creating its tables if needed. */
  public static PostgresHeldarStore open(String url) {
    return open(PostgresLocation.parse(url), Options.builder().build());
  }

  /**
   * Opens the store at {@code location}, creating its schema (if the location names one) and
   * tables if needed.
   *
   * @throws StoreException one line naming the server and what is wrong (unreachable, refused
   *     password, no such database…)
   */
  public static PostgresHeldarStore open(PostgresLocation location, Options options) {
    return open(location, options, true);
  }

  /**
   * Opens a store that must already hold Heldar's tables: creates nothing, and fails with "no
   * Heldar database at …" otherwise (read-only tools).
   */
  public static PostgresHeldarStore openExisting(PostgresLocation location, Options options) {
    return open(location, options, false);
  }

  /**
   * Fails with the dependencies to add when pgJDBC (and, for a pool of Heldar's own, HikariCP) are
   * not on the classpath: {@code heldar-store} declares them optional, so SQLite-only users do not
   * carry them.
   */
  private static void requireDrivers(boolean pool) {
    List<String> missing = new ArrayList<>();
    if (!present("org.postgresql.Driver")) {
      missing.add("org.postgresql:postgresql (" + PGJDBC_VERSION + " or later)");
    }
    if (pool && !present("com.zaxxer.hikari.HikariDataSource")) {
      missing.add("com.zaxxer:HikariCP (" + HIKARI_VERSION + " or later)");
    }
    if (!missing.isEmpty()) {
      throw new StoreException("PostgreSQL needs " + String.join(" and ", missing)
          + " on the classpath: heldar-store declares them optional, for SQLite-only users; add"
          + " them to your build");
    }
  }

  /** The versions Heldar is built and tested with. */
  static final String PGJDBC_VERSION = "42.7.13";

  static final String HIKARI_VERSION = "5.1.0";

  private static boolean present(String className) {
    try {
      Class.forName(className, false, PostgresHeldarStore.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static PostgresHeldarStore open(
      PostgresLocation location, Options options, boolean create) {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(options, "options");
    requireDrivers(true);
    preflight(location, options, create);
    HikariConfig config = new HikariConfig();
    config.setPoolName("heldar-pg");
    config.setJdbcUrl(location.jdbcUrl());
    config.setUsername(location.user());
    location.password().ifPresent(config::setPassword);
    config.setMaximumPoolSize(options.poolSize());
    config.setMinimumIdle(1);
    config.setConnectionTimeout(Math.max(250, options.connectTimeout().toMillis()));
    config.setInitializationFailTimeout(options.connectTimeout().toMillis());
    config.addDataSourceProperty("ApplicationName", "heldar");
    config.addDataSourceProperty(
        "connectTimeout", Math.max(1, options.connectTimeout().toSeconds()));
    config.addDataSourceProperty("reWriteBatchedInserts", "false");
    // A process frozen inside a write transaction (SIGSTOP, a long GC pause) holds the write lock
    // every node waits for; the server ends its session after this, which rolls it back.
    config.setConnectionInitSql("SET idle_in_transaction_session_timeout = '"
        + IDLE_IN_TRANSACTION_TIMEOUT.toMillis() + "ms'");
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException(
          "cannot open PostgreSQL " + location.describe() + ": " + reason(e), e);
    }
    PooledDatabase db = new PooledDatabase(
        io.heldar.store.jdbi.internal.PlainSqlParser.install(Jdbi.create(pool)),
        PostgresDialect.INSTANCE,
        location.describe(),
        pool);
    try {
      int version = create ? migrate(db, options.clock()) : checkVersion(db);
      log.debug("opened Heldar database {} (schema version {})", location.describe(), version);
      return new PostgresHeldarStore(db, location, options.clock());
    } catch (RuntimeException | Error e) {
      try {
        db.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Opens the store on a pool that is not Heldar's: an application's {@code DataSource} (Spring
   * Boot's, say), creating Heldar's tables in the connections' current schema if needed. Heldar
   * never closes that pool; each write transaction sets its own idle-in-transaction timeout.
   * {@code options.poolSize()} and {@code connectTimeout()} are the pool's business, not used here.
   *
   * @throws StoreException one line naming what is wrong: unreachable, or not PostgreSQL (Heldar's
   *     SQLite store keeps its own connections: give it a file)
   */
  public static PostgresHeldarStore shared(javax.sql.DataSource dataSource, Options options) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(options, "options");
    requireDrivers(false);
    PostgresLocation location;
    try (Connection c = dataSource.getConnection()) {
      java.sql.DatabaseMetaData meta = c.getMetaData();
      if (!"PostgreSQL".equalsIgnoreCase(meta.getDatabaseProductName())) {
        throw new StoreException("the DataSource is " + meta.getDatabaseProductName()
            + ", not PostgreSQL: Heldar shares only a PostgreSQL DataSource (for SQLite, give it"
            + " a file)");
      }
      location = PostgresLocation.parse(meta.getURL());
      if (!location.user().equals(meta.getUserName()) && meta.getUserName() != null) {
        location = new PostgresLocation(
            location.host(),
            location.port(),
            location.database(),
            meta.getUserName(),
            Optional.empty(),
            location.schema(),
            location.properties());
      }
    } catch (SQLException e) {
      throw new StoreException("cannot open the DataSource: " + reason(e), e);
    }
    String description = location.describe() + " (a shared DataSource)";
    PooledDatabase db = new PooledDatabase(
        io.heldar.store.jdbi.internal.PlainSqlParser.install(Jdbi.create(dataSource)),
        PostgresDialect.SHARED_POOL,
        description,
        () -> {});
    int version = migrate(db, options.clock());
    log.debug("opened Heldar database {} (schema version {})", description, version);
    return new PostgresHeldarStore(db, location, options.clock());
  }

  /** The schema version of an existing database, refused when newer than this Heldar. */
  private static int checkVersion(PooledDatabase db) {
    int found = db.read(h -> h.createQuery("SELECT coalesce(max(version), 0) FROM schema_version")
        .mapTo(Integer.class)
        .one());
    if (found > supportedSchemaVersion()) {
      throw new SchemaVersionException(db.describe(), found, supportedSchemaVersion());
    }
    if (found < supportedSchemaVersion()) {
      throw new StoreException(
          db.describe() + " has schema version " + found + ", older than this Heldar's "
              + supportedSchemaVersion()
              + ": open it once with a command that writes (heldar index, run, camera add) to migrate it");
    }
    return found;
  }

  /**
   * Connects once, outside the pool, so that a wrong server, role, password or database is one
   * clear line; creates the schema (when {@code create}); checks the schema is Heldar's or empty.
   */
  private static void preflight(PostgresLocation location, Options options, boolean create) {
    Properties props = location.connectionProperties();
    props.setProperty(
        "connectTimeout", Long.toString(Math.max(1, options.connectTimeout().toSeconds())));
    props.setProperty(
        "loginTimeout", Long.toString(Math.max(1, options.connectTimeout().toSeconds())));
    props.setProperty("ApplicationName", "heldar");
    try (Connection c = DriverManager.getConnection(location.jdbcUrl(), props)) {
      if (location.schema().isPresent()) {
        String schema = location.schema().get();
        boolean exists;
        try (PreparedStatement ps =
            c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
          ps.setString(1, schema);
          try (ResultSet rs = ps.executeQuery()) {
            exists = rs.next();
          }
        }
        if (!exists && !create) {
          throw new StoreException("no Heldar database at " + location.describe() + " (schema "
              + schema + " does not exist)");
        }
        if (!exists) {
          // The name is checked: letters, digits, _.
          try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
          } catch (SQLException e) {
            // IF NOT EXISTS is not safe against a concurrent CREATE: another process starting at
            // the
            // same moment made it (unique violation, or duplicate schema), which is what we wanted.
            if (!"23505".equals(e.getSQLState()) && !"42P06".equals(e.getSQLState())) {
              throw e;
            }
          }
        }
      }
      List<String> tables = new ArrayList<>();
      boolean heldar = false;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(
              "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1")) {
        while (rs.next()) {
          String t = rs.getString(1);
          if (t.equals("schema_version")) {
            heldar = true;
          } else if (HELDAR_TABLES.contains(t)) {
            tables.add(t);
          }
        }
      }
      if (!heldar && !tables.isEmpty()) {
        throw new NotAHeldarDatabaseException(
            location.describe(),
            tables,
            "give Heldar a schema of its own (?currentSchema=heldar) or a database of its own");
      }
      if (!heldar && !create) {
        throw new StoreException(
            "no Heldar database at " + location.describe() + " (no schema_version table)");
      }
    } catch (SQLException e) {
      throw new StoreException(
          "cannot open PostgreSQL " + location.describe() + ": " + reason(e), e);
    }
  }

  /** The driver's reason in one line: the server's own message when it sent one. */
  private static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof SQLException)) {
      t = t.getCause();
    }
    if (t instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
      return p.getServerErrorMessage().getMessage() + " (" + p.getSQLState() + ")";
    }
    String msg = t.getMessage() == null ? t.toString() : t.getMessage();
    if (t.getCause() != null && t.getCause() != t && t.getCause().getMessage() != null) {
      msg = msg + " (" + t.getCause().getMessage() + ")";
    }
    return msg.replaceAll("\\s+", " ").trim();
  }

  /** The newest schema version this Heldar knows on PostgreSQL. */
  public static int supportedSchemaVersion() {
    return latestVersion(PostgresDialect.INSTANCE);
  }

  /** Where this store lives. */
  public PostgresLocation location() {
    return location;
  }

  /**
   * Connection options.
   *
   * @param poolSize the most connections the pool opens (writers commit one at a time; the rest read)
   * @param connectTimeout how long opening, and a connection from the pool, may take
   * @param clock the clock of the store's own timestamps ({@code updated_at}, {@code applied_at})
   */
  public record Options(int poolSize, Duration connectTimeout, Clock clock) {
    /** Default pool size. */
    public static final int DEFAULT_POOL_SIZE = 8;
    /** Default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Validates every component. */
    public Options {
      if (poolSize < 1 || poolSize > 256) {
        throw new IllegalArgumentException("poolSize must be 1..256: " + poolSize);
      }
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      if (connectTimeout.toMillis() < 1 || connectTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException(
            "connectTimeout must be 1 ms..10 min: " + connectTimeout);
      }
      Objects.requireNonNull(clock, "clock");
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder starting from {@code options}. */
    public static Builder from(Options options) {
      return new Builder()
          .poolSize(options.poolSize())
          .connectTimeout(options.connectTimeout())
          .clock(options.clock());
    }

    /** Builds {@link Options}; setters validate. */
    public static final class Builder {
      private int poolSize = DEFAULT_POOL_SIZE;
      private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
      private Clock clock = Clock.systemUTC();

      private Builder() {}

      /** See {@link Options#poolSize()}. */
      public Builder poolSize(int poolSize) {
        this.poolSize = new Options(poolSize, connectTimeout, clock).poolSize();
        return this;
      }

      /** See {@link Options#connectTimeout()}. */
      public Builder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = new Options(poolSize, connectTimeout, clock).connectTimeout();
        return this;
      }

      /** See {@link Options#clock()}. */
      public Builder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
      }

      /** The options. */
      public Options build() {
        return new Options(poolSize, connectTimeout, clock);
      }
    }
  }
}
