/**
 * Snapshots' implementation, no compatibility promise: {@link
 * io.heldar.core.snapshot.internal.GridSnapshotScheduler} (the engine), {@link
 * io.heldar.core.snapshot.internal.SlotGrid} (what is due, pure), {@link
 * io.heldar.core.snapshot.internal.SnapshotFiles} (atomic files), {@link
 * io.heldar.core.snapshot.internal.SnapshotCommitter} (grouped, fenced rows), {@link
 * io.heldar.core.snapshot.internal.SlotLedger} (failed and missed slots).
 */
package io.heldar.core.snapshot.internal;
