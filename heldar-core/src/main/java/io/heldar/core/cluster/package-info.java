/**
 * Cluster mode: several nodes sharing one store and one timeline. Start from {@link
 * io.heldar.core.cluster.ClusterOptions} (passed to {@code Heldar.builder().cluster(…)}); {@link
 * io.heldar.core.cluster.CameraAssignment} is the engines' question "is this camera mine?" and the
 * fence around its writes; {@link io.heldar.core.cluster.ClusterStatus} is what a node reports.
 * See {@code docs/cluster.md}.
 */
package io.heldar.core.cluster;
