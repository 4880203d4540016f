package io.heldar.core.store;

import java.util.function.Supplier;

/**
 * Everything Heldar persists, as small per-table SPIs. An implementation (SQLite and PostgreSQL in
 * {@code heldar-store}) must make every single call atomic and must
 * let {@link #inTransaction(Supplier)} group calls: calls made by the same thread inside the
 * supplier join the one transaction and see its uncommitted writes; nothing of it is visible to
 * others until it commits, and an exception rolls all of it back.
 *
 * <p>Implementations are thread-safe.
 */
public interface HeldarStore extends AutoCloseable {

  /** Cameras. */
  CameraStore cameras();

  /** Indexed segments. */
  SegmentStore segments();

  /** Recording gaps. */
  GapStore gaps();

  /** Per-camera statistics. */
  CameraStatsStore cameraStats();

  /** Events. */
  EventStore events();

  /** Segment files that could not be probed. */
  UnreadableFileStore unreadableFiles();

  /** Snapshot schedules. */
  SnapshotScheduleStore snapshotSchedules();

  /** Stored snapshots. */
  SnapshotStore snapshots();

  /** Retention holds. */
  HoldStore holds();

  /** What the gap healer tried, per camera and range. */
  HealStore heals();

  /**
   * Runs {@code work} in one write transaction and returns its result. Nested calls join the
   * outer transaction.
   */
  <T> T inTransaction(Supplier<T> work);

  /**
   * Rows the store skipped because they do not make valid values (a path outside its camera's
   * directory, a negative size…), most recent last, bounded. Queries never fail because of one
   * such row; the engines report them (retention raises {@code retention_failed} for each).
   */
  default java.util.List<io.heldar.core.model.InvalidRow> invalidRows() {
    return java.util.List.of();
  }

  /**
   * The leases of cluster mode, when this store can host several nodes (PostgreSQL); empty for a
   * single-node store (SQLite).
   */
  default java.util.Optional<LeaseStore> leases() {
    return java.util.Optional.empty();
  }

  /** {@link #inTransaction(Supplier)} for work without a result. */
  default void useTransaction(Runnable work) {
    inTransaction(() -> {
      work.run();
      return null;
    });
  }

  /** Releases connections; idempotent. */
  @Override
  void close();
}
