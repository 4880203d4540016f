package io.heldar.core.engine.internal;

import io.heldar.core.index.ScanReport;
import io.heldar.core.retention.SweepReport;
import io.heldar.core.snapshot.SnapshotScheduler;

/**
 * Hears what the engines' ticks did, for the metrics: a scan's report, a sweep's, how many events a
 * pruning deleted, and every snapshot slot. Called on the engines' threads; keep it cheap.
 */
public interface EngineObserver extends SnapshotScheduler.SlotObserver {
  /** Hears nothing: for an engine built outside Heldar. */
  EngineObserver NONE = new EngineObserver() {};

  /** A scan of the recordings ended. */
  default void onScan(ScanReport report) {}

  /** A retention sweep ended. */
  default void onSweep(SweepReport report) {}

  /** A pruning deleted {@code count} events. */
  default void onEventsPruned(long count) {}

  /** After each round of tier moves. */
  default void onTierMoves(io.heldar.core.tier.MoveReport report) {}
}
