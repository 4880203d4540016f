package io.heldar.store.postgres.internal;

import io.heldar.core.store.LeaseLostException;
import io.heldar.core.store.LeaseStore;
import io.heldar.store.jdbi.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link LeaseStore} on PostgreSQL: every time is {@code clock_timestamp()} and every change one
 * atomic statement, committed on its own ({@link Database#writeAlone}): a node's heartbeat and
 * renewals never wait behind another node's data transaction. {@link #fence} alone runs inside the
 * caller's write transaction.
 */
public final class PostgresLeaseStore implements LeaseStore {
  private final Database db;

  /** Creates the lease store on {@code db}. */
  public PostgresLeaseStore(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getTimestamp(column).toInstant();
  }

  private static Lease lease(ResultSet rs) throws SQLException {
    return new Lease(
        rs.getString("camera_id"),
        Duty.valueOf(rs.getString("duty").toUpperCase(java.util.Locale.ROOT)),
        rs.getString("node_id"),
        rs.getLong("epoch"),
        instant(rs, "expires_at"));
  }

  private static long ms(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("lease duration must be positive: " + ttl);
    }
    return ttl.toMillis();
  }

  @Override
  public Instant databaseNow() {
    return db.read(h ->
        h.createQuery("SELECT clock_timestamp()").mapTo(Timestamp.class).one().toInstant());
  }

  @Override
  public void heartbeat(String nodeId, int capacity) {
    heartbeat(nodeId, capacity, true);
  }

  @Override
  public void heartbeat(String nodeId, int capacity, boolean capturing) {
    db.writeAlone(h -> h.createUpdate(
            "INSERT INTO heldar_nodes (node_id, capacity, started_at, heartbeat_at, capturing) "
                + "VALUES (:node, :capacity, clock_timestamp(), clock_timestamp(), :capturing) "
                + "ON CONFLICT (node_id) DO UPDATE SET capacity = excluded.capacity, "
                + "heartbeat_at = excluded.heartbeat_at, capturing = excluded.capturing")
        .bind("node", nodeId)
        .bind("capacity", capacity)
        .bind("capturing", capturing)
        .execute());
  }

  @Override
  public void leave(String nodeId) {
    db.writeAlone(h -> h.createUpdate("DELETE FROM heldar_nodes WHERE node_id = :node")
        .bind("node", nodeId)
        .execute());
  }

  @Override
  public List<Node> nodes() {
    return db.read(h -> h.createQuery(
            "SELECT node_id, capacity, heartbeat_at, capturing FROM heldar_nodes ORDER BY node_id")
        .map((rs, ctx) -> new Node(
            rs.getString(1), rs.getInt(2), rs.getTimestamp(3).toInstant(), rs.getBoolean(4)))
        .list());
  }

  @Override
  public Optional<Lease> claim(String cameraId, Duty duty, String nodeId, Duration ttl) {
    return claimAll(List.of(new Claim(cameraId, duty)), nodeId, ttl).stream().findFirst();
  }

  @Override
  public List<Lease> claimAll(Collection<Claim> claims, String nodeId, Duration ttl) {
    if (claims.isEmpty()) {
      return List.of();
    }
    long ttlMs = ms(ttl);
    List<String> cams = new ArrayList<>();
    List<String> duties = new ArrayList<>();
    for (Claim c : sorted(claims, Claim::cameraId, Claim::duty)) {
      cams.add(c.cameraId());
      duties.add(c.duty().dbValue());
    }
    // One statement, per row: free → epoch 1; expired, or another node's and expired → epoch + 1;
    // this node's and unexpired → same epoch, extended; another node's and unexpired → no row.
    return db.writeAlone(h -> h.createQuery(
            "INSERT INTO camera_leases AS l (camera_id, duty, node_id, epoch, acquired_at, expires_at) "
                + "SELECT r.camera_id, r.duty, :node, 1, clock_timestamp(), "
                + "  clock_timestamp() + :ttl * interval '1 millisecond' "
                + "FROM unnest(:cams, :duties) AS r(camera_id, duty) ORDER BY r.camera_id, r.duty "
                + "ON CONFLICT (camera_id, duty) DO UPDATE SET "
                + "  epoch = CASE WHEN l.node_id = excluded.node_id AND l.expires_at > clock_timestamp() "
                + "    THEN l.epoch ELSE l.epoch + 1 END, "
                + "  acquired_at = CASE WHEN l.node_id = excluded.node_id AND l.expires_at > clock_timestamp() "
                + "    THEN l.acquired_at ELSE excluded.acquired_at END, "
                + "  node_id = excluded.node_id, expires_at = excluded.expires_at "
                + "WHERE l.expires_at <= clock_timestamp() OR l.node_id = excluded.node_id "
                + "RETURNING camera_id, duty, node_id, epoch, expires_at")
        .bind("node", nodeId)
        .bind("ttl", ttlMs)
        .bindArray("cams", String.class, cams)
        .bindArray("duties", String.class, duties)
        .map((rs, ctx) -> lease(rs))
        .list());
  }

  @Override
  public boolean renew(Lease lease, Duration ttl) {
    long ttlMs = ms(ttl);
    return db.writeAlone(h -> h.createUpdate(
                "UPDATE camera_leases SET expires_at = clock_timestamp() + :ttl * interval '1 millisecond' "
                    + "WHERE camera_id = :cam AND duty = :duty AND node_id = :node AND epoch = :epoch "
                    + "AND expires_at > clock_timestamp()")
            .bind("ttl", ttlMs)
            .bind("cam", lease.cameraId())
            .bind("duty", lease.duty().dbValue())
            .bind("node", lease.nodeId())
            .bind("epoch", lease.epoch())
            .execute())
        == 1;
  }

  @Override
  public List<Lease> renewAll(Collection<Lease> leases, Duration ttl) {
    long ttlMs = ms(ttl);
    if (leases.isEmpty()) {
      return List.of();
    }
    String node = leases.iterator().next().nodeId();
    List<String> cams = new ArrayList<>();
    List<String> duties = new ArrayList<>();
    List<Long> epochs = new ArrayList<>();
    for (Lease l : sorted(leases, Lease::cameraId, Lease::duty)) {
      if (!l.nodeId().equals(node)) {
        throw new IllegalArgumentException("leases of several nodes: " + node + ", " + l.nodeId());
      }
      cams.add(l.cameraId());
      duties.add(l.duty().dbValue());
      epochs.add(l.epoch());
    }
    // Rows are locked in (camera, duty) order, as every set statement here locks them: two of
    // them (this node's claim scan and renewal, or two nodes' claims) never deadlock.
    return db.writeAlone(
        h -> h.createQuery("WITH mine AS (SELECT l.camera_id, l.duty FROM camera_leases l "
                + "JOIN unnest(:cams, :duties, :epochs) AS r(camera_id, duty, epoch) "
                + "ON l.camera_id = r.camera_id AND l.duty = r.duty AND l.epoch = r.epoch "
                + "WHERE l.node_id = :node ORDER BY l.camera_id, l.duty FOR UPDATE OF l) "
                + "UPDATE camera_leases AS l SET expires_at = clock_timestamp() + :ttl * interval '1 millisecond' "
                + "FROM mine WHERE l.camera_id = mine.camera_id AND l.duty = mine.duty "
                + "AND l.node_id = :node AND l.expires_at > clock_timestamp() "
                + "RETURNING l.camera_id, l.duty, l.node_id, l.epoch, l.expires_at")
            .bind("ttl", ttlMs)
            .bindArray("cams", String.class, cams)
            .bindArray("duties", String.class, duties)
            .bindArray("epochs", Long.class, epochs)
            .bind("node", node)
            .map((rs, ctx) -> lease(rs))
            .list());
  }

  /** {@code items} in (camera, duty) order: the order every set statement locks rows in. */
  private static <T> List<T> sorted(
      Collection<T> items,
      java.util.function.Function<T, String> camera,
      java.util.function.Function<T, Duty> duty) {
    List<T> out = new ArrayList<>(items);
    out.sort(
        java.util.Comparator.comparing(camera).thenComparing(t -> duty.apply(t).dbValue()));
    return out;
  }

  @Override
  public <T> T fenced(Lease lease, Supplier<T> work) {
    Objects.requireNonNull(lease, "lease");
    return db.guarded(() -> fence(lease), work);
  }

  @Override
  public <T> T fencedAll(Collection<Lease> leases, Supplier<T> work) {
    // In (camera, duty) order, like the set statements: a group commit never deadlocks a renewal.
    List<Lease> all = sorted(leases, Lease::cameraId, Lease::duty);
    return db.guarded(() -> all.forEach(this::fence), work);
  }

  @Override
  public void release(Lease lease) {
    db.writeAlone(h -> h.createUpdate("UPDATE camera_leases SET expires_at = clock_timestamp() "
            + "WHERE camera_id = :cam AND duty = :duty AND node_id = :node AND epoch = :epoch "
            + "AND expires_at > clock_timestamp()")
        .bind("cam", lease.cameraId())
        .bind("duty", lease.duty().dbValue())
        .bind("node", lease.nodeId())
        .bind("epoch", lease.epoch())
        .execute());
  }

  @Override
  public void releaseAll(Collection<Lease> leases) {
    if (leases.isEmpty()) {
      return;
    }
    List<String> cams = new ArrayList<>();
    List<String> duties = new ArrayList<>();
    List<String> nodes = new ArrayList<>();
    List<Long> epochs = new ArrayList<>();
    for (Lease l : sorted(leases, Lease::cameraId, Lease::duty)) {
      cams.add(l.cameraId());
      duties.add(l.duty().dbValue());
      nodes.add(l.nodeId());
      epochs.add(l.epoch());
    }
    db.writeAlone(
        h -> h.createUpdate("WITH mine AS (SELECT l.camera_id, l.duty FROM camera_leases l "
                + "JOIN unnest(:cams, :duties, :nodes, :epochs) AS r(camera_id, duty, node_id, epoch) "
                + "ON l.camera_id = r.camera_id AND l.duty = r.duty AND l.node_id = r.node_id "
                + "AND l.epoch = r.epoch ORDER BY l.camera_id, l.duty FOR UPDATE OF l) "
                + "UPDATE camera_leases AS l SET expires_at = clock_timestamp() FROM mine "
                + "WHERE l.camera_id = mine.camera_id AND l.duty = mine.duty "
                + "AND l.expires_at > clock_timestamp()")
            .bindArray("cams", String.class, cams)
            .bindArray("duties", String.class, duties)
            .bindArray("nodes", String.class, nodes)
            .bindArray("epochs", Long.class, epochs)
            .execute());
  }

  @Override
  public List<Lease> leases() {
    return db.read(h -> h.createQuery(
            "SELECT camera_id, duty, node_id, epoch, expires_at FROM camera_leases ORDER BY camera_id, duty")
        .map((rs, ctx) -> lease(rs))
        .list());
  }

  @Override
  public void fence(Lease lease) {
    db.write(h -> {
      // FOR SHARE: a takeover's UPDATE of this row waits until the caller's transaction ends.
      Optional<String> lost = h.createQuery(
              "SELECT node_id, epoch, expires_at > clock_timestamp() AS valid FROM camera_leases "
                  + "WHERE camera_id = :cam AND duty = :duty FOR SHARE")
          .bind("cam", lease.cameraId())
          .bind("duty", lease.duty().dbValue())
          .map((rs, ctx) -> {
            if (!rs.getString("node_id").equals(lease.nodeId())) {
              return Optional.of(
                  "held by node " + rs.getString("node_id") + " at epoch " + rs.getLong("epoch"));
            }
            if (rs.getLong("epoch") != lease.epoch()) {
              return Optional.of("epoch is now " + rs.getLong("epoch"));
            }
            return rs.getBoolean("valid") ? Optional.<String>empty() : Optional.of("expired");
          })
          .findOne()
          .orElse(Optional.of("no lease row"));
      lost.ifPresent(reason -> {
        throw new LeaseLostException(lease, reason);
      });
      return null;
    });
  }

  @Override
  public boolean unheld(String cameraId, Duty duty) {
    return db.write(
        h -> h.createQuery("SELECT expires_at > clock_timestamp() AS valid FROM camera_leases "
                + "WHERE camera_id = :cam AND duty = :duty FOR SHARE")
            .bind("cam", cameraId)
            .bind("duty", duty.dbValue())
            .mapTo(Boolean.class)
            .findOne()
            .map(valid -> !valid)
            .orElse(true));
  }
}
