package io.heldar.store.jdbi.internal;

import io.heldar.core.model.Camera;
import io.heldar.core.store.CameraInUseException;
import io.heldar.core.store.CameraStore;
import io.heldar.store.jdbi.Database;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link CameraStore} on any {@link io.heldar.store.jdbi.SqlDialect}. */
public final class JdbiCameraStore implements CameraStore {
  private static final RowMapper<Camera> MAPPER = (rs, ctx) -> new Camera(
      rs.getString("id"),
      rs.getString("name"),
      Sql.optString(rs, "source_url"),
      Sql.instant(rs, "created_at"),
      Sql.optString(rs, "recorder_name"),
      Sql.optString(rs, "edge_url"));

  private final Database db;
  private final java.time.Clock clock;

  /** Creates the store on {@code db}. */
  public JdbiCameraStore(Database db, java.time.Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public boolean add(Camera camera) {
    return db.write(h -> h.createUpdate(
                "INSERT INTO cameras (id, name, source_url, created_at, updated_at, recorder_name, edge_url) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (id) DO NOTHING")
            .bind(0, camera.id())
            .bind(1, camera.name())
            .bind(2, camera.sourceUrl().orElse(null))
            .bind(3, Sql.ms(camera.createdAt()))
            .bind(4, Sql.ms(camera.createdAt()))
            .bind(5, camera.recorderName().orElse(null))
            .bind(6, camera.edgeUrl().orElse(null))
            .execute()
        == 1);
  }

  @Override
  public boolean update(Camera camera) {
    return db.write(h -> h.createUpdate(
                "UPDATE cameras SET name = ?, source_url = ?, recorder_name = ?, edge_url = ?, updated_at = ? WHERE id = ?")
            .bind(0, camera.name())
            .bind(1, camera.sourceUrl().orElse(null))
            .bind(2, camera.recorderName().orElse(null))
            .bind(3, camera.edgeUrl().orElse(null))
            .bind(4, clock.millis())
            .bind(5, camera.id())
            .execute()
        == 1);
  }

  @Override
  public Optional<Camera> find(String id) {
    return db.read(h -> h.createQuery("SELECT * FROM cameras WHERE id = ?")
        .bind(0, id)
        .map(MAPPER)
        .findOne());
  }

  @Override
  public List<Camera> list() {
    return db.read(
        h -> h.createQuery("SELECT * FROM cameras ORDER BY id").map(MAPPER).list());
  }

  /** Tables whose rows of a camera are footage, history or configuration: they block its deletion. */
  private static final List<String> KEPT = List.of(
      "segments",
      "missing_segments",
      "recording_gaps",
      "snapshot_schedules",
      "snapshots",
      "retention_holds",
      "gap_heals");

  /** Tables whose rows of a camera are derived or diagnostic: deleted with it. */
  private static final List<String> DERIVED =
      List.of("camera_stats", "timeline_buckets", "segment_tier_totals", "unreadable_files");

  @Override
  public boolean delete(String id) {
    return db.write(h -> {
      Map<String, Long> remaining = new LinkedHashMap<>();
      for (String table : KEPT) {
        long n = h.createQuery("SELECT count(*) FROM " + table + " WHERE camera_id = ?")
            .bind(0, id)
            .mapTo(Long.class)
            .one();
        if (n > 0) {
          remaining.put(table, n);
        }
      }
      if (!remaining.isEmpty()) {
        throw new CameraInUseException(id, remaining);
      }
      for (String table : DERIVED) {
        h.createUpdate("DELETE FROM " + table + " WHERE camera_id = ?")
            .bind(0, id)
            .execute();
      }
      return h.createUpdate("DELETE FROM cameras WHERE id = ?").bind(0, id).execute() == 1;
    });
  }
}
