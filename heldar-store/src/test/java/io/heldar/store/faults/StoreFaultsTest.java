package io.heldar.store.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.Segment;
import io.heldar.core.retention.RetentionPolicy;
import io.heldar.core.retention.RetentionSweeper;
import io.heldar.core.retention.SweepReport;
import io.heldar.core.testing.MutableClock;
import io.heldar.core.timeline.Coverage;
import io.heldar.core.timeline.DaySummary;
import io.heldar.core.timeline.Timeline;
import io.heldar.store.NotAHeldarDatabaseException;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression tests for the store and retention faults of the hostile-input campaign. */
class StoreFaultsTest {
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  @TempDir
  Path dir;

  private static MediaInfo media(Duration d) {
    return new MediaInfo(
        d, "mp4", "h264", 320, 240, OptionalDouble.of(25), OptionalLong.of(800), Optional.empty());
  }

  private static List<Segment> record(
      SqliteHeldarStore store, Path root, String cam, int n, long stepSeconds, long lengthSeconds)
      throws Exception {
    store.cameras().add(Camera.of(cam, T0));
    Files.createDirectories(root.resolve(cam));
    List<Segment> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant start = T0.plusSeconds(stepSeconds * i);
      String path = cam + "/" + start.getEpochSecond() + ".mp4";
      Files.write(root.resolve(path), new byte[100]);
      out.add(new Segment(
          cam,
          path,
          start,
          start.plusSeconds(lengthSeconds),
          media(Duration.ofSeconds(lengthSeconds)),
          100,
          start,
          false,
          Optional.empty(),
          T0));
    }
    store.useTransaction(
        () -> store.cameraStats().addIndexed(cam, store.segments().insertAll(out), T0));
    return out;
  }

  /**
   * Fault 1: a directory swapped for a symbolic link between retention's checks and its unlink. An
   * attacker thread keeps swapping the camera directory for a link to a directory outside the root
   * holding files of the same names while sweeps run. Nothing outside may be deleted, and no row may
   * be removed while its file still exists.
   */
  @Test
  void aDirectorySwappedForALinkDuringASweepNeverLetsItDeleteOutsideTheRoot() throws Exception {
    Path root = Files.createDirectories(dir.resolve("rec"));
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Path moved = dir.resolve("rec/cam-moved");
    int rounds = 6;
    int perRound = 400;
    AtomicInteger swaps = new AtomicInteger();
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(30)));
      for (int round = 0; round < rounds; round++) {
        List<Segment> segs = recordRound(store, root, round, perRound);
        for (Segment s : segs) {
          Files.write(outside.resolve(Path.of(s.path()).getFileName()), new byte[] {1});
        }
        AtomicBoolean stop = new AtomicBoolean();
        Path cam = root.resolve("cam");
        Thread attacker = new Thread(() -> {
          while (!stop.get()) {
            try {
              Files.move(cam, moved);
              Files.createSymbolicLink(cam, outside);
              Thread.onSpinWait();
              Files.delete(cam);
              Files.move(moved, cam);
              swaps.incrementAndGet();
            } catch (Exception e) {
              // a lost race with itself: try again
            }
          }
        });
        attacker.start();
        RetentionSweeper sweeper = RetentionSweeper.builder()
            .store(store)
            .recordingsRoot(root)
            .clock(clock)
            .policy(RetentionPolicy.builder()
                .maxAge(Duration.ofDays(1))
                .maxDeleteShare(1.0)
                .build())
            .build();
        try {
          sweeper.sweep(true);
        } finally {
          stop.set(true);
          attacker.join();
        }
        if (Files.isSymbolicLink(cam)) {
          Files.delete(cam);
        }
        if (Files.exists(moved)) {
          Files.move(moved, cam);
        }
        try (var files = Files.list(outside)) {
          assertThat(files.count())
              .as("files outside the root after round " + round)
              .isEqualTo((long) perRound * (round + 1));
        }
        Set<String> rows = new HashSet<>();
        store
            .segments()
            .oldestFirst(Optional.of("cam"), 1_000_000, Optional.empty())
            .forEach(s -> rows.add(s.path()));
        for (Segment s : segs) {
          if (!rows.contains(s.path())) {
            assertThat(root.resolve(s.path()))
                .as("row removed, so the file must be gone")
                .doesNotExist();
          }
        }
      }
    }
    assertThat(swaps.get()).as("the attacker really swapped").isGreaterThan(rounds);
  }

  private static List<Segment> recordRound(SqliteHeldarStore store, Path root, int round, int n)
      throws Exception {
    store.cameras().add(Camera.of("cam", T0));
    Files.createDirectories(root.resolve("cam"));
    List<Segment> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant start = T0.plusSeconds(10L * (round * n + i));
      String path = "cam/" + start.getEpochSecond() + ".mp4";
      Files.write(root.resolve(path), new byte[100]);
      out.add(new Segment(
          "cam",
          path,
          start,
          start.plusSeconds(10),
          media(Duration.ofSeconds(10)),
          100,
          start,
          false,
          Optional.empty(),
          T0));
    }
    // The newest segment is always kept: one more, recent, so that all of the round can go.
    Instant recent = T0.plus(Duration.ofDays(29)).plusSeconds(round);
    String newest = "cam/" + recent.getEpochSecond() + ".mp4";
    Files.write(root.resolve(newest), new byte[100]);
    List<Segment> all = new ArrayList<>(out);
    all.add(new Segment(
        "cam",
        newest,
        recent,
        recent.plusSeconds(10),
        media(Duration.ofSeconds(10)),
        100,
        recent,
        false,
        Optional.empty(),
        T0));
    store.useTransaction(
        () -> store.cameraStats().addIndexed("cam", store.segments().insertAll(all), T0));
    return out;
  }

  /** Fault 8: rows edited by hand no longer abort retention; each gets one retention_failed, the rest goes. */
  @Test
  void badRowsAreReportedOneByOneAndTheRestOfThePlanIsCarriedOut() throws Exception {
    Path root = Files.createDirectories(dir.resolve("rec"));
    Path db = dir.resolve("heldar.db");
    List<Segment> segs;
    try (SqliteHeldarStore store = SqliteHeldarStore.open(db)) {
      segs = record(store, root, "cam", 20, 10, 10);
      store.cameras().add(Camera.of("other", T0));
    }
    String[] edits = {
      "UPDATE segments SET path = 'cam/../../etc/passwd' WHERE path = '"
          + segs.get(1).path() + "'",
      "UPDATE segments SET path = '/etc/hostname' WHERE path = '" + segs.get(2).path() + "'",
      "UPDATE segments SET size_bytes = -5 WHERE path = '" + segs.get(3).path() + "'",
      "UPDATE segments SET size_bytes = 0 WHERE path = '" + segs.get(4).path() + "'",
      "UPDATE segments SET path = 'other/x.mp4' WHERE path = '" + segs.get(5).path() + "'",
      "UPDATE segments SET width = 0 WHERE path = '" + segs.get(6).path() + "'",
      "UPDATE segments SET codec = NULL WHERE path = '" + segs.get(7).path() + "'",
    };
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA ignore_check_constraints = ON");
      st.execute("PRAGMA writable_schema = OFF");
      for (String e : edits) {
        try {
          st.execute(e);
        } catch (java.sql.SQLException notAllowed) {
          // a constraint refuses this edit: then it cannot be in the table either
        }
      }
    }
    try (SqliteHeldarStore store = SqliteHeldarStore.open(db)) {
      // the timeline's span query skips the row that makes no span and remembers it, once
      List<io.heldar.core.model.SegmentSpan> spans = store
          .segments()
          .spans(
              "cam", Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), 1000, Optional.empty());
      assertThat(spans)
          .extracting(io.heldar.core.model.SegmentSpan::path)
          .doesNotContain(segs.get(3).path());
      // page by page (2 a page), the same spans: a page ending at a skipped row goes on after it
      List<io.heldar.core.model.SegmentSpan> paged = new java.util.ArrayList<>();
      Optional<io.heldar.core.model.SegmentSpan> after = Optional.empty();
      while (true) {
        List<io.heldar.core.model.SegmentSpan> page = store
            .segments()
            .spans("cam", Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), 2, after);
        if (page.isEmpty()) {
          break;
        }
        assertThat(page.size()).isLessThanOrEqualTo(2);
        paged.addAll(page);
        after = Optional.of(page.get(page.size() - 1));
      }
      assertThat(paged).containsExactlyElementsOf(spans);
      store.segments().touching("cam", Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"));
      assertThat(store.invalidRows())
          .extracting(io.heldar.core.model.InvalidRow::path)
          .containsOnlyOnce(segs.get(3).path());
      RetentionSweeper sweeper = RetentionSweeper.builder()
          .store(store)
          .recordingsRoot(root)
          .clock(new MutableClock(T0.plus(Duration.ofDays(30))))
          .policy(RetentionPolicy.builder()
              .maxAge(Duration.ofDays(1))
              .maxDeleteShare(1.0)
              .build())
          .build();
      SweepReport r = sweeper.sweep(true);
      assertThat(store.invalidRows()).hasSizeGreaterThanOrEqualTo(5);
      assertThat(r.segmentsDeleted())
          .as("every valid row but the newest went")
          .isGreaterThanOrEqualTo(11);
      long failedEvents = store.events().count(Optional.empty(), EventKinds.RETENTION_FAILED);
      assertThat(failedEvents).isGreaterThanOrEqualTo(store.invalidRows().size());
      sweeper.sweep(true);
      assertThat(store.events().count(Optional.empty(), EventKinds.RETENTION_FAILED))
          .as("reported once, not per sweep")
          .isEqualTo(failedEvents);
      assertThat(Path.of("/etc/hostname")).exists();
    }
  }

  /** Fault 10: another application's database is refused and left byte for byte unchanged. */
  @Test
  void anotherApplicationsDatabaseIsRefusedUnchanged() throws Exception {
    Path db = dir.resolve("other-app.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
      st.execute("INSERT INTO customers (name) VALUES ('Ada')");
    }
    byte[] before = Files.readAllBytes(db);
    assertThatThrownBy(() -> SqliteHeldarStore.open(db))
        .isInstanceOf(NotAHeldarDatabaseException.class)
        .hasMessageContaining("not a Heldar database")
        .hasMessageContaining("customers");
    assertThat(Files.readAllBytes(db)).isEqualTo(before);
    assertThat(Files.exists(dir.resolve("other-app.db-wal"))).isFalse();
    // An empty file and a Heldar database still open.
    Files.write(dir.resolve("empty.db"), new byte[0]);
    SqliteHeldarStore.open(dir.resolve("empty.db")).close();
    SqliteHeldarStore.open(dir.resolve("empty.db")).close();
  }

  /** Fault 11: overlapping footage counts once in daily summaries, as in coverage. */
  @Test
  void dailySummariesCountOverlappingFootageOnce() throws Exception {
    Path root = Files.createDirectories(dir.resolve("rec"));
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      List<Segment> segs = record(store, root, "cam", 100, 1, 2); // 2 s segments, one second apart
      Timeline timeline = new Timeline(store);
      Coverage cov =
          timeline.coverage("cam", T0, T0.plus(Duration.ofDays(1)), Timeline.DEFAULT_TOLERANCE);
      DaySummary day = timeline
          .daily("cam", LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 1), ZoneOffset.UTC)
          .get(0);
      assertThat(cov.recorded()).isEqualTo(Duration.ofSeconds(101));
      assertThat(day.recorded()).isEqualTo(cov.recorded());
      store.segments().delete(List.of(segs.get(50).path()));
      DaySummary after = timeline
          .daily("cam", LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 1), ZoneOffset.UTC)
          .get(0);
      assertThat(after.recorded())
          .as("removing a segment covered by its neighbours changes nothing")
          .isEqualTo(Duration.ofSeconds(101));
    }
  }
}
