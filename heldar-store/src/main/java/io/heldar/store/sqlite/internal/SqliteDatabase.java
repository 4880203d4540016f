package io.heldar.store.sqlite.internal;

import io.heldar.core.runtime.Deadline;
import io.heldar.core.store.StoreException;
import io.heldar.store.jdbi.JoiningDatabase;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The connections of one SQLite file: a single writer connection (transactions {@code BEGIN
 * IMMEDIATE}, serialised by a lock) and a bounded pool of reader connections. A thread inside a
 * write transaction reads and writes through that transaction's handle, so nested calls join it.
 */
public final class SqliteDatabase extends JoiningDatabase {
  private final Path file;
  private final String url;
  private final Duration busyTimeout;
  private final ReentrantLock writeLock = new ReentrantLock(true);
  private final Connection writerConnection;
  private final Handle writer;
  private final Jdbi readers;
  private final ReaderPool pool;
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
        // Text is read as UTF-8 bytes on the hot paths (Sql.text); a new file is made UTF-8
        // (SQLite's default, set in config()), and a file made otherwise is refused here.
        try (java.sql.ResultSet rs = st.executeQuery("PRAGMA encoding")) {
          String encoding = rs.next() ? rs.getString(1) : "unknown";
          if (!"UTF-8".equals(encoding)) {
            closeQuietly(writerConnection);
            throw new StoreException("cannot open database " + file + ": its text encoding is "
                + encoding + "; Heldar reads UTF-8 databases only");
          }
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot open database " + file + ": " + e.getMessage(), e);
    }
    this.writer = io.heldar.store.jdbi.internal.PlainSqlParser.install(
            Jdbi.create(new ConnectionFactory() {
              @Override
              public Connection openConnection() {
                return writerConnection;
              }

              @Override
              public void closeConnection(Connection conn) {
                // the writer connection lives as long as the database
              }
            }))
        .open();
    this.pool = new ReaderPool(readConnections);
    this.readers = io.heldar.store.jdbi.internal.PlainSqlParser.install(Jdbi.create(pool));
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
      while (!isClosed()) {
        try (Statement st = conn.createStatement()) {
          st.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
          if (!isClosed()) {
            log.debug("checkpoint of {} failed: {}", file, e.getMessage());
          }
        }
        synchronized (checkpointSignal) {
          if (!isClosed()) {
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
    config.setEncoding(SQLiteConfig.Encoding.UTF8);
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

  /** An outermost write: {@code BEGIN IMMEDIATE} on the one writer connection, under the write lock. */
  @Override
  protected <T> T inWriteTransaction(HandleCallback<T, RuntimeException> callback) {
    writeLock.lock();
    try {
      ensureOpen();
      return writer.inTransaction(callback);
    } finally {
      writeLock.unlock();
    }
  }

  /** A read on a reader connection; under WAL it never waits for the writer. */
  @Override
  protected <T> T withReader(HandleCallback<T, RuntimeException> callback) {
    return readers.withHandle(callback);
  }

  /** A deferred read transaction: one snapshot. */
  @Override
  protected <T> T inReadTransaction(HandleCallback<T, RuntimeException> callback) {
    return readers.inTransaction(callback);
  }

  /** The longest {@link #close()} waits for a checkpoint under way. */
  static final java.time.Duration CLOSE_TIMEOUT = java.time.Duration.ofSeconds(5);

  @Override
  public void close() {
    writeLock.lock();
    try {
      if (!markClosed()) {
        return;
      }
      synchronized (checkpointSignal) {
        checkpointSignal.notifyAll();
      }
      // The checkpointer ends at its next wake-up; a checkpoint under way is waited for within
      // the store's close deadline, then the final checkpoint below takes over.
      if (!Deadline.after(CLOSE_TIMEOUT).join(checkpointer)) {
        log.warn("checkpointer of {} still running after {}; closing anyway", file, CLOSE_TIMEOUT);
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
      if (isClosed() || conn.isClosed()) {
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
