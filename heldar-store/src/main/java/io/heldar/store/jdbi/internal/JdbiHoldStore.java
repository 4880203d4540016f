package io.heldar.store.jdbi.internal;

import io.heldar.core.model.RetentionHold;
import io.heldar.core.store.HoldStore;
import io.heldar.store.jdbi.Database;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link HoldStore} on any {@link io.heldar.store.jdbi.SqlDialect}. */
public final class JdbiHoldStore implements HoldStore {
  private static final RowMapper<RetentionHold> MAPPER = (rs, ctx) -> new RetentionHold(
      rs.getLong("id"),
      rs.getString("camera_id"),
      Sql.instant(rs, "start_time"),
      Sql.instant(rs, "end_time"),
      rs.getString("reason"),
      Sql.instant(rs, "created_at"));

  private final Database db;

  /** Creates the store on {@code db}. */
  public JdbiHoldStore(Database db) {
    this.db = db;
  }

  @Override
  public RetentionHold add(
      String cameraId, Instant start, Instant end, String reason, Instant now) {
    RetentionHold checked = new RetentionHold(0, cameraId, start, end, reason, now);
    long id = db.write(h -> h.createUpdate(
            "INSERT INTO retention_holds (camera_id, start_time, end_time, reason, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(0, cameraId)
        .bind(1, Sql.ms(start))
        .bind(2, Sql.ms(end))
        .bind(3, reason)
        .bind(4, Sql.ms(now))
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one());
    return new RetentionHold(id, checked.cameraId(), start, end, reason, now);
  }

  @Override
  public List<RetentionHold> list(String cameraId) {
    return db.read(h -> h.createQuery(
            "SELECT * FROM retention_holds WHERE camera_id = ? ORDER BY start_time, id")
        .bind(0, cameraId)
        .map(MAPPER)
        .list());
  }

  @Override
  public boolean remove(long id) {
    return db.write(h ->
        h.createUpdate("DELETE FROM retention_holds WHERE id = ?").bind(0, id).execute() == 1);
  }
}
