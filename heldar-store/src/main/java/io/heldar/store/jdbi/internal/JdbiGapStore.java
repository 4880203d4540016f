package io.heldar.store.jdbi.internal;

import io.heldar.core.model.GapCause;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.store.GapStore;
import io.heldar.store.jdbi.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link GapStore} on any {@link io.heldar.store.jdbi.SqlDialect}. */
public final class JdbiGapStore implements GapStore {
  private static final RowMapper<RecordingGap> MAPPER = (rs, ctx) -> new RecordingGap(
      rs.getLong("id"),
      rs.getString("camera_id"),
      Sql.instant(rs, "start_time"),
      Sql.instant(rs, "end_time"),
      GapStatus.fromDbValue(rs.getString("status")),
      GapCause.fromDbValue(rs.getString("cause")),
      Sql.instant(rs, "detected_at"),
      Sql.optInstant(rs, "filled_at"));

  private final Database db;
  private final java.time.Clock clock;

  /** Creates the store on {@code db}. */
  public JdbiGapStore(Database db, java.time.Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public RecordingGap insertOpen(
      String cameraId, Instant start, Instant end, GapCause cause, Instant detectedAt) {
    RecordingGap probe = new RecordingGap(
        0, cameraId, start, end, GapStatus.OPEN, cause, detectedAt, Optional.empty());
    long id = db.write(h -> h.createUpdate(
            "INSERT INTO recording_gaps (camera_id, start_time, end_time, gap_seconds, status, cause, "
                + "detected_at, updated_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?)")
        .bind(0, cameraId)
        .bind(1, Sql.ms(start))
        .bind(2, Sql.ms(end))
        .bind(3, seconds(start, end))
        .bind(4, cause.dbValue())
        .bind(5, Sql.ms(detectedAt))
        .bind(6, Sql.ms(detectedAt))
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one());
    return new RecordingGap(
        id, probe.cameraId(), start, end, GapStatus.OPEN, cause, detectedAt, Optional.empty());
  }

  private static double seconds(Instant start, Instant end) {
    return Duration.between(start, end).toMillis() / 1000.0;
  }

  @Override
  public boolean resize(long id, Instant start, Instant end) {
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("gap end " + end + " not after start " + start);
    }
    return db.write(h -> h.createUpdate(
                "UPDATE recording_gaps SET start_time = ?, end_time = ?, gap_seconds = ?, updated_at = ? "
                    + "WHERE id = ? AND status = 'open'")
            .bind(0, Sql.ms(start))
            .bind(1, Sql.ms(end))
            .bind(2, seconds(start, end))
            .bind(3, clock.millis())
            .bind(4, id)
            .execute()
        == 1);
  }

  @Override
  public boolean markFilled(long id, Instant filledAt) {
    return db.write(h -> h.createUpdate(
                "UPDATE recording_gaps SET status = 'filled', filled_at = ?, updated_at = ? WHERE id = ? AND status = 'open'")
            .bind(0, Sql.ms(filledAt))
            .bind(1, Sql.ms(filledAt))
            .bind(2, id)
            .execute()
        == 1);
  }

  @Override
  public Optional<RecordingGap> openOfCause(String cameraId, GapCause cause) {
    return db.read(h -> h.createQuery(
            "SELECT * FROM recording_gaps WHERE camera_id = ? AND status = 'open' AND cause = ? "
                + "ORDER BY start_time, id")
        .bind(0, cameraId)
        .bind(1, cause.dbValue())
        .setMaxRows(1)
        .map(MAPPER)
        .findFirst());
  }

  @Override
  public List<RecordingGap> openOverlapping(String cameraId, Instant from, Instant to) {
    return db.read(h -> h.createQuery(
            "SELECT * FROM recording_gaps WHERE camera_id = ? AND status = 'open' AND start_time < ? AND end_time > ? "
                + "ORDER BY start_time, id")
        .bind(0, cameraId)
        .bind(1, Sql.ms(to))
        .bind(2, Sql.ms(from))
        .map(MAPPER)
        .list());
  }

  @Override
  public List<RecordingGap> list(String cameraId, Optional<GapStatus> status) {
    return db.read(h -> h.createQuery(
            "SELECT * FROM recording_gaps WHERE camera_id = ? AND (? IS NULL OR status = ?) ORDER BY start_time, id")
        .bind(0, cameraId)
        .bind(1, status.map(GapStatus::dbValue).orElse(null))
        .bind(2, status.map(GapStatus::dbValue).orElse(null))
        .map(MAPPER)
        .list());
  }

  @Override
  public List<RecordingGap> overlapping(String cameraId, Instant from, Instant to) {
    return db.read(h -> h.createQuery(
            "SELECT * FROM recording_gaps WHERE camera_id = ? AND start_time < ? AND end_time > ? ORDER BY start_time, id")
        .bind(0, cameraId)
        .bind(1, Sql.ms(to))
        .bind(2, Sql.ms(from))
        .map(MAPPER)
        .list());
  }

  @Override
  public boolean delete(long id) {
    return db.write(h ->
        h.createUpdate("DELETE FROM recording_gaps WHERE id = ?").bind(0, id).execute() == 1);
  }

  @Override
  public Optional<RecordingGap> find(long id) {
    return db.read(h -> h.createQuery("SELECT * FROM recording_gaps WHERE id = ?")
        .bind(0, id)
        .map(MAPPER)
        .findOne());
  }
}
