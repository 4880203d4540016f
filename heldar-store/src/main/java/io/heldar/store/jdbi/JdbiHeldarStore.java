package io.heldar.store.jdbi;

import io.heldar.core.model.InvalidRow;
import io.heldar.core.store.CameraStatsStore;
import io.heldar.core.store.CameraStore;
import io.heldar.core.store.EventStore;
import io.heldar.core.store.GapStore;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.store.HoldStore;
import io.heldar.core.store.SegmentStore;
import io.heldar.core.store.SnapshotScheduleStore;
import io.heldar.core.store.SnapshotStore;
import io.heldar.core.store.StoreException;
import io.heldar.core.store.UnreadableFileStore;
import io.heldar.store.SchemaVersionException;
import io.heldar.store.jdbi.internal.InvalidRows;
import io.heldar.store.jdbi.internal.JdbiCameraStatsStore;
import io.heldar.store.jdbi.internal.JdbiCameraStore;
import io.heldar.store.jdbi.internal.JdbiEventStore;
import io.heldar.store.jdbi.internal.JdbiGapStore;
import io.heldar.store.jdbi.internal.JdbiHoldStore;
import io.heldar.store.jdbi.internal.JdbiSegmentStore;
import io.heldar.store.jdbi.internal.JdbiSnapshotScheduleStore;
import io.heldar.store.jdbi.internal.JdbiSnapshotStore;
import io.heldar.store.jdbi.internal.JdbiUnreadableFileStore;
import io.heldar.store.jdbi.internal.Migrations;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Heldar's store SPIs, implemented once on Jdbi for every {@link SqlDialect}. A concrete store
 * (SQLite, PostgreSQL, yours) opens its {@link Database}, calls {@link #migrate} and passes the
 * database here; everything else is shared, so every store behaves the same and passes the same
 * contract tests.
 */
public abstract class JdbiHeldarStore implements HeldarStore {
  private final Database db;
  private final InvalidRows invalidRows = new InvalidRows();
  private final CameraStore cameras;
  private final SegmentStore segments;
  private final GapStore gaps;
  private final CameraStatsStore cameraStats;
  private final EventStore events;
  private final UnreadableFileStore unreadableFiles;
  private final SnapshotScheduleStore schedules;
  private final SnapshotStore snapshots;
  private final HoldStore holds;
  private final io.heldar.core.store.HealStore heals;

  /**
   * @param db the migrated database; closed by {@link #close()}
   * @param clock the clock of the store's own timestamps ({@code updated_at})
   */
  protected JdbiHeldarStore(Database db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    Objects.requireNonNull(clock, "clock");
    this.cameras = new JdbiCameraStore(db, clock);
    this.segments = new JdbiSegmentStore(db, invalidRows);
    this.gaps = new JdbiGapStore(db, clock);
    this.cameraStats = new JdbiCameraStatsStore(db);
    this.events = new JdbiEventStore(db);
    this.unreadableFiles = new JdbiUnreadableFileStore(db);
    this.schedules = new JdbiSnapshotScheduleStore(db);
    this.snapshots = new JdbiSnapshotStore(db, invalidRows);
    this.holds = new JdbiHoldStore(db);
    this.heals = new io.heldar.store.jdbi.internal.JdbiHealStore(db);
  }

  /**
   * Applies the dialect's migrations this version knows that {@code db} lacks, each in its own
   * write transaction with its {@code schema_version} row; safe when several processes open the
   * same database at once.
   *
   * @return the resulting schema version
   * @throws SchemaVersionException when the database is newer than this Heldar
   */
  protected static int migrate(Database db, Clock clock) {
    try {
      return Migrations.migrate(db, clock);
    } catch (Migrations.TooNewException e) {
      throw new SchemaVersionException(db.describe(), e.found(), e.supported());
    }
  }

  /** The newest schema version this Heldar knows for {@code dialect}. */
  protected static int latestVersion(SqlDialect dialect) {
    return Migrations.latestVersion(dialect);
  }

  /** The database under this store. */
  protected final Database database() {
    return db;
  }

  /**
   * Fails at once when this store cannot be written (a read-only file or directory, a read-only
   * role or transaction, a standby server), with the reason, whatever there is to write: a write
   * transaction that changes nothing, rolled back.
   *
   * @throws StoreException naming the database and why it cannot be written
   */
  public void requireWritable() {
    try {
      db.write(h -> h.execute("UPDATE schema_version SET version = version WHERE 1 = 0"));
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
      throw new StoreException("cannot write to the database " + describe() + ": " + why, e);
    }
  }

  /** The database as messages name it. */
  public final String describe() {
    return db.describe();
  }

  @Override
  public final List<InvalidRow> invalidRows() {
    return invalidRows.list();
  }

  @Override
  public final CameraStore cameras() {
    return cameras;
  }

  @Override
  public final SegmentStore segments() {
    return segments;
  }

  @Override
  public final GapStore gaps() {
    return gaps;
  }

  @Override
  public final CameraStatsStore cameraStats() {
    return cameraStats;
  }

  @Override
  public final EventStore events() {
    return events;
  }

  @Override
  public final UnreadableFileStore unreadableFiles() {
    return unreadableFiles;
  }

  @Override
  public final SnapshotScheduleStore snapshotSchedules() {
    return schedules;
  }

  @Override
  public final SnapshotStore snapshots() {
    return snapshots;
  }

  @Override
  public final HoldStore holds() {
    return holds;
  }

  @Override
  public final io.heldar.core.store.HealStore heals() {
    return heals;
  }

  @Override
  public final <T> T inTransaction(Supplier<T> work) {
    Objects.requireNonNull(work, "work");
    return db.write(h -> work.get());
  }

  @Override
  public void close() {
    db.close();
  }
}
