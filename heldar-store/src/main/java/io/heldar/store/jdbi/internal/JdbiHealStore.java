package io.heldar.store.jdbi.internal;

import io.heldar.core.heal.HealAttempt;
import io.heldar.core.store.HealStore;
import io.heldar.store.jdbi.Database;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link HealStore} on any {@link io.heldar.store.jdbi.SqlDialect}. */
public final class JdbiHealStore implements HealStore {
  private static final RowMapper<HealAttempt> MAPPER = (rs, ctx) -> new HealAttempt(
      rs.getString("camera_id"),
      Sql.instant(rs, "range_start"),
      Sql.instant(rs, "range_end"),
      rs.getString("source"),
      HealAttempt.Outcome.fromCode(rs.getString("outcome")),
      rs.getInt("tries"),
      Sql.optString(rs, "code"),
      Sql.optString(rs, "reason"),
      rs.getDouble("healed_seconds"),
      Sql.optString(rs, "healed_path"),
      Sql.optInstant(rs, "next_try_at"),
      Sql.instant(rs, "first_try_at"),
      Sql.instant(rs, "updated_at"));

  private final Database db;

  /** Creates the store on {@code db}. */
  public JdbiHealStore(Database db) {
    this.db = db;
  }

  @Override
  public void record(HealAttempt a) {
    db.write(h -> h.createUpdate(
            "INSERT INTO gap_heals (camera_id, range_start, range_end, source, outcome, tries, code,"
                + " reason, healed_seconds, healed_path, next_try_at, first_try_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (camera_id, range_start) DO UPDATE SET range_end = excluded.range_end,"
                + " source = excluded.source, outcome = excluded.outcome, tries = excluded.tries,"
                + " code = excluded.code, reason = excluded.reason,"
                + " healed_seconds = excluded.healed_seconds, healed_path = excluded.healed_path,"
                + " next_try_at = excluded.next_try_at, updated_at = excluded.updated_at")
        .bind(0, a.cameraId())
        .bind(1, Sql.ms(a.from()))
        .bind(2, Sql.ms(a.to()))
        .bind(3, a.source())
        .bind(4, a.outcome().code())
        .bind(5, a.tries())
        .bind(6, a.code().orElse(null))
        .bind(7, a.reason().orElse(null))
        .bind(8, a.healedSeconds())
        .bind(9, a.healedPath().orElse(null))
        .bind(10, Sql.msOrNull(a.nextTryAt()))
        .bind(11, Sql.ms(a.firstTryAt()))
        .bind(12, Sql.ms(a.updatedAt()))
        .execute());
  }

  @Override
  public Optional<HealAttempt> find(String cameraId, Instant from) {
    return db.read(
        h -> h.createQuery("SELECT * FROM gap_heals WHERE camera_id = ? AND range_start = ?")
            .bind(0, cameraId)
            .bind(1, Sql.ms(from))
            .map(MAPPER)
            .findOne());
  }

  @Override
  public List<HealAttempt> overlapping(String cameraId, Instant from, Instant to, int limit) {
    return db.read(h -> h.createQuery(
            "SELECT * FROM gap_heals WHERE camera_id = ? AND range_start < ? AND range_end > ?"
                + " ORDER BY range_start LIMIT ?")
        .bind(0, cameraId)
        .bind(1, Sql.ms(to))
        .bind(2, Sql.ms(from))
        .bind(3, limit)
        .map(MAPPER)
        .list());
  }
}
