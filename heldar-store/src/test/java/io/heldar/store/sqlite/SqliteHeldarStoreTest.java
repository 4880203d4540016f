package io.heldar.store.sqlite;

import io.heldar.store.SchemaVersionException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.GapCause;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.HeldarEvent;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.model.Segment;
import io.heldar.core.model.Severity;
import io.heldar.core.model.Snapshot;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.core.model.UnreadableFile;
import io.heldar.core.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteHeldarStoreTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  @TempDir Path dir;

  static MediaInfo media(double seconds) {
    return new MediaInfo(
        Duration.ofMillis(Math.round(seconds * 1000)),
        "mov,mp4,m4a,3gp,3g2,mj2",
        "h264",
        1280,
        720,
        OptionalDouble.of(25),
        OptionalLong.of(2_000_000),
        Optional.of("aac"));
  }

  static Segment segment(String cam, int index, double seconds) {
    Instant start = T0.plusSeconds(index * 10L);
    return Segment.of(cam, cam + "/" + index + ".mp4", start, media(seconds), 1000 + index, start.plusSeconds(11), T0);
  }

  @Test
  void createsEveryContractTableAndIndex() throws Exception {
    Path file = dir.resolve("sub/heldar.db");
    SqliteHeldarStore.open(file).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      Map<String, List<String>> columns = new LinkedHashMap<>();
      for (String table :
          List.of("cameras", "segments", "recording_gaps", "camera_stats", "events", "snapshot_schedules", "snapshots", "schema_version", "unreadable_files")) {
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
          .contains("id", "camera_id", "path", "start_time", "end_time", "duration_s", "codec", "width", "height", "fps", "size_bytes", "container", "locked", "incident_id", "created_at");
      assertThat(columns.get("recording_gaps")).contains("id", "camera_id", "start_time", "end_time", "gap_seconds", "status");
      assertThat(columns.get("camera_stats")).contains("camera_id", "last_segment_end", "bitrate_kbps", "fps");
      assertThat(columns.get("events")).contains("id", "camera_id", "kind", "severity", "payload", "created_at");
      assertThat(columns.get("snapshot_schedules"))
          .contains("id", "camera_id", "interval_seconds", "enabled", "last_fired_at", "created_at", "updated_at");
      assertThat(columns.get("snapshots")).contains("id", "camera_id", "schedule_id", "path", "taken_at", "size_bytes", "created_at");
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
  void reopensAnExistingFileWithoutLosingData() {
    Path file = dir.resolve("heldar.db");
    try (SqliteHeldarStore store = SqliteHeldarStore.open(file)) {
      store.cameras().add(Camera.of("cam1", T0));
    }
    try (SqliteHeldarStore store = SqliteHeldarStore.open(file)) {
      assertThat(store.cameras().find("cam1")).isPresent();
      assertThat(store.cameras().add(Camera.of("cam1", T0))).isFalse();
    }
  }

  @Test
  void keepsEachCameraRecorderNameAndRefusesOneNameForTwoCameras() {
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      store.cameras().add(new Camera("cam2-main", "cam2/main", Optional.empty(), T0, Optional.of("cam2/main")));
      store.cameras().add(Camera.of("plain", T0));
      assertThat(store.cameras().find("cam2-main").flatMap(Camera::recorderName)).contains("cam2/main");
      assertThat(store.cameras().find("plain").orElseThrow().recorderNameOrId()).isEqualTo("plain");
      Camera renamed = store.cameras().find("cam2-main").orElseThrow().withName("Main entrance");
      store.cameras().update(renamed);
      assertThat(store.cameras().find("cam2-main").flatMap(Camera::recorderName)).as("kept by updates").contains("cam2/main");
      assertThatThrownBy(() -> store.cameras().add(new Camera("other", "x", Optional.empty(), T0, Optional.of("cam2/main"))))
          .isInstanceOf(RuntimeException.class);
    }
  }

  @Test
  void theStoresOwnTimestampsComeFromItsClock() throws Exception {
    java.time.Clock fixed = java.time.Clock.fixed(Instant.parse("2030-01-02T03:04:05Z"), java.time.ZoneOffset.UTC);
    Path file = dir.resolve("clocked.db");
    try (SqliteHeldarStore store = SqliteHeldarStore.open(file, SqliteHeldarStore.Options.builder().clock(fixed).build())) {
      store.cameras().add(Camera.of("cam", T0));
      store.cameras().update(Camera.of("cam", T0).withName("Gate"));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT updated_at FROM cameras WHERE id = 'cam'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(fixed.millis());
      }
      try (ResultSet rs = st.executeQuery("SELECT min(applied_at), max(applied_at) FROM schema_version")) {
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
    String v1 = new String(getClass().getResourceAsStream("/io/heldar/store/sqlite/migrations/V001__contract_tables.sql").readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      st.executeUpdate("CREATE TABLE schema_version (version INTEGER PRIMARY KEY NOT NULL, description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
      for (String sql : v1.split(";")) {
        if (!sql.replaceAll("--[^\\n]*", "").isBlank()) {
          st.executeUpdate(sql);
        }
      }
      st.executeUpdate("INSERT INTO schema_version VALUES (1, 'V001__contract_tables.sql', 0)");
      st.executeUpdate("INSERT INTO cameras VALUES ('cam1', 'cam1', NULL, 0, 0)");
      // 20 s of footage from 10:14:50Z: 10 s in the 10:00 bucket, 10 s in the 10:15 bucket.
      long start = T0.plusSeconds(14 * 60 + 50).toEpochMilli();
      st.executeUpdate("INSERT INTO segments (camera_id, path, start_time, end_time, duration_s, codec, width, height, size_bytes, "
          + "file_mtime, container, created_at) VALUES ('cam1', 'cam1/a.mp4', " + start + ", " + (start + 20_000) + ", 20, 'h264', 320, 240, 500, 0, 'mp4', 0)");
    }
    try (SqliteHeldarStore store = SqliteHeldarStore.open(file)) {
      assertThat(store.segments().findByPath("cam1/a.mp4")).isPresent();
      store.unreadableFiles().put(new UnreadableFile("cam1", "cam1/x.mp4", 3, T0, "moov atom not found", T0));
      assertThat(store.unreadableFiles().of("cam1")).containsKey("cam1/x.mp4");
      assertThat(store.segments().buckets("cam1", T0, T0.plusSeconds(3600)))
          .extracting(b -> b.recorded().toSeconds(), b -> b.segments(), b -> b.bytes())
          .containsExactly(org.assertj.core.groups.Tuple.tuple(10L, 1L, 500L), org.assertj.core.groups.Tuple.tuple(10L, 0L, 0L));
    }
  }

  @Test
  void roundTripsEveryRecord() {
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      Camera cam = new Camera("cam-1", "Front door", Optional.of("rtsp://10.0.0.2/stream"), T0);
      assertThat(store.cameras().add(cam)).isTrue();
      assertThat(store.cameras().find("cam-1")).contains(cam);
      assertThat(store.cameras().update(cam.withName("Back door"))).isTrue();
      assertThat(store.cameras().list()).extracting(Camera::name).containsExactly("Back door");

      Segment s0 = segment("cam-1", 0, 10);
      Segment s1 = segment("cam-1", 1, 9.5);
      assertThat(store.segments().insertAll(List.of(s0, s1))).containsExactly(s0, s1);
      assertThat(store.segments().insertAll(List.of(s0))).isEmpty();
      assertThat(store.segments().findByPath(s1.path())).contains(s1);
      assertThat(store.segments().pathsOf("cam-1")).containsExactlyInAnyOrder(s0.path(), s1.path());
      assertThat(store.segments().touching("cam-1", T0.plusSeconds(10), T0.plusSeconds(10))).containsExactly(s0, s1);
      assertThat(store.segments().latestEndAtOrBefore("cam-1", T0.plusSeconds(15))).contains(T0.plusSeconds(10));
      assertThat(store.segments().earliestStartAtOrAfter("cam-1", T0.plusSeconds(1))).contains(T0.plusSeconds(10));
      assertThat(store.segments().count("cam-1")).isEqualTo(2);

      RecordingGap gap = store.gaps().insertOpen("cam-1", T0.plusSeconds(20), T0.plusSeconds(60), GapCause.MISSING, T0);
      assertThat(store.gaps().find(gap.id())).contains(gap);
      assertThat(store.gaps().resize(gap.id(), T0.plusSeconds(30), T0.plusSeconds(60))).isTrue();
      assertThat(store.gaps().openOverlapping("cam-1", T0, T0.plusSeconds(31))).singleElement().satisfies(g -> assertThat(g.gapSeconds()).isEqualTo(30.0));
      assertThat(store.gaps().markFilled(gap.id(), T0.plusSeconds(99))).isTrue();
      assertThat(store.gaps().list("cam-1", Optional.of(GapStatus.FILLED)))
          .singleElement()
          .satisfies(g -> assertThat(g.filledAt()).contains(T0.plusSeconds(99)));
      assertThat(store.gaps().openOverlapping("cam-1", T0, T0.plusSeconds(100))).isEmpty();

      var stats = store.cameraStats().refresh("cam-1", T0);
      assertThat(stats.lastSegmentEnd()).contains(T0.plusMillis(19_500));
      assertThat(stats.segmentCount()).isEqualTo(2);
      assertThat(stats.totalBytes()).isEqualTo(2001);
      assertThat(stats.bitrateKbps().getAsDouble()).isCloseTo(2001 * 8 / 1000.0 / 19.5, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(stats.fps()).hasValue(25.0);
      assertThat(store.cameraStats().find("cam-1")).contains(stats);

      HeldarEvent event =
          HeldarEvent.of("cam-1", EventKinds.RECORDING_GAP, Severity.WARNING, Map.of("gap_seconds", 40.5, "prev_end", "x \"quoted\"\n", "n", 3L, "ok", true), T0);
      store.events().append(event);
      assertThat(store.events().recent(Optional.of("cam-1"), Optional.of(EventKinds.RECORDING_GAP), 10)).containsExactly(event);
      assertThat(store.events().count(Optional.empty(), EventKinds.RECORDING_GAP)).isEqualTo(1);

      SnapshotSchedule sched = store.snapshotSchedules().create("cam-1", Duration.ofSeconds(10), true, T0);
      assertThat(store.snapshotSchedules().find(sched.id())).contains(sched);
      assertThat(store.snapshotSchedules().markFired(sched.id(), T0.plusSeconds(10), T0.plusSeconds(11))).isTrue();
      assertThat(store.snapshotSchedules().find(sched.id()).orElseThrow().lastFiredAt()).contains(T0.plusSeconds(10));
      assertThat(store.snapshotSchedules().update(sched.id(), Duration.ofSeconds(60), false, T0.plusSeconds(12)).orElseThrow())
          .satisfies(s -> {
            assertThat(s.interval()).isEqualTo(Duration.ofSeconds(60));
            assertThat(s.enabled()).isFalse();
          });

      Snapshot snap = new Snapshot("cam-1", OptionalLong.of(sched.id()), "cam-1/20261121T100010000Z.jpg", T0.plusSeconds(10), 5000, T0.plusSeconds(10));
      store.snapshots().insert(snap);
      assertThat(store.snapshots().list("cam-1", T0, T0.plusSeconds(11))).containsExactly(snap);
      assertThat(store.snapshotSchedules().delete(sched.id())).isTrue();
      assertThat(store.snapshots().all("cam-1")).singleElement().satisfies(s -> assertThat(s.scheduleId()).isEmpty());
      assertThat(store.snapshotSchedules().list()).isEmpty();
    }
  }

  @Test
  void transactionRollsBackEverythingOnFailure() {
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      store.cameras().add(Camera.of("cam1", T0));
      assertThatThrownBy(
              () ->
                  store.useTransaction(
                      () -> {
                        store.segments().insertAll(List.of(segment("cam1", 0, 10)));
                        assertThat(store.segments().count("cam1")).isEqualTo(1); // joined: sees its own write
                        throw new IllegalStateException("boom");
                      }))
          .hasMessage("boom");
      assertThat(store.segments().count("cam1")).isZero();
    }
  }

  @Test
  void foreignKeysAreEnforced() {
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      assertThatThrownBy(() -> store.segments().insertAll(List.of(segment("nobody", 0, 10))))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("FOREIGN KEY");
    }
  }

  @Test
  void closedStoreFailsClearly() {
    SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"));
    store.close();
    store.close();
    assertThatThrownBy(() -> store.cameras().list()).isInstanceOf(StoreException.class).hasMessageContaining("closed");
  }
}
