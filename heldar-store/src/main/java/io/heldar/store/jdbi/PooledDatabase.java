package io.heldar.store.jdbi;

import io.heldar.core.store.StoreException;
import java.util.Objects;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * A {@link Database} on a connection pool: every transaction takes a connection of its own, a
 * write transaction begins with {@link SqlDialect#beginWrite}, and a thread's nested calls join its
 * open write transaction. For databases with real concurrent writers (PostgreSQL); SQLite has its
 * own single-writer {@code Database}.
 */
public class PooledDatabase extends JoiningDatabase {
  private final Jdbi jdbi;
  private final SqlDialect dialect;
  private final String description;
  private final AutoCloseable pool;

  /**
   * @param jdbi Jdbi over the pool
   * @param dialect the database's dialect
   * @param description the database as messages name it (never with a password)
   * @param pool what {@link #close()} closes (the pool)
   */
  public PooledDatabase(Jdbi jdbi, SqlDialect dialect, String description, AutoCloseable pool) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.description = Objects.requireNonNull(description, "description");
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  @Override
  protected <T> T inWriteTransaction(HandleCallback<T, RuntimeException> callback) {
    return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, h -> {
      dialect.beginWrite(h);
      return callback.withHandle(h);
    });
  }

  /**
   * On a pooled server database a single statement commits on its own connection (autocommit)
   * without the write lock; joined to the thread's write transaction when it has one.
   */
  @Override
  public <T> T writeAlone(HandleCallback<T, RuntimeException> callback) {
    return joinedOrAlone(callback);
  }

  @Override
  protected <T> T withReader(HandleCallback<T, RuntimeException> callback) {
    return jdbi.withHandle(callback);
  }

  @Override
  protected <T> T inReadTransaction(HandleCallback<T, RuntimeException> callback) {
    return jdbi.inTransaction(dialect.consistentReadIsolation(), callback);
  }

  @Override
  public SqlDialect dialect() {
    return dialect;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    if (!markClosed()) {
      return;
    }
    try {
      pool.close();
    } catch (Exception e) {
      throw new StoreException("closing " + description + ": " + e.getMessage(), e);
    }
  }
}
