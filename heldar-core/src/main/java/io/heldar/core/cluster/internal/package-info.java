/**
 * The lease keeper, no compatibility promise: {@link
 * io.heldar.core.cluster.internal.LeaseKeeper} is the cluster's engine (claim scans on the runtime,
 * renewals on a thread of its own, leases given back at stop) and the {@link
 * io.heldar.core.cluster.CameraAssignment} the other engines ask.
 */
package io.heldar.core.cluster.internal;
