package io.heldar.store.jdbi.internal;

import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.StoredEvent;
import io.heldar.core.model.Severity;
import io.heldar.core.store.EventStore;
import io.heldar.store.jdbi.Database;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link EventStore}; payloads are flat JSON objects. */
public final class JdbiEventStore implements EventStore {
  private static final RowMapper<HeldarEvent> MAPPER = (rs, ctx) -> HeldarEvent.stored(
      Sql.optString(rs, "camera_id"),
      rs.getString("kind"),
      Severity.valueOf(rs.getString("severity").toUpperCase(Locale.ROOT)),
      io.heldar.core.event.EventPayloads.read(rs.getString("payload")),
      Sql.instant(rs, "created_at"));

  private final Database db;

  /** Creates the store on {@code db}. */
  public JdbiEventStore(Database db) {
    this.db = db;
  }

  @Override
  public long append(HeldarEvent event) {
    return db.write(h -> h.createUpdate(
            "INSERT INTO events (camera_id, kind, severity, payload, created_at) VALUES (?, ?, ?, "
                + db.dialect().jsonParameter() + ", ?)")
        .bind(0, event.cameraId().orElse(null))
        .bind(1, event.kind())
        .bind(2, event.severity().name().toLowerCase(Locale.ROOT))
        .bind(3, io.heldar.core.event.EventPayloads.write(event.payload()))
        .bind(4, Sql.ms(event.createdAt()))
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one());
  }

  @Override
  public List<HeldarEvent> recent(Optional<String> cameraId, Optional<String> kind, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative");
    }
    return db.read(h -> h.createQuery(
            "SELECT * FROM events WHERE (:cam IS NULL OR camera_id = :cam) AND (:kind IS NULL OR kind = :kind) "
                + "ORDER BY id DESC LIMIT :limit")
        .bind("cam", cameraId.orElse(null))
        .bind("kind", kind.orElse(null))
        .bind("limit", limit)
        .map(MAPPER)
        .list());
  }

  /** The most events one {@link #after} call returns. */
  public static final int MAX_PAGE = 10_000;

  @Override
  public List<StoredEvent> after(long afterId, Optional<String> cameraId, int limit) {
    if (limit < 0 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 0.." + MAX_PAGE + ": " + limit);
    }
    return db.read(h -> h.createQuery(
            "SELECT * FROM events WHERE id > :after AND (:cam IS NULL OR camera_id = :cam) "
                + "ORDER BY id LIMIT :limit")
        .bind("after", afterId)
        .bind("cam", cameraId.orElse(null))
        .bind("limit", limit)
        .map((rs, ctx) -> new StoredEvent(rs.getLong("id"), MAPPER.map(rs, ctx)))
        .list());
  }

  @Override
  public List<StoredEvent> before(long beforeId, Optional<String> cameraId, int limit) {
    if (limit < 0 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 0.." + MAX_PAGE + ": " + limit);
    }
    return db.read(h -> h.createQuery(
            "SELECT * FROM events WHERE id < :before AND (:cam IS NULL OR camera_id = :cam) "
                + "ORDER BY id DESC LIMIT :limit")
        .bind("before", beforeId)
        .bind("cam", cameraId.orElse(null))
        .bind("limit", limit)
        .map((rs, ctx) -> new StoredEvent(rs.getLong("id"), MAPPER.map(rs, ctx)))
        .list());
  }

  @Override
  public int deleteOlderThan(Instant cutoff, int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    return db.write(h -> h.createUpdate(
            "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE created_at < :cutoff "
                + "ORDER BY created_at, id LIMIT :limit)")
        .bind("cutoff", Sql.ms(cutoff))
        .bind("limit", limit)
        .execute());
  }

  @Override
  public long count(Optional<String> cameraId, String kind) {
    return db.read(h -> h.createQuery(
            "SELECT count(*) FROM events WHERE kind = :kind AND (:cam IS NULL OR camera_id = :cam)")
        .bind("cam", cameraId.orElse(null))
        .bind("kind", kind)
        .mapTo(Long.class)
        .one());
  }
}
