package io.heldar.store.jdbi.internal;

import io.heldar.core.model.UnreadableFile;
import io.heldar.core.store.UnreadableFileStore;
import io.heldar.store.jdbi.Database;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link UnreadableFileStore} on any {@link io.heldar.store.jdbi.SqlDialect}. */
public final class JdbiUnreadableFileStore implements UnreadableFileStore {
  private static final RowMapper<UnreadableFile> MAPPER = (rs, ctx) -> new UnreadableFile(
      rs.getString("camera_id"),
      rs.getString("path"),
      rs.getLong("size_bytes"),
      Sql.instant(rs, "file_mtime"),
      rs.getString("reason"),
      Sql.instant(rs, "detected_at"));

  private final Database db;

  /** Creates the store on {@code db}. */
  public JdbiUnreadableFileStore(Database db) {
    this.db = db;
  }

  @Override
  public void put(UnreadableFile f) {
    db.write(h -> h.createUpdate(
            "INSERT INTO unreadable_files (path, camera_id, size_bytes, file_mtime, reason, detected_at) "
                + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET size_bytes = excluded.size_bytes, "
                + "file_mtime = excluded.file_mtime, reason = excluded.reason, detected_at = excluded.detected_at")
        .bind(0, f.path())
        .bind(1, f.cameraId())
        .bind(2, f.sizeBytes())
        .bind(3, Sql.ms(f.fileModified()))
        .bind(4, f.reason())
        .bind(5, Sql.ms(f.detectedAt()))
        .execute());
  }

  @Override
  public void remove(String path) {
    db.write(h -> h.createUpdate("DELETE FROM unreadable_files WHERE path = ?")
        .bind(0, path)
        .execute());
  }

  @Override
  public Map<String, UnreadableFile> among(Collection<String> paths) {
    Map<String, UnreadableFile> map = new HashMap<>();
    if (paths.isEmpty()) {
      return map;
    }
    List<String> all = new ArrayList<>(paths);
    db.read(h -> {
      for (int i = 0; i < all.size(); i += Sql.IN_CHUNK) {
        List<String> chunk = all.subList(i, Math.min(all.size(), i + Sql.IN_CHUNK));
        Jdbc.list(
                h,
                "SELECT * FROM unreadable_files WHERE path IN (" + Jdbc.marks(chunk.size()) + ")",
                MAPPER,
                chunk.toArray())
            .forEach(f -> map.put(f.path(), f));
      }
      return null;
    });
    return map;
  }

  @Override
  public Map<String, UnreadableFile> of(String cameraId) {
    return db.read(h -> {
      Map<String, UnreadableFile> map = new HashMap<>();
      h.createQuery("SELECT * FROM unreadable_files WHERE camera_id = ?")
          .bind(0, cameraId)
          .map(MAPPER)
          .forEach(f -> map.put(f.path(), f));
      return map;
    });
  }
}
