package io.heldar.core.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Leases for cluster mode: which node does which duty for which camera, for how long, at which
 * epoch. Every time is the database's clock, never a node's. A store that can host several nodes
 * offers one through {@link HeldarStore#leases()} (PostgreSQL); a single-node store does not
 * (SQLite).
 *
 * <p>The guarantees: at most one node holds an unexpired lease per (camera, duty); each takeover
 * raises the epoch; a node that lost its lease can neither renew it nor pass {@link #fence} — and
 * {@link #fence} inside a write transaction makes that transaction roll back instead of committing
 * rows for a camera the node no longer owns.
 */
public interface LeaseStore {
  /** What a lease lets its node do for a camera. */
  enum Duty {
    /** Indexing, gaps, retention: needs the camera's directory. */
    FILES,
    /** Snapshots: needs the camera on the network. */
    CAPTURE;

    /** The {@code camera_leases.duty} value. */
    public String dbValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A held lease.
   *
   * @param cameraId the camera
   * @param duty the duty
   * @param nodeId the node holding it
   * @param epoch raised by one at each takeover; never decreases
   * @param expiresAt when it expires, on the database's clock
   */
  record Lease(String cameraId, Duty duty, String nodeId, long epoch, Instant expiresAt) {
    /** Validates. */
    public Lease {
      Objects.requireNonNull(cameraId, "cameraId");
      Objects.requireNonNull(duty, "duty");
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(expiresAt, "expiresAt");
      if (epoch < 1) {
        throw new IllegalArgumentException("epoch must be positive: " + epoch);
      }
    }
  }

  /**
   * A node as the database last heard of it.
   *
   * @param nodeId the node
   * @param capacity how many cameras it takes at most
   * @param heartbeatAt its last heartbeat, on the database's clock
   * @param capturing whether it takes capture leases (false while its clock is off the database's:
   *     the other nodes then share the cameras without it)
   */
  record Node(String nodeId, int capacity, Instant heartbeatAt, boolean capturing) {
    /** A node that captures. */
    public Node(String nodeId, int capacity, Instant heartbeatAt) {
      this(nodeId, capacity, heartbeatAt, true);
    }
  }

  /**
   * A lease to claim.
   *
   * @param cameraId the camera
   * @param duty the duty
   */
  record Claim(String cameraId, Duty duty) {
    /** Validates. */
    public Claim {
      Objects.requireNonNull(cameraId, "cameraId");
      Objects.requireNonNull(duty, "duty");
    }
  }

  /** The database's clock now. */
  Instant databaseNow();

  /** Records that {@code nodeId} is alive now (the database's clock), capturing. */
  void heartbeat(String nodeId, int capacity);

  /**
   * Records that {@code nodeId} is alive now and whether it takes capture leases. The default
   * records a node that captures (a store without the column).
   */
  default void heartbeat(String nodeId, int capacity, boolean capturing) {
    heartbeat(nodeId, capacity);
  }

  /**
   * Takes {@code nodeId} out of {@link #nodes()} (graceful stop, after releasing its leases): the
   * other nodes count one node fewer at their next claim scan instead of one lease later.
   */
  void leave(String nodeId);

  /** Every node that beat and has not left, by id. */
  List<Node> nodes();

  /**
   * Takes the lease of (camera, duty) for {@code ttl} when it is free, expired, or already this
   * node's: the epoch stays when this node renews an unexpired lease of its own and rises by one
   * otherwise. Empty when another node holds it unexpired.
   */
  Optional<Lease> claim(String cameraId, Duty duty, String nodeId, Duration ttl);

  /**
   * {@link #claim} for each of {@code claims} (distinct), in as few statements as the store can:
   * a node's claim traffic grows with the cameras it takes at once, not with a statement each.
   * Returns the leases taken; the others are held by another node. The default claims one by one.
   */
  default List<Lease> claimAll(Collection<Claim> claims, String nodeId, Duration ttl) {
    List<Lease> taken = new java.util.ArrayList<>();
    for (Claim c : claims) {
      claim(c.cameraId(), c.duty(), nodeId, ttl).ifPresent(taken::add);
    }
    return taken;
  }

  /** Extends {@code lease} by {@code ttl} from now; false when it expired or another node took it. */
  boolean renew(Lease lease, Duration ttl);

  /**
   * Renews every lease of {@code leases} (all of one node) in one statement: each by {@code ttl}
   * from now, unless it expired or another node took it. Returns the renewed leases with their new
   * expiry; the missing ones are lost.
   */
  List<Lease> renewAll(Collection<Lease> leases, Duration ttl);

  /** Gives {@code lease} up at once (graceful stop): the next claim takes it, one epoch higher. */
  void release(Lease lease);

  /**
   * {@link #release} for each of {@code leases}, in as few statements as the store can. The
   * default releases one by one.
   */
  default void releaseAll(Collection<Lease> leases) {
    leases.forEach(this::release);
  }

  /** Every lease row, expired or not. */
  List<Lease> leases();

  /**
   * Inside the caller's write transaction: locks the lease row and checks this node still holds it,
   * unexpired, at its epoch.
   *
   * @throws LeaseLostException when it does not; the caller's transaction must roll back
   */
  void fence(Lease lease);

  /**
   * Inside the caller's write transaction: whether no node holds the camera's {@code duty} lease
   * now (no row, or expired on the database's clock). A row that exists is locked as by {@link
   * #fence} until the transaction ends, so a claim of it waits: for writes on behalf of a camera
   * nobody owns (a {@code node_down} gap) that must not land after its owner is back.
   */
  boolean unheld(String cameraId, Duty duty);

  /**
   * Runs {@code work} with every write transaction the calling thread makes inside it fenced by
   * {@code lease}: each first calls {@link #fence} in the same transaction, so a write for a camera
   * this node no longer holds rolls back whole. A transaction already open on the thread is fenced
   * at once. Reads and other threads are not affected.
   *
   * @throws LeaseLostException from the first write that finds the lease lost
   */
  <T> T fenced(Lease lease, Supplier<T> work);

  /** {@link #fenced(Lease, Supplier)} for several leases: each write transaction fences every one. */
  <T> T fencedAll(Collection<Lease> leases, Supplier<T> work);
}
