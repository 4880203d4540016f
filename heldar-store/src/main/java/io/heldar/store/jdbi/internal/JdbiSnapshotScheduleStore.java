package io.heldar.store.jdbi.internal;

import io.heldar.core.model.Camera;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.core.store.SnapshotScheduleStore;
import io.heldar.store.jdbi.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link SnapshotScheduleStore} on any {@link io.heldar.store.jdbi.SqlDialect}. */
public final class JdbiSnapshotScheduleStore implements SnapshotScheduleStore {
  private static final RowMapper<SnapshotSchedule> MAPPER = (rs, ctx) -> new SnapshotSchedule(
      rs.getLong("id"),
      rs.getString("camera_id"),
      Duration.ofSeconds(rs.getLong("interval_seconds")),
      rs.getBoolean("enabled"),
      Sql.optInstant(rs, "last_fired_at"),
      Sql.instant(rs, "created_at"),
      Sql.instant(rs, "updated_at"));

  private final Database db;

  /** Creates the store on {@code db}. */
  public JdbiSnapshotScheduleStore(Database db) {
    this.db = db;
  }

  @Override
  public SnapshotSchedule create(String cameraId, Duration interval, boolean enabled, Instant now) {
    Camera.requireValidId(cameraId);
    SnapshotSchedule.requireValidInterval(interval);
    return db.write(h -> {
      long id = h.createUpdate(
              "INSERT INTO snapshot_schedules (camera_id, interval_seconds, enabled, created_at, updated_at) "
                  + "VALUES (?, ?, ?, ?, ?)")
          .bind(0, cameraId)
          .bind(1, interval.toSeconds())
          .bind(2, enabled)
          .bind(3, Sql.ms(now))
          .bind(4, Sql.ms(now))
          .executeAndReturnGeneratedKeys("id")
          .mapTo(Long.class)
          .one();
      return h.createQuery("SELECT * FROM snapshot_schedules WHERE id = ?")
          .bind(0, id)
          .map(MAPPER)
          .one();
    });
  }

  @Override
  public Optional<SnapshotSchedule> update(
      long id, Duration interval, boolean enabled, Instant now) {
    SnapshotSchedule.requireValidInterval(interval);
    return db.write(h -> {
      h.createUpdate(
              "UPDATE snapshot_schedules SET interval_seconds = ?, enabled = ?, updated_at = ? WHERE id = ?")
          .bind(0, interval.toSeconds())
          .bind(1, enabled)
          .bind(2, Sql.ms(now))
          .bind(3, id)
          .execute();
      return h.createQuery("SELECT * FROM snapshot_schedules WHERE id = ?")
          .bind(0, id)
          .map(MAPPER)
          .findOne();
    });
  }

  @Override
  public boolean markFired(long id, Instant slot, Instant now) {
    return db.write(h ->
        // Never backwards: captures of one schedule may commit out of order.
        h.createUpdate(
                    "UPDATE snapshot_schedules SET last_fired_at = CASE WHEN last_fired_at IS NULL OR last_fired_at < ? THEN ? ELSE last_fired_at END, "
                        + "updated_at = ? WHERE id = ?")
                .bind(0, Sql.ms(slot))
                .bind(1, Sql.ms(slot))
                .bind(2, Sql.ms(now))
                .bind(3, id)
                .execute()
            == 1);
  }

  @Override
  public void markFiredAll(java.util.Map<Long, Instant> slots, Instant now) {
    if (slots.isEmpty()) {
      return;
    }
    db.write(h -> {
      // One statement, prepared once, run as a batch: not a statement per schedule.
      try (java.sql.PreparedStatement ps = h.getConnection().prepareStatement(MARK_FIRED)) {
        for (java.util.Map.Entry<Long, Instant> e : slots.entrySet()) {
          ps.setLong(1, Sql.ms(e.getValue()));
          ps.setLong(2, Sql.ms(e.getValue()));
          ps.setLong(3, Sql.ms(now));
          ps.setLong(4, e.getKey());
          ps.addBatch();
        }
        ps.executeBatch();
      } catch (java.sql.SQLException e) {
        throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(
            "marking " + slots.size() + " schedules fired failed: " + e.getMessage(), e, null);
      }
      return null;
    });
  }

  private static final String MARK_FIRED =
      "UPDATE snapshot_schedules SET last_fired_at = CASE WHEN last_fired_at IS NULL OR"
          + " last_fired_at < ? THEN ? ELSE last_fired_at END, updated_at = ? WHERE id = ?";

  @Override
  public Optional<SnapshotSchedule> find(long id) {
    return db.read(h -> h.createQuery("SELECT * FROM snapshot_schedules WHERE id = ?")
        .bind(0, id)
        .map(MAPPER)
        .findOne());
  }

  @Override
  public List<SnapshotSchedule> list() {
    return db.read(h -> h.createQuery("SELECT * FROM snapshot_schedules ORDER BY id")
        .map(MAPPER)
        .list());
  }

  @Override
  public boolean delete(long id) {
    return db.write(h -> h.createUpdate("DELETE FROM snapshot_schedules WHERE id = ?")
            .bind(0, id)
            .execute()
        == 1);
  }
}
