package io.heldar.core.retention.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.model.Camera;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.Segment;
import io.heldar.core.retention.DeletionReason;
import io.heldar.core.retention.DiskSpace;
import io.heldar.core.retention.PlannedDeletion;
import io.heldar.core.retention.RetentionPlan;
import io.heldar.core.retention.RetentionPolicy;
import io.heldar.core.retention.SweepReport;
import io.heldar.core.testing.MemoryStore;
import io.heldar.core.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention's decisions beside its code, over the memory store and real files: what a plan takes,
 * what it never takes, and that a sweep deletes exactly the plan.
 */
class RetentionEngineTest {
  static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");

  @TempDir
  Path root;

  final MutableClock clock = new MutableClock(NOW);
  final MemoryStore store = new MemoryStore(clock);

  /** A 10-minute segment of {@code camera} starting {@code hoursAgo} hours before now, on disk. */
  Segment segment(String camera, int hoursAgo, long bytes) throws Exception {
    Instant start = NOW.minus(Duration.ofHours(hoursAgo));
    String path = camera + "/" + start.getEpochSecond() + ".mp4";
    Files.createDirectories(root.resolve(camera));
    Files.write(root.resolve(path), new byte[(int) bytes]);
    MediaInfo media = new MediaInfo(
        Duration.ofMinutes(10),
        "mp4",
        "h264",
        640,
        480,
        OptionalDouble.of(25),
        OptionalLong.empty(),
        Optional.empty());
    Segment s = Segment.of(camera, path, start, media, bytes, start, start);
    store.addSegment(s);
    return s;
  }

  PlanningSweeper sweeper(RetentionPolicy policy) {
    store.cameras().add(Camera.of("gate", NOW));
    store.cameras().add(Camera.of("yard", NOW));
    EngineContext context =
        EngineContext.builder(store).clock(clock).recordingsRoot(root).build();
    return new PlanningSweeper(context, policy, DiskSpace.fileStore());
  }

  @Test
  void anAgeLimitTakesTheOldFootageButNeverTheNewestSegment() throws Exception {
    for (int h = 10; h >= 1; h--) {
      segment("gate", h, 100);
    }
    segment("yard", 48, 100); // a camera's only, and newest, segment: kept whatever its age
    PlanningSweeper s =
        sweeper(RetentionPolicy.builder().maxAge(Duration.ofHours(5)).build());
    RetentionPlan plan = s.plan();
    assertThat(plan.segments())
        .extracting(PlannedDeletion::reason)
        .containsOnly(DeletionReason.AGE);
    assertThat(plan.segments()).extracting(PlannedDeletion::cameraId).containsOnly("gate");
    assertThat(plan.segments()).hasSize(5); // 10, 9, 8, 7, 6 hours ago; 5 h ago ends in time
    assertThat(plan.refused()).isEmpty();
  }

  @Test
  void aSweepDeletesExactlyThePlanFilesAndRows() throws Exception {
    for (int h = 4; h >= 1; h--) {
      segment("gate", h, 100);
    }
    PlanningSweeper s =
        sweeper(RetentionPolicy.builder().maxAge(Duration.ofMinutes(150)).build());
    RetentionPlan plan = s.plan();
    SweepReport report = s.sweep(false);
    assertThat(report.segmentsDeleted()).isEqualTo(plan.segments().size()).isEqualTo(2);
    assertThat(report.bytesFreed()).isEqualTo(200);
    for (PlannedDeletion d : plan.segments()) {
      assertThat(root.resolve(d.path())).doesNotExist();
    }
    assertThat(store.segmentPaths()).hasSize(2);
    store.segmentPaths().forEach(p -> assertThat(root.resolve(p)).exists());
  }

  @Test
  void aHoldKeepsWhatItCoversAndReleasingItLetsItGo() throws Exception {
    Segment held = segment("gate", 6, 100);
    segment("gate", 5, 100);
    segment("gate", 1, 100);
    PlanningSweeper s =
        sweeper(RetentionPolicy.builder().maxAge(Duration.ofHours(2)).build());
    var hold =
        s.hold("gate", held.start().plusSeconds(60), held.start().plusSeconds(120), "case 7");
    assertThat(s.plan().segments()).extracting(PlannedDeletion::path).doesNotContain(held.path());
    assertThat(s.plan().segments()).hasSize(1);
    s.release(hold.id());
    assertThat(s.plan().segments()).extracting(PlannedDeletion::path).contains(held.path());
  }

  @Test
  void aPlanThatWouldTakeMoreThanTheShareIsRefusedUnlessForced() throws Exception {
    for (int h = 10; h >= 1; h--) {
      segment("gate", h, 100);
    }
    // an age limit of 30 minutes would take 9 of 10: past the default share of half
    PlanningSweeper s =
        sweeper(RetentionPolicy.builder().maxAge(Duration.ofMinutes(30)).build());
    RetentionPlan plan = s.plan();
    assertThat(plan.refused()).containsKey("gate");
    SweepReport refused = s.sweep(false);
    assertThat(refused.segmentsDeleted()).isZero();
    assertThat(store.segmentPaths()).hasSize(10);
    assertThat(store.allEvents()).extracting(HeldarEvent::typed).anySatisfy(t -> assertThat(t)
        .isInstanceOf(TypedEvent.RetentionRefused.class));
    SweepReport forced = s.sweep(true);
    assertThat(forced.segmentsDeleted()).isEqualTo(9);
  }

  @Test
  void aByteBudgetTakesTheOldestUntilTheCameraFits() throws Exception {
    for (int h = 6; h >= 1; h--) {
      segment("gate", h, 1000);
    }
    PlanningSweeper s =
        sweeper(RetentionPolicy.builder().maxBytesPerCamera(4500).build());
    RetentionPlan plan = s.plan();
    assertThat(plan.segments())
        .extracting(PlannedDeletion::reason)
        .containsOnly(DeletionReason.BYTES);
    assertThat(plan.segments()).hasSize(2); // 6,000 bytes down to 4,000
    assertThat(plan.segments().get(0).time()).isEqualTo(NOW.minus(Duration.ofHours(6)));
  }

  @Test
  void theEngineTickSweeps() throws Exception {
    segment("gate", 3, 100);
    segment("gate", 2, 100);
    segment("gate", 1, 100);
    // 150 minutes: only the segment of 3 h ago (a third of them: within the share)
    PlanningSweeper s =
        sweeper(RetentionPolicy.builder().maxAge(Duration.ofMinutes(150)).build());
    assertThat(s.name()).isEqualTo("retention");
    s.tick();
    assertThat(store.segmentPaths()).hasSize(2);
  }
}
