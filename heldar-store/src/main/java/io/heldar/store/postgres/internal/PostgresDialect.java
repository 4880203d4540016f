package io.heldar.store.postgres.internal;

import io.heldar.store.jdbi.SqlDialect;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * PostgreSQL: JSON is its own type, and every Heldar write transaction first takes one
 * transaction-scoped advisory lock per schema. Writers (and migrations) of every process on the
 * same schema therefore commit one after another, exactly as on SQLite: the roll-ups a write
 * maintains (timeline buckets, camera statistics) read what the previous writer committed, and two
 * processes starting at once apply a migration once. Readers never wait for it (MVCC).
 */
public final class PostgresDialect implements SqlDialect {
  /** For the pools Heldar opens: their connections set the idle-in-transaction timeout. */
  public static final PostgresDialect INSTANCE = new PostgresDialect(false);

  /**
   * For a pool Heldar does not own (an application's {@code DataSource}), whose connections are
   * not Heldar's to configure: each write transaction sets the idle-in-transaction timeout for
   * itself ({@code SET LOCAL}), so a frozen process still cannot hold the write lock.
   */
  public static final PostgresDialect SHARED_POOL = new PostgresDialect(true);

  /** First key of Heldar's advisory locks ("Held" in ASCII); the second is the schema's hash. */
  public static final int LOCK_SPACE = 0x48656c64;

  private static final List<String> SCRIPTS = List.of(
      "V001__contract_tables.sql",
      "V002__cluster_leases.sql",
      "V003__snapshot_slots.sql",
      "V004__node_down_gaps.sql",
      "V005__events_created_at.sql",
      "V006__nodes_capturing.sql",
      "V007__storage_tiers.sql",
      "V008__gap_heals.sql");

  private final boolean timeoutPerTransaction;

  private PostgresDialect(boolean timeoutPerTransaction) {
    this.timeoutPerTransaction = timeoutPerTransaction;
  }

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public String migrationDirectory() {
    return "/io/heldar/store/postgres/migrations/";
  }

  @Override
  public List<String> migrationScripts() {
    return SCRIPTS;
  }

  @Override
  public void beginWrite(Handle handle) {
    if (timeoutPerTransaction) {
      handle.execute("SET LOCAL idle_in_transaction_session_timeout = '"
          + io.heldar.store.postgres.PostgresHeldarStore.IDLE_IN_TRANSACTION_TIMEOUT.toMillis()
          + "ms'");
    }
    handle
        .createQuery("SELECT pg_advisory_xact_lock(" + LOCK_SPACE + ", hashtext(current_schema()))")
        .mapTo(String.class)
        .one();
  }

  @Override
  public String jsonParameter() {
    return "CAST(? AS json)";
  }

  @Override
  public TransactionIsolationLevel consistentReadIsolation() {
    return TransactionIsolationLevel.REPEATABLE_READ;
  }
}
