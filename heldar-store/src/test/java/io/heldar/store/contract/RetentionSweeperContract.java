package io.heldar.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.GapCause;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.model.Segment;
import io.heldar.core.model.Snapshot;
import io.heldar.core.retention.DeletionReason;
import io.heldar.core.retention.DiskSpace;
import io.heldar.core.retention.PlannedDeletion;
import io.heldar.core.retention.RetentionPlan;
import io.heldar.core.retention.RetentionPolicy;
import io.heldar.core.retention.RetentionSweeper;
import io.heldar.core.retention.SweepReport;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retention on the store under test and real files. */
public abstract class RetentionSweeperContract extends StoreContractBase {
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  Path root;
  Path snaps;
  HeldarStore store;
  MutableClock clock;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectories(dir.resolve("rec"));
    snaps = Files.createDirectories(dir.resolve("snaps"));
    store = openDatabase();
    clock = new MutableClock(T0.plus(Duration.ofDays(2)));
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  /** {@code n} 10 s segments of 1000 bytes each, back to back from {@code from}, files and rows. */
  List<Segment> record(String cam, Instant from, int n, boolean locked) throws Exception {
    store.cameras().add(Camera.of(cam, T0));
    List<Segment> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant start = from.plusSeconds(10L * i);
      String path = cam + "/" + start.getEpochSecond() + ".mp4";
      Files.createDirectories(root.resolve(cam));
      Files.write(root.resolve(path), new byte[1000]);
      MediaInfo m = new MediaInfo(
          Duration.ofSeconds(10),
          "mp4",
          "h264",
          320,
          240,
          OptionalDouble.of(25),
          OptionalLong.of(800),
          Optional.empty());
      out.add(new Segment(
          cam, path, start, start.plusSeconds(10), m, 1000, start, locked, Optional.empty(), T0));
    }
    store.useTransaction(
        () -> store.cameraStats().addIndexed(cam, store.segments().insertAll(out), T0));
    return out;
  }

  RetentionSweeper sweeper(RetentionPolicy policy) {
    return RetentionSweeper.builder()
        .store(store)
        .policy(policy)
        .recordingsRoot(root)
        .snapshotsRoot(snaps)
        .clock(clock)
        .build();
  }

  List<String> remaining(String cam) {
    return store.segments().oldestFirst(Optional.of(cam), 10_000, Optional.empty()).stream()
        .map(Segment::path)
        .toList();
  }

  @Test
  void deletesByAgeFilesAndRowsOldestFirstAndKeepsTheStatsRight() throws Exception {
    List<Segment> old = record("cam", T0, 8, false);
    List<Segment> recent = record("cam", clock.instant().minus(Duration.ofHours(1)), 12, false);
    RetentionSweeper s =
        sweeper(RetentionPolicy.builder().maxAge(Duration.ofDays(1)).build());
    RetentionPlan plan = s.plan();
    assertThat(plan.segments())
        .extracting(PlannedDeletion::path)
        .containsExactlyElementsOf(old.stream().map(Segment::path).toList());
    assertThat(plan.segments())
        .allSatisfy(d -> assertThat(d.reason()).isEqualTo(DeletionReason.AGE));
    assertThat(s.dryRun().segmentsDeleted()).isZero();
    assertThat(root.resolve(old.get(0).path())).exists();

    SweepReport r = s.sweep(false);
    assertThat(r.segmentsDeleted()).isEqualTo(8);
    assertThat(r.bytesFreed()).isEqualTo(8000);
    old.forEach(seg -> assertThat(root.resolve(seg.path())).doesNotExist());
    recent.forEach(seg -> assertThat(root.resolve(seg.path())).exists());
    assertThat(remaining("cam")).hasSize(12);
    assertThat(store.cameraStats().find("cam").orElseThrow().segmentCount()).isEqualTo(12);
    assertThat(store.events().count(Optional.empty(), EventKinds.RECORDING_GAP)).isZero();
    assertThat(store.segments().buckets("cam", T0, T0.plus(Duration.ofDays(1))))
        .allSatisfy(b -> assertThat(b.segments()).isZero());
    assertThat(s.sweep(false).segmentsDeleted())
        .as("a second sweep has nothing to do")
        .isZero();
  }

  @Test
  void lockedHeldAndNewestSegmentsAreNeverDeletedAndTheirHolesAreRetentionGaps() throws Exception {
    List<Segment> segs = record("cam", T0, 10, false);
    Segment locked = record("cam", T0.plusSeconds(200), 1, true).get(0);
    List<Segment> after = record("cam", T0.plusSeconds(300), 5, false);
    RetentionSweeper s = sweeper(RetentionPolicy.builder()
        .maxAge(Duration.ofHours(1))
        .maxDeleteShare(1.0)
        .build());
    s.hold(
        "cam", T0.plusSeconds(25), T0.plusSeconds(35), "incident 42"); // overlaps segments 2 and 3
    s.sweep(false);
    assertThat(remaining("cam"))
        .containsExactly(
            segs.get(2).path(), segs.get(3).path(), locked.path(), after.get(4).path());
    List<RecordingGap> gaps = store.gaps().list("cam", Optional.of(GapStatus.OPEN));
    assertThat(gaps).extracting(RecordingGap::cause).containsOnly(GapCause.RETENTION);
    assertThat(gaps)
        .extracting(
            g -> g.start().getEpochSecond() - T0.getEpochSecond(),
            g -> g.end().getEpochSecond() - T0.getEpochSecond())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(40L, 200L),
            org.assertj.core.groups.Tuple.tuple(210L, 340L));
    assertThat(store.events().count(Optional.empty(), EventKinds.RECORDING_GAP)).isZero();
  }

  @Test
  void aPlanThatWouldDeleteTooMuchIsRefusedUnlessForced() throws Exception {
    record("cam", T0, 20, false);
    record("other", clock.instant().minus(Duration.ofMinutes(10)), 5, false);
    // A clock jump of a year: everything looks old.
    clock.advance(Duration.ofDays(365));
    RetentionSweeper s =
        sweeper(RetentionPolicy.builder().maxAge(Duration.ofDays(1)).build());
    SweepReport refused = s.sweep(false);
    assertThat(refused.plan().refused()).containsKeys("cam", "other");
    assertThat(refused.segmentsDeleted()).isZero();
    assertThat(remaining("cam")).hasSize(20);
    assertThat(store.events().count(Optional.of("cam"), EventKinds.RETENTION_REFUSED))
        .isEqualTo(1);
    SweepReport forced = s.sweep(true);
    assertThat(forced.segmentsDeleted()).isEqualTo(19 + 4);
    assertThat(remaining("cam")).hasSize(1);
  }

  @Test
  void byteBudgetsAndTheFreeSpaceFloorDeleteOldestFirst() throws Exception {
    record("a", T0, 10, false);
    record("b", T0.plusSeconds(5), 10, false);
    RetentionSweeper budget = RetentionSweeper.builder()
        .store(store)
        .recordingsRoot(root)
        .clock(clock)
        .policy(RetentionPolicy.builder()
            .maxBytesPerCamera(7000)
            .camera(
                "b",
                new RetentionPolicy.CameraRetention(
                    Optional.empty(), OptionalLong.of(9000), Optional.empty()))
            .build())
        .build();
    budget.sweep(false);
    assertThat(remaining("a")).hasSize(7);
    assertThat(remaining("b")).hasSize(9);
    DiskSpace tight = new DiskSpace() {
      @Override
      public long usable(Path p) {
        return 10_000;
      }

      @Override
      public long total(Path p) {
        return 1_000_000;
      }
    };
    RetentionSweeper floor = RetentionSweeper.builder()
        .store(store)
        .recordingsRoot(root)
        .clock(clock)
        .diskSpace(tight)
        .policy(RetentionPolicy.builder().minFreeBytes(14_500).build())
        .build();
    RetentionPlan plan = floor.plan();
    assertThat(plan.segments()).hasSize(5).allSatisfy(d -> assertThat(d.reason())
        .isEqualTo(DeletionReason.FREE_SPACE));
    // the five oldest across both cameras: b at 15 s and 25 s, a at 30 s, b at 35 s, a at 40 s
    assertThat(plan.segments())
        .extracting(d -> d.time().getEpochSecond() - T0.getEpochSecond())
        .containsExactlyInAnyOrder(15L, 25L, 30L, 35L, 40L);
  }

  @Test
  void anInterruptedSweepIsFinishedByTheNext() throws Exception {
    List<Segment> segs = record("cam", T0, 10, false);
    // A sweep marked four rows and unlinked two files before kill -9.
    List<String> marked = segs.subList(0, 4).stream().map(Segment::path).toList();
    store.segments().markDeletePending(marked);
    Files.delete(root.resolve(marked.get(0)));
    Files.delete(root.resolve(marked.get(1)));
    RetentionSweeper s =
        sweeper(RetentionPolicy.builder().build()); // a policy that deletes nothing new
    SweepReport r = s.sweep(false);
    assertThat(r.finishedFromEarlier()).isEqualTo(4);
    assertThat(remaining("cam")).hasSize(6);
    marked.forEach(p -> assertThat(root.resolve(p)).doesNotExist());
    assertThat(store.segments().deletePending(100)).isEmpty();
  }

  @Test
  void neverFollowsSymbolicLinksAndKeepsRowsOfFilesItCannotDelete() throws Exception {
    Path outside = Files.write(dir.resolve("precious.mp4"), new byte[1000]);
    List<Segment> segs = record("cam", T0, 4, false);
    Files.delete(root.resolve(segs.get(0).path()));
    Files.createSymbolicLink(root.resolve(segs.get(0).path()), outside);
    RetentionSweeper s = sweeper(RetentionPolicy.builder()
        .maxAge(Duration.ofHours(1))
        .maxDeleteShare(1.0)
        .build());
    SweepReport r = s.sweep(false);
    assertThat(outside).exists();
    assertThat(r.segmentsDeleted()).isEqualTo(2);
    assertThat(remaining("cam")).containsExactly(segs.get(0).path(), segs.get(3).path());
    assertThat(store.events().count(Optional.of("cam"), EventKinds.RETENTION_FAILED))
        .isEqualTo(1);
    assertThat(store.segments().deletePending(10)).isEmpty();
  }

  @Test
  void snapshotsOlderThanTheirMaximumAgeGo() throws Exception {
    store.cameras().add(Camera.of("cam", T0));
    Files.createDirectories(snaps.resolve("cam"));
    for (int i = 0; i < 6; i++) {
      Instant at = T0.plus(Duration.ofHours(10L * i));
      String path = "cam/" + i + ".jpg";
      Files.write(snaps.resolve(path), new byte[] {1, 2, 3});
      store.snapshots().insert(new Snapshot("cam", OptionalLong.empty(), path, at, 3, at));
    }
    RetentionSweeper s =
        sweeper(RetentionPolicy.builder().snapshotMaxAge(Duration.ofDays(1)).build());
    SweepReport r = s.sweep(false);
    assertThat(r.snapshotsDeleted()).isEqualTo(3); // taken at 0 h, 10 h, 20 h; now is 48 h
    assertThat(store.snapshots().all("cam"))
        .extracting(Snapshot::path)
        .containsExactly("cam/3.jpg", "cam/4.jpg", "cam/5.jpg");
    assertThat(snaps.resolve("cam/0.jpg")).doesNotExist();
  }

  @Test
  void anEmptyDatabaseDeletesNothing() throws Exception {
    Files.createDirectories(root.resolve("cam"));
    Path file = Files.write(root.resolve("cam/x.mp4"), new byte[10]);
    RetentionSweeper s = sweeper(RetentionPolicy.builder()
        .maxAge(Duration.ofSeconds(1))
        .minFreePercent(99)
        .maxDeleteShare(1)
        .build());
    assertThat(s.sweep(true).segmentsDeleted()).isZero();
    assertThat(file).exists();
  }
}
