package io.heldar.store.sqlite.internal;

import io.heldar.core.store.StoreException;
import io.heldar.store.jdbi.Database;
import io.heldar.store.jdbi.SqlDialect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The connections of one SQLite file: a single writer connection (transactions {@code BEGIN
 * IMMEDIATE}, serialised by a lock) and a bounded pool of reader connections. A thread inside a
 * write transaction reads and writes through that transaction's handle, so nested calls join it.
 */
public final class SqliteDatabase implements Database {
  private final Path file;
  private final String url;
  private final Duration busyTimeout;
  private final ReentrantLock writeLock = new ReentrantLock(true);
  private final ThreadLocal<Handle> current = new ThreadLocal<>();
  private final Connection writerConnection;
  private final Handle writer;
  private final Jdbi readers;
  private final ReaderPool pool;
  private volatile boolean closed;
  private final Thread checkpointer;
  private final Object checkpointSignal = new Object();
  private static final long CHECKPOINT_INTERVAL_MS = 1000;
  private static final Logger log = LoggerFactory.getLogger(SqliteDatabase.class);

  /** Opens the writer connection (creating the file) and prepares the reader pool. */
  public SqliteDatabase(Path file, Duration busyTimeout, int readConnections) {
    this.file = file;
    this.url = "jdbc:sqlite:" + file;
    this.busyTimeout = busyTimeout;
    try {
      this.writerConnection = config(true).createConnection(url);
      try (Statement st = writerConnection.createStatement()) {
        // Checkpoints run on their own thread (below), not inside whichever commit crosses the
        // limit.
        st.execute("PRAGMA wal_autocheckpoint=0");
      }
    } catch (SQLException e) {
      throw new StoreException("cannot open database " + file + ": " + e.getMessage(), e);
    }
    this.writer = Jdbi.create(new ConnectionFactory() {
          @Override
          public Connection openConnection() {
            return writerConnection;
          }

          @Override
          public void closeConnection(Connection conn) {
            // the writer connection lives as long as the database
          }
        })
        .open();
    this.pool = new ReaderPool(readConnections);
    this.readers = Jdbi.create(pool);
    this.checkpointer = new Thread(this::checkpointLoop, "heldar-sqlite-checkpoint");
    this.checkpointer.setDaemon(true);
    this.checkpointer.start();
  }

  /**
   * Copies the WAL back into the database file every second with a PASSIVE checkpoint on its own
   * connection: it never takes the write lock, so writers never wait for it, and the WAL stays
   * small. A crash at any point is safe: the WAL is the source of truth until it is checkpointed.
   */
  private void checkpointLoop() {
    Connection conn = null;
    try {
      conn = config(false).createConnection(url);
      while (!closed) {
        try (Statement st = conn.createStatement()) {
          st.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
          if (!closed) {
            log.debug("checkpoint of {} failed: {}", file, e.getMessage());
          }
        }
        synchronized (checkpointSignal) {
          if (!closed) {
            checkpointSignal.wait(CHECKPOINT_INTERVAL_MS);
          }
        }
      }
    } catch (SQLException e) {
      log.warn("cannot open a checkpoint connection to {}: {}", file, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (conn != null) {
        closeQuietly(conn);
      }
    }
  }

  private SQLiteConfig config(boolean forWriter) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout((int) busyTimeout.toMillis());
    config.enforceForeignKeys(true);
    config.setTransactionMode(
        forWriter ? SQLiteConfig.TransactionMode.IMMEDIATE : SQLiteConfig.TransactionMode.DEFERRED);
    return config;
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  @Override
  public SqlDialect dialect() {
    return SqliteDialect.INSTANCE;
  }

  @Override
  public String describe() {
    return file.toString();
  }

  /**
   * Runs {@code callback} in a write transaction ({@code BEGIN IMMEDIATE}), or inside the calling
   * thread's current one.
   */
  @Override
  public <T> T write(HandleCallback<T, RuntimeException> callback) {
    Handle joined = current.get();
    if (joined != null) {
      return callback.withHandle(joined);
    }
    ensureOpen();
    writeLock.lock();
    try {
      ensureOpen();
      current.set(writer);
      return writer.inTransaction(callback);
    } catch (JdbiException e) {
      throw translate(e);
    } finally {
      current.remove();
      writeLock.unlock();
    }
  }

  /** Runs a read: on the calling thread's write transaction if it has one, else on a reader connection. */
  @Override
  public <T> T read(HandleCallback<T, RuntimeException> callback) {
    Handle joined = current.get();
    if (joined != null) {
      return callback.withHandle(joined);
    }
    ensureOpen();
    try {
      return readers.withHandle(callback);
    } catch (JdbiException e) {
      throw translate(e);
    }
  }

  /** Runs a multi-statement read on one consistent snapshot. */
  @Override
  public <T> T readConsistent(HandleCallback<T, RuntimeException> callback) {
    Handle joined = current.get();
    if (joined != null) {
      return callback.withHandle(joined);
    }
    ensureOpen();
    try {
      return readers.inTransaction(callback);
    } catch (JdbiException e) {
      throw translate(e);
    }
  }

  private StoreException translate(JdbiException e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return new StoreException("database " + file + ": " + cause.getMessage(), e);
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException("database " + file + " is closed");
    }
  }

  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      synchronized (checkpointSignal) {
        checkpointSignal.notifyAll();
      }
      try {
        checkpointer.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try (Statement st = writerConnection.createStatement()) {
        st.execute(
            "PRAGMA wal_checkpoint(TRUNCATE)"); // leave a compact file behind on a clean close
      } catch (SQLException e) {
        log.debug("final checkpoint of {} failed: {}", file, e.getMessage());
      }
      writer.close();
      closeQuietly(writerConnection);
      pool.closeAll();
    } finally {
      writeLock.unlock();
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // closing; nothing to do
    }
  }

  /** Hands out up to {@code max} reader connections, reusing idle ones. */
  private final class ReaderPool implements ConnectionFactory {
    private final int max;
    private final BlockingQueue<Connection> idle;
    private final List<Connection> all = new ArrayList<>();

    ReaderPool(int max) {
      this.max = max;
      this.idle = new ArrayBlockingQueue<>(max);
    }

    @Override
    public Connection openConnection() throws SQLException {
      Connection c = idle.poll();
      if (c != null) {
        return c;
      }
      synchronized (all) {
        if (all.size() < max) {
          Connection created = config(false).createConnection(url);
          all.add(created);
          return created;
        }
      }
      try {
        c = idle.poll(busyTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for a reader connection", e);
      }
      if (c == null) {
        throw new SQLException("no reader connection free within " + busyTimeout);
      }
      return c;
    }

    @Override
    public void closeConnection(Connection conn) throws SQLException {
      if (closed || conn.isClosed()) {
        conn.close();
        return;
      }
      if (!conn.getAutoCommit()) {
        conn.rollback();
        conn.setAutoCommit(true);
      }
      idle.offer(conn);
    }

    void closeAll() {
      synchronized (all) {
        all.forEach(SqliteDatabase::closeQuietly);
        all.clear();
      }
      idle.clear();
    }
  }
}
