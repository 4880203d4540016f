package io.heldar.examples.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.index.CameraScanReport;
import io.heldar.core.index.IndexingOptions;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.PrintableText;
import io.heldar.core.model.Segment;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.testing.MutableClock;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.ffmpeg.testing.TestMedia.Codec;
import io.heldar.ffmpeg.testing.TestMedia.Layout;
import io.heldar.ffmpeg.testing.TestMedia.Spec;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Regression tests for the indexing faults of the hostile-input campaign, on real ffmpeg files. */
class IndexerFaultsTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'.'mp4'").withZone(java.time.ZoneOffset.UTC);

  @TempDir
  Path dir;

  Path root;
  Path db;
  SqliteHeldarStore store;
  MutableClock clock;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectories(dir.resolve("rec"));
    db = dir.resolve("heldar.db");
    store = SqliteHeldarStore.open(db);
    clock = new MutableClock(T0.plusSeconds(3600));
    store.cameras().add(Camera.of("cam", T0));
    store.cameras().add(Camera.of("healthy", T0));
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  Path segment(String camera, long offsetSeconds, Spec spec) {
    Instant start = T0.plusSeconds(offsetSeconds);
    Path f = TestMedia.make(root.resolve(camera).resolve(NAME.format(start)), spec);
    TestMedia.touch(f, start.plusSeconds(5));
    return f;
  }

  SegmentIndexer indexer(MediaProbe probe) {
    return SegmentIndexer.builder()
        .store(store)
        .probe(probe)
        .recordingsRoot(root)
        .clock(clock)
        .options(IndexingOptions.builder().batchSize(8).build())
        .build();
  }

  /**
   * Fault 2: a file whose probed duration is a fraction of a millisecond, and a row the store
   * refuses (a trigger standing in for any constraint), used to roll back the whole batch on every
   * tick. Now each is that file's failure and every other file is indexed.
   */
  @Test
  void oneBadFileNeverBlocksItsCamera() throws Exception {
    for (int i = 0; i < 20; i++) {
      segment("cam", i * 2L, Spec.plain());
    }
    Path tiny = root.resolve("cam").resolve(NAME.format(T0.plusSeconds(6)));
    Path refused = root.resolve("cam").resolve(NAME.format(T0.plusSeconds(10)));
    MediaProbe probe = nativeClaiming(tiny, Duration.ofNanos(200_000));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      st.execute("CREATE TRIGGER refuse_one BEFORE INSERT ON segments WHEN NEW.path = 'cam/"
          + refused.getFileName()
          + "' BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END");
    }
    try (SegmentIndexer indexer = indexer(probe)) {
      CameraScanReport r = indexer.scanCamera("cam");
      assertThat(r.succeeded()).isTrue();
      assertThat(r.indexed()).isEqualTo(18);
      assertThat(r.unreadable()).isEqualTo(2);
      assertThat(store
              .unreadableFiles()
              .among(java.util.List.of("cam/" + tiny.getFileName()))
              .values())
          .singleElement()
          .satisfies(u -> assertThat(u.reason()).contains("implausible duration"));
      assertThat(store
              .unreadableFiles()
              .among(java.util.List.of("cam/" + refused.getFileName()))
              .values())
          .singleElement()
          .satisfies(u -> assertThat(u.reason()).contains("refused by a test trigger"));
      assertThat(indexer.scanCamera("cam").knownUnreadable())
          .as("not retried on every tick")
          .isEqualTo(2);
    }
  }

  /**
   * Fault 3: a trun claiming four billion samples with no per-sample table made the native probe
   * spin for minutes. Now it is judged at once, and the other camera is indexed in the same scan.
   */
  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aCraftedTrunIsJudgedAtOnceAndTheOtherCameraIsIndexed() throws Exception {
    Path f = segment("cam", 0, new Spec(Codec.H264, Layout.FRAGMENTED, false, 2, 25));
    byte[] bytes = Files.readAllBytes(f);
    int at = indexOf(bytes, "trun");
    assertThat(at).isPositive();
    ByteBuffer.wrap(bytes, at + 4, 8)
        .putInt(0)
        .putInt(0xFFFF_FFFF); // flags: no fields; sample count 2^32-1
    Files.write(f, bytes);
    TestMedia.touch(f, T0.plusSeconds(5));
    for (int i = 0; i < 20; i++) {
      segment("healthy", i * 2L, Spec.plain());
    }
    long t0 = System.nanoTime();
    try (SegmentIndexer indexer = indexer(MediaProbes.nativeMp4())) {
      var report = indexer.scanOnce();
      assertThat(report.cameras())
          .filteredOn(c -> c.cameraId().equals("healthy"))
          .singleElement()
          .satisfies(c -> assertThat(c.indexed()).isEqualTo(20));
      assertThat(report.cameras())
          .filteredOn(c -> c.cameraId().equals("cam"))
          .singleElement()
          .satisfies(c -> assertThat(c.indexed()).isZero());
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(store.segments().count("cam")).isZero();
  }

  /** Fault 4: a duration the file cannot hold (years of footage in a few kilobytes) is never a row. */
  @Test
  void anAbsurdDurationIsUnreadableAndHidesNoGap() throws Exception {
    segment("cam", 0, Spec.plain());
    segment("cam", 60, Spec.plain()); // a real 58 s gap after the first
    Path absurd = root.resolve("cam").resolve(NAME.format(T0));
    MediaProbe probe = nativeClaiming(absurd, Duration.ofDays(3320));
    try (SegmentIndexer indexer = indexer(probe)) {
      indexer.scanCamera("cam");
    }
    assertThat(store.segments().count("cam")).isEqualTo(1);
    assertThat(store
            .unreadableFiles()
            .among(java.util.List.of("cam/" + absurd.getFileName()))
            .values())
        .singleElement()
        .satisfies(u -> assertThat(u.reason()).contains("implausible duration"));
  }

  /**
   * Fault 7: a file that changes after it was indexed (a recording that paused longer than the
   * settle time, then went on) is probed again, its row replaced, its gaps reconciled.
   */
  @Test
  void aFileThatGrowsAfterItWasIndexedIsProbedAgain() throws Exception {
    Path f = segment("cam", 0, Spec.plain().seconds(4));
    segment("cam", 10, Spec.plain());
    try (SegmentIndexer indexer = indexer(MediaProbes.nativeMp4())) {
      indexer.scanCamera("cam");
      assertThat(store.gaps().list("cam", Optional.of(GapStatus.OPEN))).hasSize(1);
      TestMedia.make(f, Spec.plain().seconds(10)); // the recorder finished it: now 10 s
      TestMedia.touch(f, T0.plusSeconds(12));
      CameraScanReport r = indexer.scanCamera("cam");
      assertThat(r.changed()).isEqualTo(1);
      Segment row = store.segments().findByPath("cam/" + f.getFileName()).orElseThrow();
      assertThat(row.duration()).isBetween(Duration.ofMillis(9900), Duration.ofMillis(10100));
      assertThat(row.sizeBytes()).isEqualTo(Files.size(f));
      assertThat(store.gaps().list("cam", Optional.of(GapStatus.OPEN)))
          .as("the gap it left is closed")
          .isEmpty();
      assertThat(store.events().count(Optional.of("cam"), EventKinds.SEGMENT_CHANGED))
          .isEqualTo(1);
      assertThat(indexer.scanCamera("cam").changed()).as("once").isZero();
    }
  }

  /**
   * A file rewritten in place (its directory's time unchanged) is not seen by the cheap scans that
   * skip unchanged directories; the next complete listing (at start, then every reconcile interval)
   * probes it again.
   */
  @Test
  void aFileRewrittenInPlaceIsSeenAtTheNextCompleteListing() throws Exception {
    Path f = segment("cam", 0, Spec.plain().seconds(4));
    segment("cam", 10, Spec.plain());
    java.nio.file.attribute.FileTime oldDir =
        java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600));
    try (SegmentIndexer indexer = indexer(MediaProbes.nativeMp4())) {
      assertThat(indexer.scanCamera("cam").indexed()).isEqualTo(2);
      Files.setLastModifiedTime(f.getParent(), oldDir);
      indexer.scanCamera("cam"); // lists the directory once more (its time changed)
      byte[] longer = Files.readAllBytes(
          TestMedia.make(f.resolveSibling("longer.tmp"), Spec.plain().seconds(10)));
      Files.delete(f.resolveSibling("longer.tmp"));
      Files.setLastModifiedTime(f.getParent(), oldDir);
      try (var ch = java.nio.channels.FileChannel.open(
          f,
          java.nio.file.StandardOpenOption.WRITE,
          java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(longer));
      }
      TestMedia.touch(f, T0.plusSeconds(12));
      Files.setLastModifiedTime(f.getParent(), oldDir);
      assertThat(indexer.scanCamera("cam").changed())
          .as("the directory did not change: not listed")
          .isZero();
    }
    try (SegmentIndexer restarted = indexer(MediaProbes.nativeMp4())) {
      assertThat(restarted.scanCamera("cam").changed())
          .as("a complete listing sees it")
          .isEqualTo(1);
    }
    assertThat(
            store.segments().findByPath("cam/" + f.getFileName()).orElseThrow().duration())
        .isBetween(Duration.ofMillis(9900), Duration.ofMillis(10100));
  }

  /** Fault 12: names with line breaks cannot forge log lines. */
  @Test
  void namesAreEscapedForLogs() {
    assertThat(PrintableText.of("cam/a\nERROR io.heldar.FAKE boom.mp4"))
        .isEqualTo("cam/a\\nERROR io.heldar.FAKE boom.mp4")
        .doesNotContain("\n");
    assertThat(PrintableText.of("a\r\tb\\c\u202ed\u0000"))
        .isEqualTo("a\\r\\tb\\\\c\\u202ed\\u0000");
    assertThat(PrintableText.of("plain/20261121T101500Z.mp4"))
        .isEqualTo("plain/20261121T101500Z.mp4");
  }

  /** The native probe, except that {@code target} is reported with {@code duration}. */
  private static MediaProbe nativeClaiming(Path target, Duration duration) {
    MediaProbe nativeProbe = MediaProbes.nativeMp4();
    return f -> {
      MediaInfo m = nativeProbe.probe(f);
      return f.equals(target)
          ? new MediaInfo(
              duration,
              m.container(),
              m.videoCodec(),
              m.width(),
              m.height(),
              m.fps(),
              m.bitRateBps(),
              m.audioCodec())
          : m;
    };
  }

  private static int indexOf(byte[] bytes, String fourcc) {
    byte[] n = fourcc.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    outer:
    for (int i = 0; i + n.length <= bytes.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (bytes[i + j] != n[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
