package io.heldar.store.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.event.HeldarEvent;
import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.GapCause;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.model.Segment;
import io.heldar.core.model.Severity;
import io.heldar.core.model.SlotSnapshot;
import io.heldar.core.model.Snapshot;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.core.model.UnreadableFile;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The SPI contract every store passes: each store method, transactions, constraints. */
public abstract class StoreContract extends StoreContractBase {
  /** The instant the contract's records start at. */
  public static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  /** Media of {@code seconds}. */
  public static MediaInfo media(double seconds) {
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

  /** Segment {@code index} of {@code cam}: every 10 s, {@code seconds} long. */
  public static Segment segment(String cam, int index, double seconds) {
    Instant start = T0.plusSeconds(index * 10L);
    return Segment.of(
        cam,
        cam + "/" + index + ".mp4",
        start,
        media(seconds),
        1000 + index,
        start.plusSeconds(11),
        T0);
  }

  @Test
  void reopensAnExistingDatabaseWithoutLosingData() {
    try (HeldarStore store = openDatabase()) {
      store.cameras().add(Camera.of("cam1", T0));
    }
    try (HeldarStore store = openDatabase()) {
      assertThat(store.cameras().find("cam1")).isPresent();
      assertThat(store.cameras().add(Camera.of("cam1", T0))).isFalse();
    }
  }

  @Test
  void keepsEachCameraRecorderNameAndRefusesOneNameForTwoCameras() {
    try (HeldarStore store = openDatabase()) {
      store
          .cameras()
          .add(
              new Camera("cam2-main", "cam2/main", Optional.empty(), T0, Optional.of("cam2/main")));
      store.cameras().add(Camera.of("plain", T0));
      assertThat(store.cameras().find("cam2-main").flatMap(Camera::recorderName))
          .contains("cam2/main");
      assertThat(store.cameras().find("plain").orElseThrow().recorderNameOrId()).isEqualTo("plain");
      Camera renamed = store.cameras().find("cam2-main").orElseThrow().withName("Main entrance");
      store.cameras().update(renamed);
      assertThat(store.cameras().find("cam2-main").flatMap(Camera::recorderName))
          .as("kept by updates")
          .contains("cam2/main");
      assertThatThrownBy(() -> store
              .cameras()
              .add(new Camera("other", "x", Optional.empty(), T0, Optional.of("cam2/main"))))
          .isInstanceOf(RuntimeException.class);
    }
  }

  @Test
  void keepsEachCameraEdgeUrlAndTheHealHistoryOfItsRanges() {
    try (HeldarStore store = openDatabase()) {
      Camera cam = Camera.of("gate", T0)
          .withEdgeUrl(Optional.of("http://u:p@10.0.0.9:9996/get?path={camera}&start={start}"));
      store.cameras().add(cam);
      assertThat(store.cameras().find("gate")).contains(cam);
      store.cameras().update(cam.withName("Gate").withEdgeUrl(Optional.empty()));
      assertThat(store.cameras().find("gate").orElseThrow().edgeUrl()).isEmpty();

      io.heldar.core.heal.HealAttempt failed = new io.heldar.core.heal.HealAttempt(
          "gate",
          T0,
          T0.plusSeconds(300),
          "http://10.0.0.9:9996",
          io.heldar.core.heal.HealAttempt.Outcome.FAILED,
          1,
          Optional.of("edge_unreachable"),
          Optional.of("connection refused"),
          0,
          Optional.empty(),
          Optional.of(T0.plusSeconds(3660)),
          T0.plusSeconds(3600),
          T0.plusSeconds(3600));
      store.heals().record(failed);
      assertThat(store.heals().find("gate", T0)).contains(failed);
      // The second try heals it: the same row, updated; the first try's time is kept.
      io.heldar.core.heal.HealAttempt healed = new io.heldar.core.heal.HealAttempt(
          "gate",
          T0,
          T0.plusSeconds(300),
          "http://10.0.0.9:9996",
          io.heldar.core.heal.HealAttempt.Outcome.PARTIAL,
          2,
          Optional.empty(),
          Optional.of("the edge had 120.5 s"),
          120.5,
          Optional.of("gate/20261121T100000Z.mp4"),
          Optional.empty(),
          T0.plusSeconds(9999),
          T0.plusSeconds(3700));
      store.heals().record(healed);
      io.heldar.core.heal.HealAttempt stored = store.heals().find("gate", T0).orElseThrow();
      assertThat(stored.tries()).isEqualTo(2);
      assertThat(stored.healedSeconds()).isEqualTo(120.5);
      assertThat(stored.nextTryAt()).isEmpty();
      assertThat(stored.firstTryAt()).isEqualTo(T0.plusSeconds(3600));
      assertThat(stored.landed()).isTrue();
      store
          .heals()
          .record(new io.heldar.core.heal.HealAttempt(
              "gate",
              T0.plusSeconds(300),
              T0.plusSeconds(600),
              "rtsp://10.0.0.9:554",
              io.heldar.core.heal.HealAttempt.Outcome.GIVEN_UP,
              5,
              Optional.of("edge_has_no_footage"),
              Optional.of("404"),
              0,
              Optional.empty(),
              Optional.empty(),
              T0,
              T0));
      assertThat(store.heals().overlapping("gate", T0.plusSeconds(299), T0.plusSeconds(301), 10))
          .extracting(io.heldar.core.heal.HealAttempt::outcome)
          .containsExactly(
              io.heldar.core.heal.HealAttempt.Outcome.PARTIAL,
              io.heldar.core.heal.HealAttempt.Outcome.GIVEN_UP);
      assertThat(store.heals().overlapping("gate", T0.plusSeconds(600), T0.plusSeconds(900), 10))
          .isEmpty();
      assertThat(store.heals().overlapping("gate", T0, T0.plusSeconds(900), 1)).hasSize(1);
      // History blocks deleting the camera, as its gaps do.
      assertThatThrownBy(() -> store.cameras().delete("gate"))
          .isInstanceOf(io.heldar.core.store.CameraInUseException.class)
          .hasMessageContaining("gap_heals");
    }
  }

  @Test
  void roundTripsEveryRecord() {
    try (HeldarStore store = openDatabase()) {
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
      assertThat(paths(store, "cam-1")).containsExactly(s0.path(), s1.path());
      assertThat(store.segments().touching("cam-1", T0.plusSeconds(10), T0.plusSeconds(10)))
          .containsExactly(
              io.heldar.core.model.SegmentSpan.of(s0), io.heldar.core.model.SegmentSpan.of(s1));
      assertThat(store.segments().latestEndAtOrBefore("cam-1", T0.plusSeconds(15)))
          .contains(T0.plusSeconds(10));
      assertThat(store.segments().earliestStartAtOrAfter("cam-1", T0.plusSeconds(1)))
          .contains(T0.plusSeconds(10));
      assertThat(store.segments().count("cam-1")).isEqualTo(2);

      RecordingGap gap = store
          .gaps()
          .insertOpen("cam-1", T0.plusSeconds(20), T0.plusSeconds(60), GapCause.MISSING, T0);
      assertThat(store.gaps().find(gap.id())).contains(gap);
      assertThat(store.gaps().resize(gap.id(), T0.plusSeconds(30), T0.plusSeconds(60)))
          .isTrue();
      assertThat(store.gaps().openOverlapping("cam-1", T0, T0.plusSeconds(31)))
          .singleElement()
          .satisfies(g -> assertThat(g.gapSeconds()).isEqualTo(30.0));
      assertThat(store.gaps().markFilled(gap.id(), T0.plusSeconds(99))).isTrue();
      assertThat(store.gaps().list("cam-1", Optional.of(GapStatus.FILLED)))
          .singleElement()
          .satisfies(g -> assertThat(g.filledAt()).contains(T0.plusSeconds(99)));
      assertThat(store.gaps().openOverlapping("cam-1", T0, T0.plusSeconds(100))).isEmpty();

      var stats = store.cameraStats().refresh("cam-1", T0);
      assertThat(stats.lastSegmentEnd()).contains(T0.plusMillis(19_500));
      assertThat(stats.segmentCount()).isEqualTo(2);
      assertThat(stats.totalBytes()).isEqualTo(2001);
      assertThat(stats.bitrateKbps().getAsDouble())
          .isCloseTo(2001 * 8 / 1000.0 / 19.5, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(stats.fps()).hasValue(25.0);
      assertThat(store.cameraStats().find("cam-1")).contains(stats);

      HeldarEvent event = HeldarEvent.of(
          "cam-1",
          EventKinds.RECORDING_GAP,
          Severity.WARNING,
          Map.of("gap_seconds", 40.5, "prev_end", "x \"quoted\"\n", "n", 3L, "ok", true),
          T0);
      store.events().append(event);
      assertThat(store
              .events()
              .recent(Optional.of("cam-1"), Optional.of(EventKinds.RECORDING_GAP), 10))
          .containsExactly(event);
      assertThat(store.events().count(Optional.empty(), EventKinds.RECORDING_GAP))
          .isEqualTo(1);

      SnapshotSchedule sched =
          store.snapshotSchedules().create("cam-1", Duration.ofSeconds(10), true, T0);
      assertThat(store.snapshotSchedules().find(sched.id())).contains(sched);
      assertThat(store
              .snapshotSchedules()
              .markFired(sched.id(), T0.plusSeconds(10), T0.plusSeconds(11)))
          .isTrue();
      assertThat(store.snapshotSchedules().find(sched.id()).orElseThrow().lastFiredAt())
          .contains(T0.plusSeconds(10));
      // In one batch: forward for one schedule, never backwards, and an unknown id changes nothing.
      SnapshotSchedule other =
          store.snapshotSchedules().create("cam-1", Duration.ofSeconds(10), true, T0);
      store
          .snapshotSchedules()
          .markFiredAll(
              Map.of(sched.id(), T0, other.id(), T0.plusSeconds(20), 999_999L, T0),
              T0.plusSeconds(21));
      assertThat(store.snapshotSchedules().find(sched.id()).orElseThrow().lastFiredAt())
          .contains(T0.plusSeconds(10));
      assertThat(store.snapshotSchedules().find(other.id()).orElseThrow().lastFiredAt())
          .contains(T0.plusSeconds(20));
      assertThat(store.snapshotSchedules().delete(other.id())).isTrue();
      assertThat(store
              .snapshotSchedules()
              .update(sched.id(), Duration.ofSeconds(60), false, T0.plusSeconds(12))
              .orElseThrow())
          .satisfies(s -> {
            assertThat(s.interval()).isEqualTo(Duration.ofSeconds(60));
            assertThat(s.enabled()).isFalse();
          });

      Snapshot snap = new Snapshot(
          "cam-1",
          OptionalLong.of(sched.id()),
          "cam-1/20261121T100010000Z.jpg",
          T0.plusSeconds(10),
          5000,
          T0.plusSeconds(10));
      store.snapshots().insert(snap);
      assertThat(store.snapshots().list("cam-1", T0, T0.plusSeconds(11))).containsExactly(snap);
      assertThat(store.snapshotSchedules().delete(sched.id())).isTrue();
      assertThat(store.snapshots().all("cam-1"))
          .singleElement()
          .satisfies(s -> assertThat(s.scheduleId()).isEmpty());
      assertThat(store.snapshotSchedules().list()).isEmpty();
    }
  }

  @Test
  void transactionRollsBackEverythingOnFailure() {
    try (HeldarStore store = openDatabase()) {
      store.cameras().add(Camera.of("cam1", T0));
      assertThatThrownBy(() -> store.useTransaction(() -> {
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
    try (HeldarStore store = openDatabase()) {
      assertThatThrownBy(() -> store.segments().insertAll(List.of(segment("nobody", 0, 10))))
          .isInstanceOf(StoreException.class)
          .hasMessageMatching("(?is).*foreign key.*");
    }
  }

  @Test
  void closedStoreFailsClearly() {
    HeldarStore store = openDatabase();
    store.close();
    store.close();
    assertThatThrownBy(() -> store.cameras().list())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("closed");
  }

  static List<String> paths(HeldarStore store, String camera) {
    return store.segments().versionsInPathOrder(camera, Optional.empty(), 100_000).stream()
        .map(Map.Entry::getKey)
        .toList();
  }

  @Test
  void pagesSegmentsInStartThenPathOrderComparingPathsByteByByte() {
    try (HeldarStore store = openDatabase()) {
      store.cameras().add(Camera.of("cam", T0));
      // Same start, paths that sort differently by locale than byte by byte ("B" < "a" < "b" in
      // bytes).
      List<Segment> segs = new ArrayList<>();
      // Non-ASCII names too (2- and 4-byte UTF-8): SQLite pages read text as UTF-8 bytes.
      for (String name : List.of("b", "B", "a", "_x", "A1", "caf\u00e9", "\ud83d\ude00 door")) {
        segs.add(Segment.of("cam", "cam/" + name + ".mp4", T0, media(5), 10, T0, T0));
      }
      for (int i = 1; i <= 7; i++) {
        segs.add(segment("cam", i, 5));
      }
      store.segments().insertAll(segs);
      List<String> expected = segs.stream()
          .sorted(java.util.Comparator.comparing(Segment::start).thenComparing(Segment::path))
          .map(Segment::path)
          .toList();
      List<String> paged = new ArrayList<>();
      Optional<Segment> after = Optional.empty();
      while (true) {
        List<Segment> page = store
            .segments()
            .overlapping("cam", T0.minusSeconds(60), T0.plusSeconds(3600), 3, after);
        if (page.isEmpty()) {
          break;
        }
        page.forEach(x -> paged.add(x.path()));
        after = Optional.of(page.get(page.size() - 1));
      }
      assertThat(paged).containsExactlyElementsOf(expected);
      assertThat(store.segments().oldestFirst(Optional.of("cam"), 100, Optional.empty()))
          .extracting(Segment::path)
          .containsExactlyElementsOf(expected);
      assertThat(store.segments().oldestFirst(Optional.empty(), 2, Optional.empty()))
          .extracting(Segment::path)
          .containsExactlyElementsOf(expected.subList(0, 2));
      // Retention's narrow read: the same rows in the same order, page by page.
      List<io.heldar.core.store.RetentionCandidate> candidates = new ArrayList<>();
      Optional<io.heldar.core.store.RetentionCandidate> afterCandidate = Optional.empty();
      while (true) {
        List<io.heldar.core.store.RetentionCandidate> page =
            store.segments().oldestCandidates(Optional.of("cam"), 2, afterCandidate);
        if (page.isEmpty()) {
          break;
        }
        candidates.addAll(page);
        afterCandidate = Optional.of(page.get(page.size() - 1));
      }
      assertThat(candidates)
          .containsExactlyElementsOf(
              store.segments().oldestFirst(Optional.of("cam"), 100, Optional.empty()).stream()
                  .map(io.heldar.core.store.RetentionCandidate::of)
                  .toList());
      List<String> byPath = segs.stream().map(Segment::path).sorted().toList();
      assertThat(store.segments().versionsInPathOrder("cam", Optional.empty(), 100))
          .extracting(Map.Entry::getKey)
          .containsExactlyElementsOf(byPath);
      assertThat(store.segments().versionsInPathOrder("cam", Optional.of(byPath.get(2)), 2))
          .extracting(Map.Entry::getKey)
          .containsExactlyElementsOf(byPath.subList(3, 5));
      assertThat(store.segments().newest("cam"))
          .map(Segment::path)
          .contains(segs.get(segs.size() - 1).path());
      assertThat(store.segments().versionsAmong(List.of("cam/a.mp4", "cam/none.mp4")))
          .containsOnlyKeys("cam/a.mp4")
          .containsValue(new io.heldar.core.model.FileVersion(10, T0));
      List<String> spanned = new ArrayList<>();
      Optional<io.heldar.core.model.SegmentSpan> afterSpan = Optional.empty();
      while (true) {
        List<io.heldar.core.model.SegmentSpan> page =
            store.segments().spans("cam", T0.minusSeconds(60), T0.plusSeconds(3600), 4, afterSpan);
        if (page.isEmpty()) {
          break;
        }
        page.forEach(x -> spanned.add(x.path()));
        afterSpan = Optional.of(page.get(page.size() - 1));
      }
      assertThat(spanned).as("spans page like whole segments").containsExactlyElementsOf(expected);
      assertThat(store
              .segments()
              .spans("cam", T0.plusSeconds(11), T0.plusSeconds(12), 10, Optional.empty()))
          .containsExactly(io.heldar.core.model.SegmentSpan.of(segs.get(7)));
    }
  }

  @Test
  void segmentsGoMissingComeBackAndAreDeletedInTwoSteps() {
    try (HeldarStore store = openDatabase()) {
      store.cameras().add(Camera.of("cam", T0));
      List<Segment> segs =
          List.of(segment("cam", 0, 10), segment("cam", 1, 10), segment("cam", 2, 10));
      store.segments().insertAll(segs);
      assertThat(store.segments().buckets("cam", T0.minusSeconds(3600), T0.plusSeconds(3600)))
          .singleElement()
          .satisfies(b -> {
            assertThat(b.segments()).isEqualTo(3);
            assertThat(b.recorded()).isEqualTo(Duration.ofSeconds(30));
          });
      assertThat(store.segments().moveToMissing(List.of(segs.get(1).path()), T0.plusSeconds(99)))
          .containsExactly(segs.get(1));
      assertThat(store.segments().count("cam")).isEqualTo(2);
      assertThat(store.segments().countMissing("cam")).isEqualTo(1);
      assertThat(store.segments().missing("cam", 10)).containsExactly(segs.get(1));
      assertThat(store.segments().buckets("cam", T0.minusSeconds(3600), T0.plusSeconds(3600)))
          .singleElement()
          .satisfies(b -> assertThat(b.recorded()).isEqualTo(Duration.ofSeconds(20)));
      assertThat(store.segments().forgetMissing(List.of(segs.get(1).path()))).isEqualTo(1);
      assertThat(store.segments().countMissing("cam")).isZero();

      assertThat(store.segments().markDeletePending(List.of(segs.get(0).path())))
          .isEqualTo(1);
      assertThat(store.segments().deletePending(10)).containsExactly(segs.get(0));
      assertThat(store.segments().deletePendingPaths("cam"))
          .containsExactly(segs.get(0).path());
      assertThat(store.segments().deletePendingPaths("other")).isEmpty();
      assertThat(store.segments().oldestFirst(Optional.of("cam"), 10, Optional.empty()))
          .containsExactly(segs.get(2));
      store.segments().clearDeletePending(List.of(segs.get(0).path()));
      assertThat(store.segments().deletePending(10)).isEmpty();
      assertThat(store.segments().delete(List.of(segs.get(0).path(), "never"))).isEqualTo(1);
      assertThat(paths(store, "cam")).containsExactly(segs.get(2).path());
      Camera gone = Camera.of("gone", T0);
      store.cameras().add(gone);
      assertThat(store.cameras().delete("gone")).isTrue();
      assertThat(store.cameras().find("gone")).isEmpty();

      // a camera with footage or its history is refused whole, saying what is left; derived rows
      // (stats, roll-ups, unreadable-file records) go with a camera that has none
      store.segments().moveToMissing(List.of(segs.get(2).path()), T0.plusSeconds(120));
      assertThatThrownBy(() -> store.cameras().delete("cam"))
          .isInstanceOf(io.heldar.core.store.CameraInUseException.class)
          .hasMessageContaining("camera cam cannot be deleted")
          .hasMessageContaining("missing_segments (1)")
          .satisfies(e -> assertThat(((io.heldar.core.store.CameraInUseException) e).remaining())
              .containsEntry("missing_segments", 1L));
      assertThat(store.cameras().find("cam")).isPresent();
      store.segments().forgetMissing(List.of(segs.get(2).path()));
      store
          .unreadableFiles()
          .put(
              new io.heldar.core.model.UnreadableFile("cam", "cam/bad.mp4", 10, T0, "corrupt", T0));
      store.cameraStats().refresh("cam", T0);
      assertThat(store.cameras().delete("cam")).isTrue();
      assertThat(store.unreadableFiles().among(List.of("cam/bad.mp4"))).isEmpty();
    }
  }

  @Test
  void aScheduleSlotHasAtMostOneSnapshotWhoeverCommitsIt() {
    try (HeldarStore store = openDatabase()) {
      store.cameras().add(Camera.of("cam", T0));
      SnapshotSchedule s =
          store.snapshotSchedules().create("cam", Duration.ofSeconds(10), true, T0);
      SlotSnapshot first = slot(s.id(), "cam/a.jpg", T0, Optional.of("node-a"), 1);
      SlotSnapshot again = slot(s.id(), "cam/b.jpg", T0, Optional.of("node-b"), 2);
      SlotSnapshot next = slot(s.id(), "cam/c.jpg", T0.plusSeconds(10), Optional.empty(), 0);
      assertThat(store.snapshots().insertForSlots(List.of(first))).isEmpty();
      assertThat(store.snapshots().insertForSlots(List.of(again, next))).containsExactly(again);
      assertThat(store.snapshots().forSlot(s.id(), T0)).contains(first);
      assertThat(store.snapshots().forSlot(s.id(), T0.plusSeconds(10))).contains(next);
      assertThat(store.snapshots().forSlot(s.id(), T0.plusSeconds(20))).isEmpty();
      assertThat(store.snapshots().all("cam"))
          .extracting(Snapshot::path)
          .containsExactly("cam/a.jpg", "cam/c.jpg");
      // snapshots without a slot never conflict
      store
          .snapshots()
          .insertAll(List.of(
              new Snapshot("cam", OptionalLong.of(s.id()), "cam/d.jpg", T0, 5, T0),
              new Snapshot("cam", OptionalLong.of(s.id()), "cam/e.jpg", T0, 5, T0)));
      assertThat(store.snapshots().all("cam")).hasSize(4);
    }
  }

  private static SlotSnapshot slot(
      long schedule, String path, Instant slot, Optional<String> node, long epoch) {
    return new SlotSnapshot(
        new Snapshot("cam", OptionalLong.of(schedule), path, slot.plusMillis(40), 100, slot),
        slot,
        node,
        epoch);
  }

  @Test
  void unreadableFilesHoldsAndSnapshotQueries() {
    try (HeldarStore store = openDatabase()) {
      store.cameras().add(Camera.of("cam", T0));
      UnreadableFile bad = new UnreadableFile("cam", "cam/bad.mp4", 12, T0, "no moov box", T0);
      store.unreadableFiles().put(bad);
      UnreadableFile again = new UnreadableFile(
          "cam", "cam/bad.mp4", 14, T0.plusSeconds(1), "still no moov", T0.plusSeconds(2));
      store.unreadableFiles().put(again);
      assertThat(store.unreadableFiles().among(List.of("cam/bad.mp4", "cam/ok.mp4")))
          .containsExactly(Map.entry("cam/bad.mp4", again));
      assertThat(store.unreadableFiles().of("cam")).containsOnlyKeys("cam/bad.mp4");
      store.unreadableFiles().remove("cam/bad.mp4");
      assertThat(store.unreadableFiles().of("cam")).isEmpty();

      var hold = store.holds().add("cam", T0, T0.plusSeconds(60), "incident 7", T0);
      assertThat(store.holds().list("cam")).containsExactly(hold);
      assertThat(store.holds().remove(hold.id())).isTrue();
      assertThat(store.holds().list("cam")).isEmpty();

      List<Snapshot> snaps = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        snaps.add(new Snapshot(
            "cam", OptionalLong.empty(), "cam/s" + i + ".jpg", T0.plusSeconds(10L * i), 100, T0));
      }
      store.snapshots().insertAll(snaps);
      assertThat(store.snapshots().nearest("cam", T0.plusSeconds(14))).contains(snaps.get(1));
      assertThat(store.snapshots().nearest("cam", T0.plusSeconds(16))).contains(snaps.get(2));
      assertThat(store.snapshots().findByPath("cam/s3.jpg")).contains(snaps.get(3));
      assertThat(store.snapshots().takenBefore("cam", T0.plusSeconds(25), 2, Optional.empty()))
          .containsExactly(snaps.get(0), snaps.get(1));
      assertThat(store
              .snapshots()
              .takenBefore("cam", T0.plusSeconds(25), 2, Optional.of(snaps.get(1))))
          .containsExactly(snaps.get(2));
      assertThat(store.snapshots().markDeletePending(List.of("cam/s0.jpg"))).isEqualTo(1);
      assertThat(store.snapshots().deletePending(5)).containsExactly(snaps.get(0));
      store.snapshots().clearDeletePending(List.of("cam/s0.jpg"));
      assertThat(store.snapshots().delete(List.of("cam/s0.jpg"))).isEqualTo(1);
      assertThat(store.snapshots().all("cam")).containsExactlyElementsOf(snaps.subList(1, 4));
      assertThat(store.segments().buckets("cam", T0, T0.plusSeconds(3600)))
          .singleElement()
          .satisfies(b -> assertThat(b.snapshots()).isEqualTo(3));

      for (int i = 0; i < 5; i++) {
        Map<String, Object> payload = Map.of("i", (long) i);
        store
            .events()
            .append(
                i % 2 == 0
                    ? HeldarEvent.of(
                        "cam", "kind_" + (i % 3), Severity.INFO, payload, T0.plusSeconds(i))
                    : HeldarEvent.global(
                        "kind_" + (i % 3), Severity.INFO, payload, T0.plusSeconds(i)));
      }
      assertThat(store.events().recent(Optional.empty(), Optional.empty(), 3))
          .extracting(e -> e.payload().get("i"))
          .containsExactly(4L, 3L, 2L);
      assertThat(store.events().recent(Optional.of("cam"), Optional.empty(), 10))
          .hasSize(3);
      assertThat(store.events().count(Optional.of("cam"), "kind_0")).isEqualTo(1);
      assertThat(store.events().recent(Optional.empty(), Optional.of("kind_1"), 10))
          .extracting(HeldarEvent::cameraId)
          .containsExactly(Optional.of("cam"), Optional.empty());

      // a cursor: ids grow, a reader resumes after the last id it saw
      List<io.heldar.core.event.StoredEvent> first = store.events().after(0, Optional.empty(), 2);
      assertThat(first).extracting(e -> e.event().payload().get("i")).containsExactly(0L, 1L);
      assertThat(first.get(1).id()).isGreaterThan(first.get(0).id());
      assertThat(store.events().after(first.get(1).id(), Optional.empty(), 10))
          .extracting(e -> e.event().payload().get("i"))
          .containsExactly(2L, 3L, 4L);
      assertThat(store.events().after(0, Optional.of("cam"), 10))
          .extracting(e -> e.event().payload().get("i"))
          .containsExactly(0L, 2L, 4L);
      // and backwards from the newest
      List<io.heldar.core.event.StoredEvent> newest =
          store.events().before(Long.MAX_VALUE, Optional.empty(), 2);
      assertThat(newest).extracting(e -> e.event().payload().get("i")).containsExactly(4L, 3L);
      assertThat(store.events().before(newest.get(1).id(), Optional.empty(), 10))
          .extracting(e -> e.event().payload().get("i"))
          .containsExactly(2L, 1L, 0L);
      assertThat(store.events().before(Long.MAX_VALUE, Optional.of("cam"), 2))
          .extracting(e -> e.event().payload().get("i"))
          .containsExactly(4L, 2L);
      assertThatThrownBy(() -> store.events().before(Long.MAX_VALUE, Optional.empty(), 10_001))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.events().after(0, Optional.empty(), 10_001))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("10001");
      // pruning: the oldest first, in batches, never what is younger than the cutoff
      assertThat(store.events().deleteOlderThan(T0.plusSeconds(3), 2)).isEqualTo(2);
      assertThat(store.events().deleteOlderThan(T0.plusSeconds(3), 2)).isEqualTo(1);
      assertThat(store.events().deleteOlderThan(T0.plusSeconds(3), 2)).isZero();
      assertThat(store.events().after(0, Optional.empty(), 10))
          .extracting(e -> e.event().payload().get("i"))
          .containsExactly(3L, 4L);
    }
  }
}
