package io.heldar.store.jdbi.internal;

import io.heldar.core.model.SlotSnapshot;
import io.heldar.core.model.Snapshot;
import io.heldar.core.store.SnapshotStore;
import io.heldar.store.jdbi.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

/** {@link SnapshotStore} on any {@link io.heldar.store.jdbi.SqlDialect}. */
public final class JdbiSnapshotStore implements SnapshotStore {
  private static final RowMapper<Snapshot> MAPPER = (rs, ctx) -> new Snapshot(
      rs.getString("camera_id"),
      Sql.optLong(rs, "schedule_id"),
      rs.getString("path"),
      Sql.instant(rs, "taken_at"),
      rs.getLong("size_bytes"),
      Sql.instant(rs, "created_at"));

  private final Database db;
  /** {@link #MAPPER} mapping an invalid row to {@code null} (dropped) and remembering it. */
  private final RowMapper<Snapshot> rows;

  /** Creates the store on {@code db}. */
  public JdbiSnapshotStore(Database db, InvalidRows invalidRows) {
    this.db = db;
    this.rows = invalidRows.tolerant("snapshots", MAPPER);
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
    db.write(h -> {
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
      int[] counts = batch.execute();
      Buckets.snapshots(h, snapshots, 1);
      return counts;
    });
  }

