package io.heldar.examples.cli;

import io.heldar.store.HeldarStores;
import io.heldar.store.jdbi.JdbiHeldarStore;
import io.heldar.store.postgres.PostgresLocation;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The databases of one benchmark run, by name: SQLite files in the work directory, or, with
 * {@code --db postgresql://…}, fresh schemas on that server, dropped when the run ends.
 */
final class BenchDatabases implements AutoCloseable {
  /** The {@code --db} option of the benchmarks that can run on PostgreSQL. */
  static final class Option {
    @picocli.CommandLine.Option(
        names = "--db",
        paramLabel = "URL",
        description =
            "Run on this PostgreSQL server, in schemas of its own dropped afterwards (default: SQLite files in the work directory).")
    String url;

    /** The URL, if given. */
    Optional<String> url() {
      return Optional.ofNullable(url);
    }
  }

  private final Optional<PostgresLocation> server;
  private final Path work;
  private final String run =
      "heldar_bench_" + Long.toString(ProcessHandle.current().pid(), 36) + "_"
          + Long.toString(System.nanoTime() % 1_000_000, 36);
  private final List<PostgresLocation> created = new ArrayList<>();

  private BenchDatabases(Optional<PostgresLocation> server, Path work) {
    this.server = server;
    this.work = work;
  }

  /**
   * @param db the {@code --db} option: absent for SQLite files, else a PostgreSQL URL
   * @throws IllegalArgumentException when {@code db} is not a PostgreSQL URL
   */
  static BenchDatabases of(Optional<String> db, Path work) {
    if (db.isPresent() && !HeldarStores.isPostgres(db.get())) {
      throw new IllegalArgumentException(
          "--db takes a PostgreSQL URL (postgresql://USER@HOST:5432/DB); without it the benchmark uses SQLite files in its work directory");
    }
    return new BenchDatabases(db.map(PostgresLocation::parse), work);
  }

  /** What the databases are, for the report. */
  String describe() {
    return server
        .map(s -> "PostgreSQL " + s.describe() + " (schemas " + run + "_*, dropped afterwards)")
        .orElse("SQLite files in " + work);
  }

  /** The file of SQLite database {@code name} of this run; empty on PostgreSQL. */
  Optional<Path> sqliteFile(String name) {
    return server.isEmpty() ? Optional.of(work.resolve(name + ".db")) : Optional.empty();
  }

  /** Opens (creating) database {@code name} of this run. */
  JdbiHeldarStore open(String name) {
    if (server.isEmpty()) {
      return HeldarStores.open(sqliteFile(name).orElseThrow().toString());
    }
    PostgresLocation s = server.get();
    PostgresLocation at = new PostgresLocation(
        s.host(),
        s.port(),
        s.database(),
        s.user(),
        s.password(),
        Optional.of(run + "_" + name),
        s.properties());
    if (!created.contains(at)) {
      created.add(at);
    }
    return io.heldar.store.postgres.PostgresHeldarStore.open(
        at, io.heldar.store.postgres.PostgresHeldarStore.Options.builder().build());
  }

  /**
   * After a bulk load: PostgreSQL gets {@code VACUUM ANALYZE} of database {@code name} (what
   * autovacuum does on a live server soon after), so queries are planned on real statistics.
   * SQLite needs nothing.
   */
  void settle(String name) throws SQLException {
    if (server.isEmpty()) {
      return;
    }
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      String schema = run + "_" + name;
      st.execute("VACUUM ANALYZE " + schema + ".segments, " + schema + ".timeline_buckets, "
          + schema + ".camera_stats, " + schema + ".recording_gaps");
    }
  }

  private Connection connect() throws SQLException {
    PostgresLocation s = server.orElseThrow();
    PostgresLocation plain = new PostgresLocation(
        s.host(), s.port(), s.database(), s.user(), s.password(), Optional.empty(), s.properties());
    return plain.connect();
  }

  /** Drops the run's schemas. */
  @Override
  public void close() throws SQLException {
    if (created.isEmpty()) {
      return;
    }
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      for (PostgresLocation l : created) {
        st.execute("DROP SCHEMA IF EXISTS " + l.schema().orElseThrow() + " CASCADE");
      }
    }
  }
}
