package io.heldar.store.jdbi;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * What differs between the SQL databases Heldar's one Jdbi store runs on. Everything else (the
 * tables, their column names, every query) is shared, written in the SQL both SQLite and
 * PostgreSQL accept: {@code ON CONFLICT} upserts, {@code TRUE}/{@code FALSE}, epoch-millisecond
 * integers for instants. A dialect is stateless and thread-safe.
 */
public interface SqlDialect {
  /** A short name for messages and logs, such as {@code sqlite} or {@code postgresql}. */
  String name();

  /**
   * The class-path directory of this dialect's migration scripts, ending in {@code /}, such as
   * {@code /io/heldar/store/sqlite/migrations/}.
   */
  String migrationDirectory();

  /** The migration scripts in {@link #migrationDirectory()}, oldest first; version = position + 1. */
  List<String> migrationScripts();

  /**
   * Called first in every outermost write transaction, on its handle, before the work runs. SQLite
   * needs nothing (its writer connection begins {@code IMMEDIATE}); PostgreSQL takes a
   * transaction-scoped advisory lock, which serialises Heldar's writers (and its migrations) across
   * processes.
   */
  void beginWrite(Handle handle);

  /**
   * The SQL for a bound JSON text parameter: {@code ?} where JSON is text, {@code CAST(? AS json)}
   * where it is a type of its own.
   */
  String jsonParameter();

  /** The isolation of reads that must see one snapshot across several statements. */
  TransactionIsolationLevel consistentReadIsolation();
}
