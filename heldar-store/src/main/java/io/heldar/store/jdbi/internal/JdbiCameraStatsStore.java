package io.heldar.store.jdbi.internal;

import io.heldar.core.model.CameraStats;
import io.heldar.core.model.Segment;
import io.heldar.core.store.CameraStatsStore;
import io.heldar.store.jdbi.Database;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link CameraStatsStore} on any {@link io.heldar.store.jdbi.SqlDialect}. */
public final class JdbiCameraStatsStore implements CameraStatsStore {
  private static final RowMapper<CameraStats> MAPPER = (rs, ctx) -> new CameraStats(
      rs.getString("camera_id"),
      Sql.optInstant(rs, "last_segment_end"),
      Sql.optDouble(rs, "bitrate_kbps"),
      Sql.optDouble(rs, "fps"),
      rs.getLong("segment_count"),
      rs.getLong("total_bytes"),
      Sql.instant(rs, "updated_at"));

  private final Database db;

  /** Creates the store on {@code db}. */
  public JdbiCameraStatsStore(Database db) {
    this.db = db;
  }

  @Override
  public CameraStats refresh(String cameraId, Instant now) {
    return db.write(h -> {
      // Bit rate from bytes over seconds of the recent segments, not an average of averages.
      h.createUpdate(
              "WITH r AS (SELECT size_bytes, duration_s, fps FROM segments WHERE camera_id = :cam "
                  + "  ORDER BY start_time DESC LIMIT " + RECENT_SEGMENTS + ") "
                  + "INSERT INTO camera_stats (camera_id, last_segment_end, bitrate_kbps, fps, segment_count, total_bytes, updated_at, max_segment_ms) "
                  + "SELECT :cam, (SELECT max(end_time) FROM segments WHERE camera_id = :cam), "
                  + "  (SELECT CASE WHEN sum(duration_s) > 0 THEN sum(size_bytes) * 8.0 / 1000.0 / sum(duration_s) END FROM r), "
                  + "  (SELECT avg(fps) FROM r), "
                  + "  (SELECT count(*) FROM segments WHERE camera_id = :cam), "
                  + "  (SELECT coalesce(sum(size_bytes), 0) FROM segments WHERE camera_id = :cam), :now, "
                  + "  (SELECT max(end_time - start_time) FROM segments WHERE camera_id = :cam) "
                  + "WHERE true "
                  + "ON CONFLICT (camera_id) DO UPDATE SET last_segment_end = excluded.last_segment_end, "
                  + "  bitrate_kbps = excluded.bitrate_kbps, fps = excluded.fps, segment_count = excluded.segment_count, "
                  + "  total_bytes = excluded.total_bytes, updated_at = excluded.updated_at, max_segment_ms = excluded.max_segment_ms")
          .bind("cam", cameraId)
          .bind("now", Sql.ms(now))
          .execute();
      return find(cameraId).orElseThrow(); // joins this write transaction
    });
  }

  @Override
  public CameraStats addIndexed(String cameraId, List<Segment> added, Instant now) {
    if (added.isEmpty()) {
      return find(cameraId).orElseGet(() -> refresh(cameraId, now));
    }
    long bytes = 0;
    long lastEnd = Long.MIN_VALUE;
    for (Segment s : added) {
      bytes += s.sizeBytes();
      lastEnd = Math.max(lastEnd, Sql.ms(s.end()));
    }
    long count = added.size();
    long end = lastEnd;
    long sum = bytes;
    return db.write(h -> {
      if (find(cameraId).isEmpty()) {
        return refresh(cameraId, now); // first time: count what is there
      }
      // max_segment_ms is not touched here: segments().insertAll keeps it, in the same transaction.
      h.createUpdate(
              "WITH r AS (SELECT size_bytes, duration_s, fps FROM segments WHERE camera_id = :cam "
                  + "  ORDER BY start_time DESC LIMIT " + RECENT_SEGMENTS + ") "
                  + "UPDATE camera_stats SET segment_count = segment_count + :n, total_bytes = total_bytes + :bytes, "
                  + "  last_segment_end = CASE WHEN last_segment_end IS NULL OR last_segment_end < :end THEN :end ELSE last_segment_end END, "
                  + "  bitrate_kbps = (SELECT CASE WHEN sum(duration_s) > 0 THEN sum(size_bytes) * 8.0 / 1000.0 / sum(duration_s) END FROM r), "
                  + "  fps = (SELECT avg(fps) FROM r), updated_at = :now "
                  + "WHERE camera_id = :cam")
          .bind("cam", cameraId)
          .bind("n", count)
          .bind("bytes", sum)
          .bind("end", end)
          .bind("now", Sql.ms(now))
          .execute();
      return find(cameraId).orElseThrow(); // joins this write transaction
    });
  }

  @Override
  public Optional<CameraStats> find(String cameraId) {
    return db.read(h -> h.createQuery("SELECT * FROM camera_stats WHERE camera_id = ?")
        .bind(0, cameraId)
        .map(MAPPER)
        .findOne());
  }
}