  @Override
  public List<SlotSnapshot> insertForSlots(Collection<SlotSnapshot> captures) {
    if (captures.isEmpty()) {
      return List.of();
    }
    return db.write(h -> {
      List<SlotSnapshot> refused = new ArrayList<>();
      List<Snapshot> inserted = new ArrayList<>();
      List<SlotSnapshot> all = new ArrayList<>(captures);
      // One statement, prepared once, run as a batch; its counts say which slots were free.
      try (java.sql.PreparedStatement ps = h.getConnection()
          .prepareStatement(
              "INSERT INTO snapshots (camera_id, schedule_id, path, taken_at, size_bytes, created_at, slot_at, node_id, epoch) "
                  + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (schedule_id, slot_at) DO NOTHING")) {
        for (SlotSnapshot c : all) {
          Snapshot s = c.snapshot();
          ps.setString(1, s.cameraId());
          ps.setLong(2, c.scheduleId());
          ps.setString(3, s.path());
          ps.setLong(4, Sql.ms(s.takenAt()));
          ps.setLong(5, s.sizeBytes());
          ps.setLong(6, Sql.ms(s.createdAt()));
          ps.setLong(7, Sql.ms(c.slot()));
          Jdbc.setText(ps, 8, c.nodeId());
          ps.setLong(9, c.epoch());
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        for (int i = 0; i < all.size(); i++) {
          // SUCCESS_NO_INFO (a driver that rewrote the batch) cannot say: ask the row itself.
          if (counts[i] == 1
              || (counts[i] == java.sql.Statement.SUCCESS_NO_INFO && ownsSlot(h, all.get(i)))) {
            inserted.add(all.get(i).snapshot());
          } else {
            refused.add(all.get(i));
          }
        }
      } catch (java.sql.SQLException e) {
        throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(
            "insert of " + all.size() + " snapshots failed: " + e.getMessage(), e, null);
      }
      Buckets.snapshots(h, inserted, 1);
      return refused;
    });
  }

  private static boolean ownsSlot(org.jdbi.v3.core.Handle h, SlotSnapshot c) {
    return h.createQuery("SELECT path FROM snapshots WHERE schedule_id = ? AND slot_at = ?")
        .bind(0, c.scheduleId())
        .bind(1, Sql.ms(c.slot()))
        .mapTo(String.class)
        .findOne()
        .map(c.snapshot().path()::equals)
        .orElse(false);
  }

  @Override
  public Optional<SlotSnapshot> forSlot(long scheduleId, Instant slot) {
    return db.read(
        h -> h.createQuery("SELECT * FROM snapshots WHERE schedule_id = ? AND slot_at = ?")
            .bind(0, scheduleId)
            .bind(1, Sql.ms(slot))
            .map((rs, ctx) -> new SlotSnapshot(
                MAPPER.map(rs, ctx),
                Sql.instant(rs, "slot_at"),
                Optional.ofNullable(rs.getString("node_id")),
                rs.getLong("epoch")))
            .findOne());
  }

  @Override
  public List<Snapshot> list(String cameraId, Instant from, Instant to) {
    return db.read(h -> h.createQuery(
            "SELECT * FROM snapshots WHERE camera_id = ? AND taken_at >= ? AND taken_at < ? ORDER BY taken_at, id")
        .bind(0, cameraId)
        .bind(1, Sql.ms(from))
        .bind(2, Sql.ms(to))
        .map(MAPPER)
        .list());
  }

  @Override
  public Optional<Snapshot> nearest(String cameraId, Instant t) {
    return db.readConsistent(h -> {
      Optional<Snapshot> before = h.createQuery(
              "SELECT * FROM snapshots WHERE camera_id = ? AND taken_at <= ? ORDER BY taken_at DESC, id DESC LIMIT 1")
          .bind(0, cameraId)
          .bind(1, Sql.ms(t))
          .map(MAPPER)
          .findOne();
      Optional<Snapshot> after = h.createQuery(
              "SELECT * FROM snapshots WHERE camera_id = ? AND taken_at > ? ORDER BY taken_at, id LIMIT 1")
          .bind(0, cameraId)
          .bind(1, Sql.ms(t))
          .map(MAPPER)
          .findOne();
      if (before.isEmpty()) {
        return after;
      }
      if (after.isEmpty()) {
        return before;
      }
      long db = Sql.ms(t) - Sql.ms(before.get().takenAt());
      long da = Sql.ms(after.get().takenAt()) - Sql.ms(t);
      return da < db ? after : before;
    });
  }

  @Override
  public List<Snapshot> takenBefore(
      String cameraId, Instant cutoff, int limit, Optional<Snapshot> after) {
    return InvalidRows.valid(db.read(h -> h.createQuery(
            "SELECT * FROM snapshots WHERE camera_id = :cam AND taken_at < :cutoff AND delete_pending = FALSE "
                + "AND taken_at >= :ct AND (taken_at > :ct OR (taken_at = :ct AND path > :cp)) ORDER BY taken_at, path LIMIT :limit")
        .bind("cam", cameraId)
        .bind("cutoff", Sql.ms(cutoff))
        .bind("ct", after.map(s -> Sql.ms(s.takenAt())).orElse(Long.MIN_VALUE))
        .bind("cp", after.map(Snapshot::path).orElse(""))
        .bind("limit", limit)
        .map(rows)
        .list()));
  }

  @Override
  public void clearDeletePending(Collection<String> paths) {
    Sql.inChunks(db, paths, (h, chunk) -> h.createUpdate(
            "UPDATE snapshots SET delete_pending = FALSE WHERE path IN (<paths>)")
        .bindList("paths", chunk)
        .execute());
  }

  @Override
  public int markDeletePending(Collection<String> paths) {
    return Sql.inChunks(db, paths, (h, chunk) -> h.createUpdate(
            "UPDATE snapshots SET delete_pending = TRUE WHERE path IN (<paths>)")
        .bindList("paths", chunk)
        .execute());
  }

  @Override
  public List<Snapshot> deletePending(int limit) {
    return InvalidRows.valid(
        db.read(h -> h.createQuery("SELECT * FROM snapshots WHERE delete_pending = TRUE LIMIT ?")
            .bind(0, limit)
            .map(rows)
            .list()));
  }

  @Override
  public int delete(Collection<String> paths) {
    return Sql.inChunks(db, paths, (h, chunk) -> {
      List<Snapshot> gone =
          InvalidRows.valid(h.createQuery("SELECT * FROM snapshots WHERE path IN (<paths>)")
              .bindList("paths", chunk)
              .map(rows)
              .list());
      Buckets.snapshots(h, gone, -1);
      return h.createUpdate("DELETE FROM snapshots WHERE path IN (<paths>)")
          .bindList("paths", chunk)
          .execute();
    });
  }

  @Override
  public Optional<Snapshot> findByPath(String path) {
    return InvalidRows.valid(db.read(h -> h.createQuery("SELECT * FROM snapshots WHERE path = ?")
            .bind(0, path)
            .map(rows)
            .list()))
        .stream()
        .findFirst();
  }

  @Override
  public List<Snapshot> all(String cameraId) {
    return InvalidRows.valid(db.read(
        h -> h.createQuery("SELECT * FROM snapshots WHERE camera_id = ? ORDER BY taken_at, id")
            .bind(0, cameraId)
            .map(rows)
            .list()));
  }
}
