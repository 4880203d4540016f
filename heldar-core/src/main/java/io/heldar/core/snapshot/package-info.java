/**
 * Interval snapshots: {@link io.heldar.core.snapshot.SnapshotScheduler} fires each schedule on its
 * epoch-aligned grid, as {@link io.heldar.core.snapshot.SnapshotOptions} and {@link
 * io.heldar.core.snapshot.MisfirePolicy} say; {@link io.heldar.core.snapshot.SnapshotSource} is the
 * SPI a camera adapter implements ({@link io.heldar.core.snapshot.SnapshotSources} for HTTP and by
 * scheme).
 */
package io.heldar.core.snapshot;
