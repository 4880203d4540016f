package io.heldar.store.sqlite.internal;

import io.heldar.core.model.Snapshot;
import io.heldar.core.store.SnapshotStore;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link SnapshotStore} on SQLite. */
public final class SqliteSnapshotStore implements SnapshotStore {
  private static final RowMapper<Snapshot> MAPPER =
      (rs, ctx) ->
          new Snapshot(
              rs.getString("camera_id"),
              Sql.optLong(rs, "schedule_id"),
              rs.getString("path"),
              Sql.instant(rs, "taken_at"),
              rs.getLong("size_bytes"),
              Sql.instant(rs, "created_at"));

  private final SqliteDatabase db;

  /** Creates the store on {@code db}. */
  public SqliteSnapshotStore(SqliteDatabase db) {
    this.db = db;
  }

  private static final String INSERT =
      "INSERT INTO snapshots (camera_id, schedule_id, path, taken_at, size_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)";

  @Override
  public void insert(Snapshot s) {
    insertAll(List.of(s));
  }

  @Override
  public void insertAll(Collection<Snapshot> snapshots) {
    if (snapshots.isEmpty()) {
      return;
    }
    db.write(
        h -> {
          PreparedBatch batch = h.prepareBatch(INSERT);
          for (Snapshot s : snapshots) {
            batch
                .bind(0, s.cameraId())
                .bind(1, s.scheduleId().isPresent() ? s.scheduleId().getAsLong() : null)
                .bind(2, s.path())
                .bind(3, Sql.ms(s.takenAt()))
                .bind(4, s.sizeBytes())
                .bind(5, Sql.ms(s.createdAt()))
                .add();
          }
          return batch.execute();
        });
  }

  @Override
  public List<Snapshot> list(String cameraId, Instant from, Instant to) {
    return db.read(
        h ->
            h.createQuery("SELECT * FROM snapshots WHERE camera_id = ? AND taken_at >= ? AND taken_at < ? ORDER BY taken_at, id")
                .bind(0, cameraId)
                .bind(1, Sql.ms(from))
                .bind(2, Sql.ms(to))
                .map(MAPPER)
                .list());
  }

  @Override
  public List<Snapshot> all(String cameraId) {
    return db.read(
        h -> h.createQuery("SELECT * FROM snapshots WHERE camera_id = ? ORDER BY taken_at, id").bind(0, cameraId).map(MAPPER).list());
  }
}
