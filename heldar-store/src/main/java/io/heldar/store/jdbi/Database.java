package io.heldar.store.jdbi;

import org.jdbi.v3.core.HandleCallback;

/**
 * The connections of one database, as the shared Jdbi store uses them. Implementations are
 * thread-safe and let a thread's calls nest: a {@link #write} or {@link #read} made inside a write
 * transaction of the same thread runs on that transaction's handle and sees its uncommitted rows.
 * Failures surface as {@link io.heldar.core.store.StoreException} naming {@link #describe()}.
 */
public interface Database extends AutoCloseable {
  /**
   * Runs {@code callback} in a write transaction, or inside the calling thread's current one. An
   * outermost transaction calls {@link SqlDialect#beginWrite} first.
   */
  <T> T write(HandleCallback<T, RuntimeException> callback);

  /**
   * Runs {@code callback}, one self-contained statement, without waiting for the store's write
   * transactions where the database allows it (for rows no roll-up depends on: cluster heartbeats
   * and leases, which must not stall behind another node's data transaction). Inside the calling
   * thread's write transaction it joins it. The default is {@link #write}.
   */
  default <T> T writeAlone(HandleCallback<T, RuntimeException> callback) {
    return write(callback);
  }

  /** Runs a read: on the calling thread's write transaction if it has one, else on its own connection. */
  <T> T read(HandleCallback<T, RuntimeException> callback);

  /** Runs several statements that must see one consistent snapshot. */
  <T> T readConsistent(HandleCallback<T, RuntimeException> callback);

  /**
   * Runs {@code work} so that every outermost write transaction the calling thread opens inside it
   * runs {@code check} first, inside the transaction (a lease fence); when the thread is already in
   * a write transaction, {@code check} runs in it at once. An exception from {@code check} rolls
   * the transaction back. Scopes nest: the inner check replaces the outer one until it ends.
   */
  <T> T guarded(Runnable check, java.util.function.Supplier<T> work);

  /** The dialect of this database. */
  SqlDialect dialect();

  /** The database as messages name it: a file, or a server and database (never a password). */
  String describe();

  /** Closes every connection; later calls fail with a {@link io.heldar.core.store.StoreException}. */
  @Override
  void close();
}
