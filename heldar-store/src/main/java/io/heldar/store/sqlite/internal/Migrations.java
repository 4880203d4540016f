package io.heldar.store.sqlite.internal;

import io.heldar.core.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forward-only schema migrations: SQL resources applied in order, each in its own transaction
 * together with its row in {@code schema_version}, so a crash leaves the schema at a known version.
 */
public final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);
  private static final String DIR = "/io/heldar/store/sqlite/migrations/";

  /** Every migration, in order; version = position + 1. */
  private static final List<String> SCRIPTS = List.of("V001__contract_tables.sql", "V002__unreadable_files.sql", "V003__camera_stats_max_segment.sql",
      "V004__retention_and_timeline.sql",
      "V005__segments_camera_start_path.sql",
      "V006__timeline_buckets_union.sql",
      "V007__camera_recorder_name.sql",
      "V008__missing_segments_and_lost_gaps.sql");

  private Migrations() {}

  /** The newest version this code knows. */
  public static int latestVersion() {
    return SCRIPTS.size();
  }

  /** The database is newer than this code. */
  public static final class TooNewException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int found;

    TooNewException(int found) {
      super("schema version " + found + " is newer than " + latestVersion());
      this.found = found;
    }

    /** Version found. */
    public int found() {
      return found;
    }

    /** Version supported. */
    public int supported() {
      return latestVersion();
    }
  }

  /** Applies missing migrations; returns the resulting version. */
  public static int migrate(SqliteDatabase db, java.time.Clock clock) {
    db.write(
        h -> {
          h.execute(
              "CREATE TABLE IF NOT EXISTS schema_version ("
                  + "version INTEGER PRIMARY KEY NOT NULL, description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
          return null;
        });
    int current = currentVersion(db);
    if (current > latestVersion()) {
      throw new TooNewException(current);
    }
    for (int v = current + 1; v <= latestVersion(); v++) {
      String script = SCRIPTS.get(v - 1);
      String sql = load(script);
      int version = v;
      db.write(
          h -> {
            // Re-check inside the write lock: another process may have migrated meanwhile.
            if (versionIn(h) >= version) {
              return null;
            }
            h.createScript(sql).execute();
            if (version == 6) {
              // Recorded time per bucket became the union of the footage (overlaps count once).
              Buckets.recomputeAllRecorded(h);
            }
            h.createUpdate("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")
                .bind(0, version)
                .bind(1, script)
                .bind(2, clock.millis())
                .execute();
            return null;
          });
      log.info("database {}: applied migration {} ({})", db.file(), version, script);
    }
    return currentVersion(db);
  }

  private static int currentVersion(SqliteDatabase db) {
    return db.write(Migrations::versionIn);
  }

  private static int versionIn(Handle h) {
    Optional<Integer> v = h.createQuery("SELECT max(version) FROM schema_version").mapTo(Integer.class).findOne();
    return v.orElse(0);
  }

  private static String load(String script) {
    try (InputStream in = Migrations.class.getResourceAsStream(DIR + script)) {
      if (in == null) {
        throw new StoreException("migration resource missing: " + script);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StoreException("cannot read migration " + script, e);
    }
  }
}
