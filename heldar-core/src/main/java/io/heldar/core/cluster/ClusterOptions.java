package io.heldar.core.cluster;

import io.heldar.core.internal.Checks;
import io.heldar.core.model.Camera;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * How one node of a cluster takes part: its id, the lease timings, its capacity and the cameras
 * pinned to nodes. Immutable, every value checked once, here; start from {@link #forNode(String)}
 * or {@link #builder()}, change one value with {@link #from(ClusterOptions)}, and pass it to {@code
 * Heldar.builder().cluster(…)}. Cluster mode needs a store with leases (PostgreSQL).
 *
 * <p>The defaults give a crash failover of about {@code lease + claimInterval} (≈ 11 s): a dead
 * node's leases expire one lease after its last renewal and the next claim scan of a live node
 * takes them.
 *
 * @param nodeId this node's id: 1 to 64 of {@code A-Z a-z 0-9 . _ -}, unique in the cluster
 * @param lease how long a lease lasts after each renewal (default 10 s)
 * @param renewInterval how often held leases are renewed (default 3 s); less than {@code lease −
 *     safetyMargin}
 * @param claimInterval how often the node heartbeats and looks for leases to take or give (default
 *     1 s)
 * @param safetyMargin the node stops starting work for a camera once its last successful renewal
 *     is older than {@code lease − safetyMargin}, so it gives up before another node can take over
 *     (default 2 s)
 * @param capacity the most cameras (per duty) this node takes (default {@value #DEFAULT_CAPACITY})
 * @param pins camera id → the node that must do both its duties (the node holding its storage);
 *     unpinned cameras balance to {@code ceil(cameras / live nodes)} per node
 */
public record ClusterOptions(
    String nodeId,
    Duration lease,
    Duration renewInterval,
    Duration claimInterval,
    Duration safetyMargin,
    int capacity,
    Map<String, String> pins) {
  /** Lease length: 10 s. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);
  /** Renewal period: 3 s. */
  public static final Duration DEFAULT_RENEW_INTERVAL = Duration.ofSeconds(3);
  /** Claim-scan period: 1 s. */
  public static final Duration DEFAULT_CLAIM_INTERVAL = Duration.ofSeconds(1);
  /** Stop starting work this long before the lease could expire: 2 s. */
  public static final Duration DEFAULT_SAFETY_MARGIN = Duration.ofSeconds(2);
  /** Cameras per duty a node takes at most. */
  public static final int DEFAULT_CAPACITY = 10_000;

  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** Checks every value, with the value in the message. */
  public ClusterOptions {
    checkNodeId(nodeId);
    Checks.positive("lease", lease);
    Checks.positive("renew interval", renewInterval);
    Checks.positive("claim interval", claimInterval);
    Checks.positive("safety margin", safetyMargin);
    Checks.inRange("capacity", capacity, 1, Integer.MAX_VALUE);
    if (safetyMargin.compareTo(lease) >= 0) {
      throw new IllegalArgumentException(
          "safety margin must be shorter than the lease: " + safetyMargin + " ≥ " + lease);
    }
    if (renewInterval.compareTo(lease.minus(safetyMargin)) >= 0) {
      throw new IllegalArgumentException(
          "renew interval must be shorter than lease − safety margin (" + lease.minus(safetyMargin)
              + "): " + renewInterval);
    }
    Objects.requireNonNull(pins, "pins");
    TreeMap<String, String> copy = new TreeMap<>();
    pins.forEach((camera, node) -> copy.put(Camera.requireValidId(camera), checkNodeId(node)));
    pins = java.util.Collections.unmodifiableMap(copy);
  }

  private static String checkNodeId(String id) {
    if (id == null || !NODE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("node id must be 1 to 64 of A-Z a-z 0-9 . _ -: "
          + (id == null ? "null" : "'" + id + "'"));
    }
    return id;
  }

  /** Every default, for {@code nodeId}. */
  public static ClusterOptions forNode(String nodeId) {
    return builder().nodeId(nodeId).build();
  }

  /** A generated node id: {@code node-} and 8 random hex digits (a new one per call). */
  public static String generatedNodeId() {
    return "node-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A builder with every default; the node id defaults to {@link #generatedNodeId()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding {@code existing}'s values, to change some of them. */
  public static Builder from(ClusterOptions existing) {
    Builder b = new Builder();
    b.nodeId = existing.nodeId;
    b.lease = existing.lease;
    b.renewInterval = existing.renewInterval;
    b.claimInterval = existing.claimInterval;
    b.safetyMargin = existing.safetyMargin;
    b.capacity = existing.capacity;
    b.pins.putAll(existing.pins);
    return b;
  }

  /** Where {@code cameraId} is pinned, if it is. */
  public java.util.Optional<String> pinOf(String cameraId) {
    return java.util.Optional.ofNullable(pins.get(cameraId));
  }

  /** The largest clock offset from the database a node captures with: a quarter of the lease. */
  public Duration maxClockSkew() {
    return lease.dividedBy(4);
  }

  /** Builds {@link ClusterOptions}; {@link #build()} checks the values together. */
  public static final class Builder {
    private String nodeId = generatedNodeId();
    private Duration lease = DEFAULT_LEASE;
    private Duration renewInterval = DEFAULT_RENEW_INTERVAL;
    private Duration claimInterval = DEFAULT_CLAIM_INTERVAL;
    private Duration safetyMargin = DEFAULT_SAFETY_MARGIN;
    private int capacity = DEFAULT_CAPACITY;
    private final Map<String, String> pins = new TreeMap<>();

    private Builder() {}

    /** This node's id. */
    public Builder nodeId(String nodeId) {
      this.nodeId = checkNodeId(nodeId);
      return this;
    }

    /** See {@link #DEFAULT_LEASE}. */
    public Builder lease(Duration lease) {
      this.lease = Checks.positive("lease", lease);
      return this;
    }

    /** See {@link #DEFAULT_RENEW_INTERVAL}. */
    public Builder renewInterval(Duration interval) {
      this.renewInterval = Checks.positive("renew interval", interval);
      return this;
    }

    /** See {@link #DEFAULT_CLAIM_INTERVAL}. */
    public Builder claimInterval(Duration interval) {
      this.claimInterval = Checks.positive("claim interval", interval);
      return this;
    }

    /** See {@link #DEFAULT_SAFETY_MARGIN}. */
    public Builder safetyMargin(Duration margin) {
      this.safetyMargin = Checks.positive("safety margin", margin);
      return this;
    }

    /** See {@link #DEFAULT_CAPACITY}. */
    public Builder capacity(int capacity) {
      this.capacity = Checks.inRange("capacity", capacity, 1, Integer.MAX_VALUE);
      return this;
    }

    /** Pins {@code cameraId}'s duties to {@code nodeId}. */
    public Builder pin(String cameraId, String nodeId) {
      pins.put(Camera.requireValidId(cameraId), checkNodeId(nodeId));
      return this;
    }

    /** Builds and checks the values together (the renew interval against the lease…). */
    public ClusterOptions build() {
      return new ClusterOptions(
          nodeId, lease, renewInterval, claimInterval, safetyMargin, capacity, pins);
    }
  }
}
