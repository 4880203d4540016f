package io.heldar.core.cluster;

import io.heldar.core.store.LeaseStore.Lease;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one cluster node knows of its part, from memory (no database read): for health checks,
 * metrics and tests.
 *
 * @param nodeId the node
 * @param held the leases it holds now (renewed recently enough or not)
 * @param leaseStatements statements it sent for the leases since start (heartbeats, reads of the
 *     nodes, leases and cameras, claims, renewals, releases)
 * @param acquisitions leases it took since start
 * @param losses leases it lost since start (not renewed in time, or rejected by the fence)
 * @param rejectedWrites writes the fence refused since start (work for cameras it no longer held)
 * @param clockSkewed whether its last renewal found its clock more than a quarter of the lease off
 *     the database's (it captures nothing meanwhile)
 * @param unowned {@code camera/duty} → why no node has held that lease for over one lease period
 *     (capacity exhausted, or pinned to a node that is not live), as this node last saw the leases
 */
public record ClusterStatus(
    String nodeId,
    List<Lease> held,
    long leaseStatements,
    long acquisitions,
    long losses,
    long rejectedWrites,
    boolean clockSkewed,
    Map<String, String> unowned) {
  /** Copies {@code held} and {@code unowned}. */
  public ClusterStatus {
    Objects.requireNonNull(nodeId, "nodeId");
    held = List.copyOf(held);
    unowned = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(unowned));
  }
}
