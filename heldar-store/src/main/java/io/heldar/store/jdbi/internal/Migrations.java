package io.heldar.store.jdbi.internal;

import io.heldar.core.store.StoreException;
import io.heldar.store.jdbi.Database;
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
  /** The SQLite migration after which the recorded time of every bucket is recomputed in Java. */
  private static final String RECOMPUTE_BUCKETS_AFTER = "V006__timeline_buckets_union.sql";

  private Migrations() {}

  /** The newest version this code knows for {@code dialect}. */
  public static int latestVersion(io.heldar.store.jdbi.SqlDialect dialect) {
    return dialect.migrationScripts().size();
  }

  /** The database is newer than this code. */
  public static final class TooNewException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int found;
    private final int supported;

    TooNewException(int found, int supported) {
      super("schema version " + found + " is newer than " + supported);
      this.found = found;
      this.supported = supported;
    }

    /** Version found. */
    public int found() {
      return found;
    }

    /** Version supported. */
    public int supported() {
      return supported;
    }
  }

  /** Applies missing migrations; returns the resulting version. */
  public static int migrate(Database db, java.time.Clock clock) {
    List<String> scripts = db.dialect().migrationScripts();
    int latest = scripts.size();
    db.write(h -> {
      h.execute(
          "CREATE TABLE IF NOT EXISTS schema_version ("
              + "version INTEGER PRIMARY KEY NOT NULL, description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
      return null;
    });
    int current = currentVersion(db);
    if (current > latest) {
      throw new TooNewException(current, latest);
    }
    for (int v = current + 1; v <= latest; v++) {
      String script = scripts.get(v - 1);
      String sql = load(db.dialect().migrationDirectory(), script);
      int version = v;
      db.write(h -> {
        // Re-check inside the write transaction (its lock): another process may have migrated
        // meanwhile.
        if (versionIn(h) >= version) {
          return null;
        }
        h.createScript(sql).execute();
        if (script.equals(RECOMPUTE_BUCKETS_AFTER)) {
          // Recorded time per bucket became the union of the footage (overlaps count once).
          Buckets.recomputeAllRecorded(h);
        }
        h.createUpdate(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")
            .bind(0, version)
            .bind(1, script)
            .bind(2, clock.millis())
            .execute();
        return null;
      });
      log.debug("{}: applied migration {} ({})", db.describe(), version, script);
    }
    int now = currentVersion(db);
    if (current > 0 && now > current) {
      // An upgrade of an existing database is worth one line; a new one, or none, is not.
      log.info("{}: schema upgraded from version {} to {}", db.describe(), current, now);
    }
    return now;
  }

  private static int currentVersion(Database db) {
    return db.write(Migrations::versionIn);
  }

  private static int versionIn(Handle h) {
    Optional<Integer> v = h.createQuery("SELECT max(version) FROM schema_version")
        .mapTo(Integer.class)
        .findOne();
    return v.orElse(0);
  }

  private static String load(String dir, String script) {
    try (InputStream in = Migrations.class.getResourceAsStream(dir + script)) {
      if (in == null) {
        throw new StoreException("migration resource missing: " + script);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StoreException("cannot read migration " + script, e);
    }
  }
}
