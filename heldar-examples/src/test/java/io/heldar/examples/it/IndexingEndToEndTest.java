package io.heldar.examples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.heldar.core.Heldar;
import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.index.CameraScanReport;
import io.heldar.core.index.IndexingOptions;
import io.heldar.core.index.ScanReport;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.index.SegmentNaming;
import io.heldar.core.model.Camera;
import io.heldar.core.model.CameraStats;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.model.Segment;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.testing.MutableClock;
import io.heldar.ffmpeg.FfprobeMediaProbe;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.ffmpeg.testing.TestMedia.Codec;
import io.heldar.ffmpeg.testing.TestMedia.Layout;
import io.heldar.ffmpeg.testing.TestMedia.Spec;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SegmentIndexer + GapDetector + ffprobe + SQLite, on files made by the real ffmpeg. */
class IndexingEndToEndTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  static final DateTimeFormatter HELDAR_NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'.'mp4'").withZone(java.time.ZoneOffset.UTC);
  static final MediaProbe FFPROBE = FfprobeMediaProbe.onPath();

  @TempDir
  Path dir;

  Path root;
  SqliteHeldarStore store;
  MutableClock clock;
  final ConcurrentHashMap<Path, AtomicInteger> probes = new ConcurrentHashMap<>();
  final MediaProbe countingProbe = file -> {
    probes.computeIfAbsent(file.getFileName(), k -> new AtomicInteger()).incrementAndGet();
    return FFPROBE.probe(file);
  };

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectories(dir.resolve("recordings"));
    store = SqliteHeldarStore.open(dir.resolve("heldar.db"));
    clock = new MutableClock(T0.plusSeconds(3600));
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  SegmentIndexer indexer() {
    return SegmentIndexer.builder()
        .store(store)
        .probe(countingProbe)
        .recordingsRoot(root)
        .clock(clock)
        .build();
  }

  /** A 2 s segment of {@code camera} starting {@code offsetSeconds} after T0, settled (mtime an hour ago). */
  Path segment(String camera, long offsetSeconds, Spec spec) {
    Instant start = T0.plusSeconds(offsetSeconds);
    Path f = TestMedia.make(root.resolve(camera).resolve(HELDAR_NAME.format(start)), spec);
    TestMedia.touch(f, start.plus(Duration.ofMillis(Math.round(spec.seconds() * 1000))));
    return f;
  }

  List<RecordingGap> openGaps(String camera) {
    return store.gaps().list(camera, Optional.of(GapStatus.OPEN));
  }

  @Test
  void indexesRealFootageWithItsGapsAndIsIdempotent() throws Exception {
    store.cameras().add(Camera.of("cam1", T0));
    store.cameras().add(Camera.of("cam2", T0)); // its directory does not exist
    for (int i = 0; i < 3; i++) {
      segment("cam1", i * 2L, Spec.plain());
    }
    segment("cam1", 20, Spec.plain()); // 14 s hole after 6 s

    try (SegmentIndexer indexer = indexer()) {
      ScanReport first = indexer.scanOnce();
      CameraScanReport cam1 = first.cameras().get(0);
      assertThat(cam1.indexed()).isEqualTo(4);
      assertThat(first.failedCameras())
          .singleElement()
          .satisfies(c -> assertThat(c.failure().orElseThrow()).contains("does not exist"));

      Segment s = store.segments().findByPath("cam1/20261121T100000Z.mp4").orElseThrow();
      assertThat(s.start()).isEqualTo(T0);
      assertThat(s.duration().toMillis()).isCloseTo(2000, within(45L));
      assertThat(s.media().videoCodec()).isEqualTo("h264");
      assertThat(s.media().width()).isEqualTo(320);
      assertThat(s.sizeBytes()).isEqualTo(Files.size(root.resolve(s.path())));

      assertThat(openGaps("cam1")).singleElement().satisfies(g -> {
        assertThat(g.start())
            .isEqualTo(store
                .segments()
                .findByPath("cam1/20261121T100004Z.mp4")
                .orElseThrow()
                .end());
        assertThat(g.end()).isEqualTo(T0.plusSeconds(20));
      });
      assertThat(
              store.events().recent(Optional.of("cam1"), Optional.of(EventKinds.RECORDING_GAP), 10))
          .hasSize(1);
      assertThat(store
              .events()
              .recent(Optional.of("cam2"), Optional.of(EventKinds.CAMERA_SCAN_FAILED), 10))
          .hasSize(1);

      CameraStats stats = store.cameraStats().find("cam1").orElseThrow();
      assertThat(stats.lastSegmentEnd().orElseThrow()).isAfter(T0.plusSeconds(21));
      assertThat(stats.fps().getAsDouble()).isCloseTo(25, within(0.01));
      assertThat(stats.bitrateKbps().getAsDouble()).isPositive();

      // A rescan with nothing new writes nothing, probes nothing, and raises no new events.
      int probesBefore = probes.values().stream().mapToInt(AtomicInteger::get).sum();
      long eventsBefore =
          store.events().recent(Optional.empty(), Optional.empty(), 1000).size();
      ScanReport again = indexer.scanOnce();
      assertThat(again.indexed()).isZero();
      assertThat(probes.values().stream().mapToInt(AtomicInteger::get).sum())
          .isEqualTo(probesBefore);
      assertThat(store.events().recent(Optional.empty(), Optional.empty(), 1000))
          .hasSize((int) eventsBefore);
      assertThat(store.segments().count("cam1")).isEqualTo(4);
    }
  }

  @Test
  void lateFootageFillsTheGapInAnyOrder() {
    store.cameras().add(Camera.of("cam", T0));
    segment("cam", 0, Spec.plain());
    segment("cam", 8, Spec.plain());
    try (SegmentIndexer indexer = indexer()) {
      indexer.scanOnce();
      assertThat(openGaps("cam")).hasSize(1);
      // Edge re-fill: footage older than the newest indexed segment arrives later.
      segment("cam", 2, Spec.plain());
      indexer.scanOnce();
      assertThat(openGaps("cam")).singleElement().satisfies(g -> assertThat(g.start())
          .isAfter(T0.plusSeconds(3)));
      segment("cam", 4, Spec.plain());
      segment("cam", 6, Spec.plain());
      indexer.scanOnce();
      assertThat(openGaps("cam")).isEmpty();
      assertThat(store.events().count(Optional.of("cam"), EventKinds.RECORDING_GAP_FILLED))
          .isEqualTo(1);
    }
  }

  @Test
  void filesStillBeingWrittenWaitForTheSettleTime() {
    store.cameras().add(Camera.of("cam", T0));
    Path f = segment("cam", 0, Spec.plain());
    TestMedia.touch(f, clock.instant().minusSeconds(2)); // modified 2 s ago; settle time is 5 s
    try (SegmentIndexer indexer = indexer()) {
      CameraScanReport r = indexer.scanCamera("cam");
      assertThat(r.indexed()).isZero();
      assertThat(r.unsettled()).isEqualTo(1);
      assertThat(probes).isEmpty();
      clock.advance(Duration.ofSeconds(4));
      assertThat(indexer.scanCamera("cam").indexed()).isEqualTo(1);
    }
  }

  @Test
  void brokenFilesRaiseOneEventAndAreProbedAgainOnlyWhenTheyChange() throws Exception {
    store.cameras().add(Camera.of("cam", T0));
    segment("cam", 0, Spec.plain());
    Path truncated = TestMedia.truncate(segment("cam", 2, Spec.plain()), 0.5);
    TestMedia.touch(
        truncated, T0.plusNanos(1_234_567)); // sub-millisecond mtimes, as real file systems have
    Path empty = root.resolve("cam").resolve(HELDAR_NAME.format(T0.plusSeconds(4)));
    Files.write(empty, new byte[0]);
    TestMedia.touch(empty, T0);
    Path noise = root.resolve("cam").resolve(HELDAR_NAME.format(T0.plusSeconds(6)));
    byte[] bytes = new byte[50_000];
    new Random(1).nextBytes(bytes);
    Files.write(noise, bytes);
    TestMedia.touch(noise, T0.plusNanos(999_999));
    Files.writeString(root.resolve("cam").resolve("notes.txt"), "not a segment");
    Files.writeString(root.resolve("cam").resolve(".20261121T100010Z.mp4.partial"), "hidden");

    try (SegmentIndexer indexer = indexer()) {
      CameraScanReport r = indexer.scanCamera("cam");
      assertThat(r.indexed()).isEqualTo(1);
      assertThat(r.unreadable()).isEqualTo(3);
      assertThat(r.unparseable()).isEqualTo(1);
      assertThat(r.ignored()).isEqualTo(1);
      List<HeldarEvent> unreadable =
          store.events().recent(Optional.of("cam"), Optional.of(EventKinds.SEGMENT_UNREADABLE), 10);
      assertThat(unreadable)
          .extracting(e -> e.payload().get("path"))
          .containsExactlyInAnyOrder(
              "cam/20261121T100002Z.mp4", "cam/20261121T100004Z.mp4", "cam/20261121T100006Z.mp4");
      assertThat(unreadable)
          .allSatisfy(e -> assertThat((String) e.payload().get("reason")).isNotBlank());
      assertThat(unreadable)
          .filteredOn(e -> e.payload().get("path").equals("cam/20261121T100004Z.mp4"))
          .singleElement()
          .satisfies(e -> assertThat(e.payload().get("reason")).isEqualTo("empty file (0 bytes)"));

      // Unchanged: not probed again, no new events.
      int truncatedProbes = probes.get(truncated.getFileName()).get();
      CameraScanReport again = indexer.scanCamera("cam");
      assertThat(again.knownUnreadable()).isEqualTo(3);
      assertThat(again.unreadable()).isZero();
      assertThat(probes.get(truncated.getFileName()).get()).isEqualTo(truncatedProbes);
      assertThat(store.events().count(Optional.of("cam"), EventKinds.SEGMENT_UNREADABLE))
          .isEqualTo(3);

      // The truncated file is re-written whole (size and mtime change): probed again and indexed.
      TestMedia.make(truncated, Spec.plain());
      TestMedia.touch(truncated, T0.plusSeconds(4));
      CameraScanReport fixed = indexer.scanCamera("cam");
      assertThat(fixed.indexed()).isEqualTo(1);
      assertThat(store.unreadableFiles().of("cam"))
          .doesNotContainKey("cam/20261121T100002Z.mp4")
          .hasSize(2);
    }
  }

  @Test
  void everyKindOfRealFileIsIndexedWithItsCodec() {
    store.cameras().add(Camera.of("cam", T0));
    segment("cam", 0, new Spec(Codec.H264, Layout.FASTSTART, false, 2, 25));
    segment("cam", 2, new Spec(Codec.H264, Layout.FRAGMENTED, false, 2, 25));
    segment("cam", 4, new Spec(Codec.H264, Layout.PLAIN, true, 2, 25));
    segment("cam", 6, new Spec(Codec.HEVC, Layout.PLAIN, false, 2, 25));
    segment("cam", 8, new Spec(Codec.MJPEG, Layout.FASTSTART, false, 2, 10));
    try (SegmentIndexer indexer = indexer()) {
      assertThat(indexer.scanCamera("cam").indexed()).isEqualTo(5);
    }
    List<Segment> all = store.segments().touching("cam", T0, T0.plusSeconds(10)).stream()
        .map(sp -> store.segments().findByPath(sp.path()).orElseThrow())
        .toList();
    assertThat(all)
        .extracting(s -> s.media().videoCodec())
        .containsExactly("h264", "h264", "h264", "hevc", "mjpeg");
    assertThat(all.get(2).media().audioCodec()).contains("aac");
    assertThat(all)
        .allSatisfy(s -> assertThat(s.duration().toMillis()).isCloseTo(2000, within(110L)));
  }

  @Test
  void mediamtxNamesInSubdirectoriesWithALocalZone() throws Exception {
    store.cameras().add(Camera.of("gate", T0));
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Path f = TestMedia.make(root.resolve("gate/2026-11-21_11-00-00-000000.mp4"), Spec.plain());
    TestMedia.touch(f, T0.plusSeconds(2));
    try (SegmentIndexer indexer = SegmentIndexer.builder()
        .store(store)
        .probe(FFPROBE)
        .recordingsRoot(root)
        .options(
            IndexingOptions.builder().naming(SegmentNaming.mediamtx(berlin)).build())
        .clock(clock)
        .build()) {
      assertThat(indexer.scanCamera("gate").indexed()).isEqualTo(1);
    }
    assertThat(store.segments().touching("gate", T0, T0).get(0).start())
        .isEqualTo(T0); // 11:00 CET = 10:00Z
  }

  @Test
  void symlinksAreNotFollowedOutOfTheRoot() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Path secret = TestMedia.make(outside.resolve(HELDAR_NAME.format(T0)), Spec.plain());
    TestMedia.touch(secret, T0);
    store.cameras().add(Camera.of("cam", T0));
    store.cameras().add(Camera.of("evil", T0));
    Files.createDirectories(root.resolve("cam"));
    Files.createSymbolicLink(
        root.resolve("cam").resolve(HELDAR_NAME.format(T0.plusSeconds(2))), secret);
    Files.createSymbolicLink(root.resolve("evil"), outside);
    try (SegmentIndexer indexer = indexer()) {
      ScanReport r = indexer.scanOnce();
      assertThat(r.indexed()).isZero();
      assertThat(r.failedCameras()).singleElement().satisfies(c -> {
        assertThat(c.cameraId()).isEqualTo("evil");
        assertThat(c.failure().orElseThrow()).contains("outside the recordings root");
      });
    }
  }

  @Test
  void heldarRunsTheIndexerOnItsRuntime() throws Exception {
    segment("cam", 0, Spec.plain());
    segment("cam", 10, Spec.plain());
    Heldar heldar = Heldar.builder()
        .store(store)
        .clock(clock)
        .recordingsRoot(root)
        .probe(FFPROBE)
        .scanInterval(Duration.ofMillis(50))
        .build();
    heldar.client().registerCamera(Camera.of("cam", T0));
    heldar.start();
    try {
      // The tick that indexed them is a success once it returns, a moment after its commit: wait
      // for both.
      io.heldar.core.testing.Await.until(
          Duration.ofSeconds(20),
          () -> !openGaps("cam").isEmpty()
              && heldar.health().stream()
                  .anyMatch(
                      h -> h.name().equals("segment-indexer") && h.lastSuccess().isPresent()),
          "the indexer's first successful tick");
      assertThat(store.segments().count("cam")).isEqualTo(2);
      assertThat(openGaps("cam")).hasSize(1);
    } finally {
      heldar.stop();
    }
  }

  @Test
  void aProbeThatCannotRunFailsTheCameraWithoutMarkingFiles() {
    store.cameras().add(Camera.of("cam", T0));
    segment("cam", 0, Spec.plain());
    MediaProbe unavailable = file -> {
      throw new io.heldar.core.probe.ProbeUnavailableException(
          "ffprobe: error while loading shared libraries");
    };
    try (SegmentIndexer indexer = SegmentIndexer.builder()
        .store(store)
        .probe(unavailable)
        .recordingsRoot(root)
        .clock(clock)
        .events(EventPublisher.storing(store, List.of()))
        .build()) {
      CameraScanReport r = indexer.scanCamera("cam");
      assertThat(r.succeeded()).isFalse();
      assertThat(r.failure().orElseThrow()).contains("probe unavailable");
      indexer.scanCamera("cam");
      assertThat(store.unreadableFiles().of("cam")).isEmpty();
      assertThat(store.events().count(Optional.of("cam"), EventKinds.CAMERA_SCAN_FAILED))
          .isEqualTo(1);
    }
    try (SegmentIndexer indexer = indexer()) {
      assertThat(indexer.scanCamera("cam").indexed()).isEqualTo(1);
    }
  }

  @Test
  void autoProbeReadsMp4NativelyAndOtherContainersWithFfprobe() throws Exception {
    store.cameras().add(Camera.of("cam", T0));
    segment("cam", 0, Spec.plain());
    segment("cam", 2, new Spec(Codec.HEVC, Layout.FRAGMENTED, true, 2, 25));
    Path mkv = root.resolve("cam").resolve("20261121T100004Z.mkv");
    TestMedia.encode(mkv, 2, "-c:v", "libx264", "-preset", "ultrafast");
    TestMedia.touch(mkv, T0.plusSeconds(6));
    AtomicInteger ffprobeCalls = new AtomicInteger();
    MediaProbe auto = io.heldar.core.probe.MediaProbes.auto(file -> {
      ffprobeCalls.incrementAndGet();
      return FFPROBE.probe(file);
    });
    try (SegmentIndexer indexer = SegmentIndexer.builder()
        .store(store)
        .probe(auto)
        .recordingsRoot(root)
        .options(IndexingOptions.builder()
            .naming(SegmentNaming.pattern("%Y%m%dT%H%M%SZ", java.time.ZoneOffset.UTC))
            .build())
        .clock(clock)
        .build()) {
      assertThat(indexer.scanCamera("cam").indexed()).isEqualTo(3);
    }
    assertThat(ffprobeCalls.get()).as("only the Matroska file needs ffprobe").isEqualTo(1);
    assertThat(store.segments().touching("cam", T0, T0.plusSeconds(6)).stream()
            .map(sp -> store.segments().findByPath(sp.path()).orElseThrow())
            .toList())
        .extracting(s -> s.media().container())
        .containsExactly("mov,mp4,m4a,3gp,3g2,mj2", "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm");
    assertThat(openGaps("cam")).isEmpty();
  }

  @Test
  void aRecentIncompleteFileIsStillBeingWrittenNotUnreadable() throws Exception {
    store.cameras().add(Camera.of("cam", T0));
    Path f = TestMedia.truncate(
        segment("cam", 0, Spec.plain()), 0.3); // no moov yet, as a recorder leaves it
    TestMedia.touch(f, clock.instant().minusSeconds(20)); // settled (5 s) but within the 60 s grace
    try (SegmentIndexer indexer = indexer()) {
      CameraScanReport r = indexer.scanCamera("cam");
      assertThat(r.indexed()).isZero();
      assertThat(r.unsettled()).isEqualTo(1);
      assertThat(r.unreadable()).isZero();
      assertThat(store.events().count(Optional.of("cam"), EventKinds.SEGMENT_UNREADABLE))
          .isZero();
      // The recorder finishes the file: indexed.
      TestMedia.make(f, Spec.plain());
      TestMedia.touch(f, clock.instant().minusSeconds(10));
      assertThat(indexer.scanCamera("cam").indexed()).isEqualTo(1);
      // A file left incomplete past the grace is unreadable.
      Path stuck = TestMedia.truncate(segment("cam", 4, Spec.plain()), 0.3);
      TestMedia.touch(stuck, clock.instant().minusSeconds(61));
      assertThat(indexer.scanCamera("cam").unreadable()).isEqualTo(1);
    }
  }

  /**
   * The probe's verdicts reach the indexer as their types, through {@code MediaProbes.auto}: an MP4
   * whose samples run past its end (found once the tables are read) is incomplete, so it waits out
   * the grace period; an MP4 without video is unsupported natively, so ffprobe has its say.
   */
  @Test
  void probeVerdictsKeepTheirTypesThroughAutoAndTheIndexer() throws Exception {
    store.cameras().add(Camera.of("cam", T0));
    Path cut = TestMedia.truncate(
        segment("cam", 0, new Spec(Codec.H264, Layout.FASTSTART, true, 2, 25)), 0.9);
    TestMedia.touch(cut, clock.instant().minusSeconds(20)); // settled, within the incomplete grace
    Path audioOnly = root.resolve("cam").resolve(HELDAR_NAME.format(T0.plusSeconds(4)));
    var r = io.heldar.ffmpeg.ExternalProcess.run(
        List.of(
            TestMedia.ffmpeg().toString(),
            "-nostdin",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=48000",
            "-t",
            "2",
            "-c:a",
            "aac",
            "-f",
            "mp4",
            audioOnly.toString()),
        Duration.ofSeconds(60),
        1 << 16,
        4096);
    assertThat(r.exitCode()).as(r.stderrTail()).isZero();
    TestMedia.touch(audioOnly, T0.plusSeconds(6));
    List<Path> fallbacks = new java.util.concurrent.CopyOnWriteArrayList<>();
    MediaProbe auto = io.heldar.core.probe.MediaProbes.auto(file -> {
      fallbacks.add(file.getFileName());
      return FFPROBE.probe(file);
    });
    try (SegmentIndexer indexer = SegmentIndexer.builder()
        .store(store)
        .probe(auto)
        .recordingsRoot(root)
        .clock(clock)
        .build()) {
      CameraScanReport report = indexer.scanCamera("cam");
      assertThat(report.unsettled())
          .as("the cut file waits: incomplete, not unreadable")
          .isEqualTo(1);
      assertThat(report.unreadable()).as("the audio-only file").isEqualTo(1);
    }
    assertThat(fallbacks)
        .as("only the file without video goes to ffprobe")
        .containsExactly(audioOnly.getFileName());
    assertThat(store
            .unreadableFiles()
            .among(List.of("cam/" + audioOnly.getFileName()))
            .values())
        .singleElement()
        .satisfies(u -> assertThat(u.reason()).contains("no video stream"));
    assertThat(store.unreadableFiles().among(List.of("cam/" + cut.getFileName())))
        .isEmpty();
  }
}
