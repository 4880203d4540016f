package io.heldar.examples.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.index.CameraScanReport;
import io.heldar.core.index.FileBucket;
import io.heldar.core.index.IndexingOptions;
import io.heldar.core.index.ScanReport;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.index.SegmentNaming;
import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.testing.MutableClock;
import io.heldar.examples.cli.HeldarCli;
import io.heldar.ffmpeg.FfprobeMediaProbe;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.ffmpeg.testing.TestMedia.Spec;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives laid out as other recorders lay them out, with real ffmpeg files: every camera found,
 * every file in exactly one bucket of the scan report, nothing skipped without a reason.
 */
class RecorderLayoutsTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  static final MediaProbe PROBE = MediaProbes.auto(FfprobeMediaProbe.onPath());

  @TempDir
  Path dir;

  Path root;
  SqliteHeldarStore store;
  MutableClock clock;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(dir.resolve("recordings"));
    store = SqliteHeldarStore.open(dir.resolve("heldar.db"));
    clock = new MutableClock(T0.plusSeconds(3600));
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  /** A settled 2 s segment at {@code path} under the root. */
  Path segment(String path) {
    Path f = TestMedia.make(root.resolve(path), Spec.plain());
    TestMedia.touch(f, T0);
    return f;
  }

  /** A settled non-media file. */
  Path other(String path) throws IOException {
    Path f = root.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, "not a segment");
    TestMedia.touch(f, T0);
    return f;
  }

  ScanReport scan(SegmentNaming naming) {
    try (SegmentIndexer indexer = SegmentIndexer.builder()
        .store(store)
        .probe(PROBE)
        .recordingsRoot(root)
        .options(IndexingOptions.builder().naming(naming).discoverCameras(true).build())
        .clock(clock)
        .build()) {
      return indexer.scanOnce();
    }
  }

  long filesOnDisk() throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .count();
    }
  }

  /** Files the report accounts for: every camera's buckets and everything outside the cameras. */
  static long accountedFor(ScanReport r) {
    return r.cameras().stream().mapToLong(c -> c.files().total()).sum()
        + r.outsideCameras().total();
  }

  CameraScanReport camera(ScanReport r, String id) {
    return r.cameras().stream().filter(c -> c.cameraId().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void frigateTreeWithTheCameraInTheMiddleOfThePath() throws IOException {
    for (String cam : List.of("front_door", "back")) {
      for (String name : List.of("00.00.mp4", "00.02.mp4", "00.30.mp4")) {
        segment("2026-11-21/10/" + cam + "/" + name);
      }
    }
    segment("2026-11-21/11/back/00.00.mp4");
    other("2026-11-21/10/front_door/00.04.mp4.part");
    other("2026-11-21/10/front_door/clip.txt");
    other("2026-11-21/notes.txt");

    ScanReport r = scan(SegmentNaming.frigate());

    assertThat(store.cameras().list()).extracting(Camera::id).containsExactly("back", "front_door");
    assertThat(camera(r, "front_door").indexed()).isEqualTo(3);
    assertThat(camera(r, "back").indexed()).isEqualTo(4);
    assertThat(store.segments().touching("back", T0, T0.plusSeconds(7200)))
        .extracting(io.heldar.core.model.SegmentSpan::start)
        .contains(Instant.parse("2026-11-21T11:00:00Z"));
    assertThat(r.outsideCameras().count(FileBucket.HIDDEN_OR_TEMPORARY)).isEqualTo(1);
    assertThat(r.outsideCameras().count(FileBucket.NAME_DOES_NOT_MATCH)).isEqualTo(2);
    assertThat(r.outsideCameras().examples(FileBucket.NAME_DOES_NOT_MATCH))
        .containsExactlyInAnyOrder("2026-11-21/10/front_door/clip.txt", "2026-11-21/notes.txt");
    assertThat(accountedFor(r)).as("every file in one bucket").isEqualTo(filesOnDisk());

    ScanReport again = scan(SegmentNaming.frigate());
    assertThat(again.indexed()).isZero();
    assertThat(camera(again, "back").alreadyIndexed()).isEqualTo(4);
    assertThat(accountedFor(again)).isEqualTo(filesOnDisk());
  }

  @Test
  void mediamtxPathNamesWithSlashesDotsAndUnderscoresMapToIdsAndKeepTheirNames()
      throws IOException {
    segment("cam2/main/2026-11-21_10-00-00-000000.mp4");
    segment("cam2/main/2026-11-21_10-00-02-000000.mp4");
    segment("garage.cam/2026-11-21_10-00-00-000000.mp4");
    segment("_lobby/2026-11-21_10-00-00-500000.mp4");
    other("_lobby/thumbnail.jpg");

    ScanReport r = scan(SegmentNaming.mediamtx(ZoneOffset.UTC));

    assertThat(store.cameras().list())
        .extracting(Camera::id, Camera::recorderName)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("cam2-main", Optional.of("cam2/main")),
            org.assertj.core.groups.Tuple.tuple("garage-cam", Optional.of("garage.cam")),
            org.assertj.core.groups.Tuple.tuple("lobby", Optional.of("_lobby")));
    assertThat(r.indexed()).isEqualTo(4);
    assertThat(store.segments().touching("lobby", T0, T0.plusSeconds(10)))
        .singleElement()
        .satisfies(s -> assertThat(s.start()).isEqualTo(T0.plusMillis(500)));
    assertThat(r.outsideCameras().examples(FileBucket.NAME_DOES_NOT_MATCH))
        .containsExactly("_lobby/thumbnail.jpg");
    assertThat(accountedFor(r)).isEqualTo(filesOnDisk());
    assertThat(store.events().count(Optional.of("cam2-main"), EventKinds.CAMERA_REGISTERED))
        .isEqualTo(1);
  }

  @Test
  void twoRecorderNamesForOneIdAreAnErrorNamingBoth() throws IOException {
    segment("garage.cam/2026-11-21_10-00-00-000000.mp4");
    segment("garage-cam/2026-11-21_10-00-00-000000.mp4");
    segment("yard/2026-11-21_10-00-00-000000.mp4");

    SegmentIndexer indexer = SegmentIndexer.builder()
        .store(store)
        .probe(PROBE)
        .recordingsRoot(root)
        .options(IndexingOptions.builder()
            .naming(SegmentNaming.mediamtx(ZoneOffset.UTC))
            .discoverCameras(true)
            .build())
        .clock(clock)
        .build();
    ScanReport r = indexer.scanOnce();

    assertThat(r.conflicts()).singleElement().satisfies(c -> {
      assertThat(c.cameraId()).isEqualTo("garage-cam");
      assertThat(c.recorderNames()).containsExactlyInAnyOrder("garage.cam", "garage-cam");
      assertThat(c.describe()).contains("'garage.cam'", "'garage-cam'");
    });
    assertThat(store.cameras().list()).extracting(Camera::id).containsExactly("yard");
    assertThat(r.outsideCameras().count(FileBucket.CAMERA_ID_CONFLICT)).isEqualTo(2);
    assertThat(accountedFor(r)).isEqualTo(filesOnDisk());
    assertThat(store.events().count(Optional.empty(), EventKinds.CAMERA_ID_CONFLICT))
        .isEqualTo(1);
    assertThat(indexer.scanOnce().conflicts()).hasSize(1);
    assertThat(store.events().count(Optional.empty(), EventKinds.CAMERA_ID_CONFLICT))
        .as("raised once")
        .isEqualTo(1);
    indexer.close();

    // Registering one under an id of one's choice resolves it.
    store
        .cameras()
        .add(new Camera("garage-2", "garage.cam", Optional.empty(), T0, Optional.of("garage.cam")));
    ScanReport resolved = scan(SegmentNaming.mediamtx(ZoneOffset.UTC));
    assertThat(resolved.conflicts()).isEmpty();
    assertThat(store.cameras().list())
        .extracting(Camera::id)
        .containsExactly("garage-2", "garage-cam", "yard");
    assertThat(resolved.indexed()).isEqualTo(2);
  }

  @Test
  void shinobiTimelapseFoldersAreNotCameras() throws IOException {
    segment("Xk2jd7Qa/frontcam/2026-11-21T10-00-00.mp4");
    segment("Xk2jd7Qa/frontcam/2026-11-21T10-00-02.mp4");
    other("Xk2jd7Qa/frontcam_timelapse/2026-11-21/2026-11-21T10-00-00.jpg");
    other("Xk2jd7Qa/frontcam_timelapse/2026-11-21/2026-11-21T10-01-00.jpg");

    ScanReport r = scan(SegmentNaming.shinobi(ZoneOffset.UTC));

    assertThat(store.cameras().list()).extracting(Camera::id).containsExactly("Xk2jd7Qa-frontcam");
    assertThat(r.indexed()).isEqualTo(2);
    assertThat(r.outsideCameras().count(FileBucket.NAME_DOES_NOT_MATCH)).isEqualTo(2);
    assertThat(accountedFor(r)).isEqualTo(filesOnDisk());
  }

  @Test
  void zoneminderDeepStorageAndBlueIrisClips() throws IOException {
    segment("3/26/11/21/10/00/00/1201-video.mp4");
    segment("3/26/11/21/10/05/00/1202-video.mp4");
    other("3/26/11/21/10/00/00/00001-capture.jpg");
    Files.createSymbolicLink(root.resolve("3/26/11/21/.1201"), root.resolve("3/26/11/21/10/00/00"));
    ScanReport zm = scan(SegmentNaming.zoneminder(ZoneOffset.UTC));
    assertThat(camera(zm, "3").indexed()).isEqualTo(2);
    assertThat(camera(zm, "3").unparseable()).isEqualTo(1);
    assertThat(camera(zm, "3").files().count(FileBucket.NOT_A_REGULAR_FILE))
        .as("ZoneMinder's event links")
        .isEqualTo(1);
    assertThat(accountedFor(zm)).isEqualTo(filesOnDisk());

    Path clips = Files.createDirectories(dir.resolve("clips"));
    TestMedia.touch(
        TestMedia.make(clips.resolve("Front.Door.20261121_100000.mp4"), Spec.plain()), T0);
    TestMedia.touch(TestMedia.make(clips.resolve("Back.20261121_100000.mp4"), Spec.plain()), T0);
    try (SegmentIndexer indexer = SegmentIndexer.builder()
        .store(store)
        .probe(PROBE)
        .recordingsRoot(clips)
        .options(IndexingOptions.builder()
            .naming(SegmentNaming.blueIris(ZoneOffset.UTC))
            .discoverCameras(true)
            .build())
        .clock(clock)
        .build()) {
      ScanReport bi = indexer.scanOnce();
      assertThat(bi.indexed()).isEqualTo(2);
    }
    assertThat(store.cameras().find("Front-Door").flatMap(Camera::recorderName))
        .contains("Front.Door");
  }

  @Test
  void withoutDiscoveryOnlyRegisteredCamerasAreIndexedAndTheRestIsCounted() throws IOException {
    segment("2026-11-21/10/front_door/00.00.mp4");
    segment("2026-11-21/10/back/00.00.mp4");
    store.cameras().add(Camera.of("back", T0));
    try (SegmentIndexer indexer = SegmentIndexer.builder()
        .store(store)
        .probe(PROBE)
        .recordingsRoot(root)
        .options(IndexingOptions.builder().naming(SegmentNaming.frigate()).build())
        .clock(clock)
        .build()) {
      ScanReport r = indexer.scanOnce();
      assertThat(r.indexed()).isEqualTo(1);
      assertThat(r.outsideCameras().examples(FileBucket.CAMERA_NOT_REGISTERED))
          .containsExactly("2026-11-21/10/front_door/00.00.mp4");
      assertThat(accountedFor(r)).isEqualTo(filesOnDisk());
      assertThat(store.cameras().list()).extracting(Camera::id).containsExactly("back");
    }
  }

  @Test
  void heldarIndexWithTheFrigatePresetPrintsCountsAndExamples() throws IOException {
    segment("2026-11-21/10/front_door/00.00.mp4");
    segment("2026-11-21/10/front_door/00.02.mp4");
    other("2026-11-21/10/front_door/snapshot.jpg");
    other("2026-11-21/stray.mp4");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = HeldarCli.run(
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        "index",
        "--db",
        dir.resolve("cli.db").toString(),
        "--root",
        root.toString(),
        "--naming",
        "frigate",
        "--settle",
        "0s",
        "--once");
    assertThat(status).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("front_door: indexed 2")
        .contains("outside any camera: 2 entries")
        .contains(
            "ignored: name does not match the naming pattern: 2 (2026-11-21/stray.mp4, 2026-11-21/10/front_door/snapshot.jpg)")
        .doesNotContain("2026-11-21: indexed");
  }
}
