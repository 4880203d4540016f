package io.heldar.store.jdbi;

import io.heldar.core.store.StoreException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.JdbiException;

/**
 * The part every {@link Database} shares: a thread's calls join its open write transaction, a
 * closed database fails clearly, and a Jdbi failure becomes a {@link StoreException} naming the
 * database. Subclasses say only how to open an outermost write transaction and how to read.
 */
public abstract class JoiningDatabase implements Database {
  private final ThreadLocal<Handle> current = new ThreadLocal<>();
  private final ThreadLocal<Runnable> guard = new ThreadLocal<>();
  private volatile boolean closed;

  /** For subclasses. */
  protected JoiningDatabase() {}

  /**
   * Runs {@code callback} in a new outermost write transaction (taking whatever lock the database
   * needs and calling {@link SqlDialect#beginWrite} first).
   */
  protected abstract <T> T inWriteTransaction(HandleCallback<T, RuntimeException> callback);

  /** Runs {@code callback} on a connection of its own, outside any transaction. */
  protected abstract <T> T withReader(HandleCallback<T, RuntimeException> callback);

  /** Runs {@code callback} in a read transaction that sees one snapshot. */
  protected abstract <T> T inReadTransaction(HandleCallback<T, RuntimeException> callback);

  @Override
  public final <T> T write(HandleCallback<T, RuntimeException> callback) {
    Handle joined = current.get();
    if (joined != null) {
      return callback.withHandle(joined);
    }
    ensureOpen();
    try {
      return inWriteTransaction(h -> {
        current.set(h);
        try {
          Runnable check = guard.get();
          if (check != null) {
            check.run();
          }
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
  public final <T> T guarded(Runnable check, java.util.function.Supplier<T> work) {
    java.util.Objects.requireNonNull(check, "check");
    Runnable outer = guard.get();
    guard.set(check);
    try {
      if (current.get() != null) {
        check.run();
      }
      return work.get();
    } finally {
      if (outer == null) {
        guard.remove();
      } else {
        guard.set(outer);
      }
    }
  }

  @Override
  public final <T> T read(HandleCallback<T, RuntimeException> callback) {
    return joinedOrAlone(callback);
  }

  /**
   * {@code callback} on the thread's write transaction when it has one, else on a connection of
   * its own outside any transaction ({@link #withReader}).
   */
  protected final <T> T joinedOrAlone(HandleCallback<T, RuntimeException> callback) {
    Handle joined = current.get();
    if (joined != null) {
      return callback.withHandle(joined);
    }
    ensureOpen();
    try {
      return withReader(callback);
    } catch (JdbiException e) {
      throw translate(e);
    }
  }

  @Override
  public final <T> T readConsistent(HandleCallback<T, RuntimeException> callback) {
    Handle joined = current.get();
    if (joined != null) {
      return callback.withHandle(joined);
    }
    ensureOpen();
    try {
      return inReadTransaction(callback);
    } catch (JdbiException e) {
      throw translate(e);
    }
  }

  /** The store exception for a Jdbi failure: the database and the driver's reason. */
  protected StoreException translate(JdbiException e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return new StoreException("database " + describe() + ": " + cause.getMessage(), e);
  }

  /** Fails with "database … is closed" once {@link #markClosed()} was called. */
  protected final void ensureOpen() {
    if (closed) {
      throw new StoreException("database " + describe() + " is closed");
    }
  }

  /** Marks the database closed; returns whether it was open. */
  protected final boolean markClosed() {
    boolean wasOpen = !closed;
    closed = true;
    return wasOpen;
  }

  /** Whether {@link #markClosed()} was called. */
  protected final boolean isClosed() {
    return closed;
  }
}
