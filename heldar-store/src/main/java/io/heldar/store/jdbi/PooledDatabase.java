package io.heldar.store.jdbi;

import io.heldar.core.store.StoreException;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * A {@link Database} on a connection pool: every transaction takes a connection of its own, a
 * write transaction begins with {@link SqlDialect#beginWrite}, and a thread's nested calls join its
 * open write transaction. For databases with real concurrent writers (PostgreSQL); SQLite has its
 * own single-writer {@code Database}.
 */
public class PooledDatabase implements Database {
  private final Jdbi jdbi;
  private final SqlDialect dialect;
  private final String description;
  private final AutoCloseable pool;
  private final ThreadLocal<Handle> current = new ThreadLocal<>();
  private volatile boolean closed;

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
  public <T> T write(HandleCallback<T, RuntimeException> callback) {
    Handle joined = current.get();
    if (joined != null) {
      return callback.withHandle(joined);
    }
    ensureOpen();
    try {
      return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, h -> {
        current.set(h);
        try {
          dialect.beginWrite(h);
          return callback.withHandle(h);
        } finally {
          current.remove();
        }
      });
    } catch (JdbiException e) {
      throw translate(e);
    }
  }

  @Override
  public <T> T read(HandleCallback<T, RuntimeException> callback) {
    Handle joined = current.get();
    if (joined != null) {
      return callback.withHandle(joined);
    }
    ensureOpen();
    try {
      return jdbi.withHandle(callback);
    } catch (JdbiException e) {
      throw translate(e);
    }
  }

  @Override
  public <T> T readConsistent(HandleCallback<T, RuntimeException> callback) {
    Handle joined = current.get();
    if (joined != null) {
      return callback.withHandle(joined);
    }
    ensureOpen();
    try {
      return jdbi.inTransaction(dialect.consistentReadIsolation(), callback);
    } catch (JdbiException e) {
      throw translate(e);
    }
  }

  /** The store exception for a Jdbi failure, naming the database and the driver's reason. */
  protected StoreException translate(JdbiException e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return new StoreException(description + ": " + cause.getMessage(), e);
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException(description + " is closed");
    }
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
    if (closed) {
      return;
    }
    closed = true;
    try {
      pool.close();
    } catch (Exception e) {
      throw new StoreException("closing " + description + ": " + e.getMessage(), e);
    }
  }
}
