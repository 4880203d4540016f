package io.heldar.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.model.Camera;
import io.heldar.core.model.UnreadableFile;
import io.heldar.store.SchemaVersionException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteHeldarStoreTest {
  static final Instant T0 = io.heldar.store.contract.StoreContract.T0;

  @TempDir
  Path dir;

  @Test
  void createsEveryContractTableAndIndex() throws Exception {
    Path file = dir.resolve("sub/heldar.db");
    SqliteHeldarStore.open(file).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      Map<String, List<String>> columns = new LinkedHashMap<>();
      for (String table : List.of(
          "cameras",
          "segments",
          "recording_gaps",
          "camera_stats",
          "events",
          "snapshot_schedules",
          "snapshots",
          "schema_version",
          "unreadable_files")) {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("PRAGMA table_info(" + table + ")")) {
          while (rs.next()) {
            names.add(rs.getString("name"));
          }
        }
        columns.put(table, names);
      }
      assertThat(columns.get("cameras")).contains("id", "name", "source_url");
      assertThat(columns.get("segments"))
          .contains(
              "id",
              "camera_id",
              "path",
              "start_time",
              "end_time",
              "duration_s",
              "codec",
              "width",
              "height",
              "fps",
              "size_bytes",
              "container",
              "locked",
              "incident_id",
              "created_at");
      assertThat(columns.get("recording_gaps"))
          .contains("id", "camera_id", "start_time", "end_time", "gap_seconds", "status");
      assertThat(columns.get("camera_stats"))
          .contains("camera_id", "last_segment_end", "bitrate_kbps", "fps");
      assertThat(columns.get("events"))
          .contains("id", "camera_id", "kind", "severity", "payload", "created_at");
      assertThat(columns.get("snapshot_schedules"))
          .contains(
              "id",
              "camera_id",
              "interval_seconds",
              "enabled",
              "last_fired_at",
              "created_at",
              "updated_at");
      assertThat(columns.get("snapshots"))
          .contains(
              "id", "camera_id", "schedule_id", "path", "taken_at", "size_bytes", "created_at");
      try (ResultSet rs = st.executeQuery("PRAGMA index_info(segments_camera_start)")) {
        List<String> indexed = new ArrayList<>();
        while (rs.next()) {
          indexed.add(rs.getString("name"));
        }
        assertThat(indexed).startsWith("camera_id", "start_time"); // then path, for ordered pages
      }
      try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
        assertThat(rs.getString(1)).isEqualTo("wal");
      }
      try (ResultSet rs = st.executeQuery("SELECT max(version), count(*) FROM schema_version")) {
        assertThat(rs.getInt(1)).isEqualTo(SqliteHeldarStore.supportedSchemaVersion());
        assertThat(rs.getInt(2)).isEqualTo(SqliteHeldarStore.supportedSchemaVersion());
      }
    }
  }

  @Test
  void theStoresOwnTimestampsComeFromItsClock() throws Exception {
    java.time.Clock fixed =
        java.time.Clock.fixed(Instant.parse("2030-01-02T03:04:05Z"), java.time.ZoneOffset.UTC);
    Path file = dir.resolve("clocked.db");
    try (SqliteHeldarStore store = SqliteHeldarStore.open(
        file, SqliteHeldarStore.Options.builder().clock(fixed).build())) {
      store.cameras().add(Camera.of("cam", T0));
      store.cameras().update(Camera.of("cam", T0).withName("Gate"));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT updated_at FROM cameras WHERE id = 'cam'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(fixed.millis());
      }
      try (ResultSet rs =
          st.executeQuery("SELECT min(applied_at), max(applied_at) FROM schema_version")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(fixed.millis());
        assertThat(rs.getLong(2)).isEqualTo(fixed.millis());
      }
    }
  }

  @Test
  void refusesADatabaseFromANewerSchema() throws Exception {
    Path file = dir.resolve("heldar.db");
    SqliteHeldarStore.open(file).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO schema_version VALUES (999, 'from the future', 0)");
    }
    assertThatThrownBy(() -> SqliteHeldarStore.open(file))
        .isInstanceOf(SchemaVersionException.class)
        .hasMessageContaining("schema version 999")
        .hasMessageContaining(file.getFileName().toString())
        .satisfies(e -> assertThat(((SchemaVersionException) e).foundVersion()).isEqualTo(999));
  }

  @Test
  void migratesAVersionOneDatabaseForwardKeepingItsData() throws Exception {
    Path file = dir.resolve("heldar.db");
    // A database as version 1 left it: only the first script, recorded in schema_version.
    String v1 = new String(
        getClass()
            .getResourceAsStream("/io/heldar/store/sqlite/migrations/V001__contract_tables.sql")
            .readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      st.executeUpdate(
          "CREATE TABLE schema_version (version INTEGER PRIMARY KEY NOT NULL, description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
      for (String sql : v1.split(";")) {
        if (!sql.replaceAll("--[^\\n]*", "").isBlank()) {
          st.executeUpdate(sql);
        }
      }
      st.executeUpdate("INSERT INTO schema_version VALUES (1, 'V001__contract_tables.sql', 0)");
      st.executeUpdate("INSERT INTO cameras VALUES ('cam1', 'cam1', NULL, 0, 0)");
      // 20 s of footage from 10:14:50Z: 10 s in the 10:00 bucket, 10 s in the 10:15 bucket.
      long start = T0.plusSeconds(14 * 60 + 50).toEpochMilli();
      st.executeUpdate(
          "INSERT INTO segments (camera_id, path, start_time, end_time, duration_s, codec, width, height, size_bytes, "
              + "file_mtime, container, created_at) VALUES ('cam1', 'cam1/a.mp4', " + start + ", "
              + (start + 20_000) + ", 20, 'h264', 320, 240, 500, 0, 'mp4', 0)");
    }
    try (SqliteHeldarStore store = SqliteHeldarStore.open(file)) {
      assertThat(store.segments().findByPath("cam1/a.mp4")).isPresent();
      store
          .unreadableFiles()
          .put(new UnreadableFile("cam1", "cam1/x.mp4", 3, T0, "moov atom not found", T0));
      assertThat(store.unreadableFiles().of("cam1")).containsKey("cam1/x.mp4");
      assertThat(store.segments().buckets("cam1", T0, T0.plusSeconds(3600)))
          .extracting(b -> b.recorded().toSeconds(), b -> b.segments(), b -> b.bytes())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(10L, 1L, 500L),
              org.assertj.core.groups.Tuple.tuple(10L, 0L, 0L));
    }
  }
}
