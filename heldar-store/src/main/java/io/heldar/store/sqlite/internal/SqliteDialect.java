package io.heldar.store.sqlite.internal;

import io.heldar.store.jdbi.SqlDialect;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/** SQLite: JSON is text, writers are serialised by the single writer connection ({@code BEGIN IMMEDIATE}). */
public final class SqliteDialect implements SqlDialect {
  /** The one instance. */
  public static final SqliteDialect INSTANCE = new SqliteDialect();

  private static final List<String> SCRIPTS = List.of(
      "V001__contract_tables.sql",
      "V002__unreadable_files.sql",
      "V003__camera_stats_max_segment.sql",
      "V004__retention_and_timeline.sql",
      "V005__segments_camera_start_path.sql",
      "V006__timeline_buckets_union.sql",
      "V007__camera_recorder_name.sql",
      "V008__missing_segments_and_lost_gaps.sql",
      "V009__segments_covering_timeline_index.sql",
      "V010__snapshot_slots.sql",
      "V011__events_created_at.sql",
      "V012__storage_tiers.sql",
      "V013__gap_heals.sql");

  private SqliteDialect() {}

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public String migrationDirectory() {
    return "/io/heldar/store/sqlite/migrations/";
  }

  @Override
  public List<String> migrationScripts() {
    return SCRIPTS;
  }

  @Override
  public void beginWrite(Handle handle) {
    // The writer connection's transactions begin IMMEDIATE, under SqliteDatabase's write lock.
  }

  @Override
  public String jsonParameter() {
    return "?";
  }

  @Override
  public TransactionIsolationLevel consistentReadIsolation() {
    return TransactionIsolationLevel
        .SERIALIZABLE; // SQLite's only level: a deferred read transaction is one snapshot
  }
}
