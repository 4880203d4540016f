package io.heldar.examples.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.Heldar;
import io.heldar.core.metrics.CameraMetrics;
import io.heldar.core.metrics.CameraStatus;
import io.heldar.core.metrics.HeldarMetrics;
import io.heldar.core.model.Camera;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.retention.RetentionPolicy;
import io.heldar.core.runtime.RuntimeOptions;
import io.heldar.core.runtime.TaskHealth;
import io.heldar.core.snapshot.SnapshotCaptureException;
import io.heldar.core.testing.Await;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Heldar.metrics()} on a running Heldar with real MP4 segments, a real SQLite file and
 * snapshot schedules: counters follow the engines, and each camera's status says fresh, stale,
 * failing or no footage, with the reason.
 */
class MetricsTest {
  static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC);
  static final byte[] JPEG = {
    (byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 1, 2, 3, (byte) 0xff, (byte) 0xd9
  };

  @TempDir
  Path dir;

  private Path segment(String camera, Instant start, double seconds) throws Exception {
    Path f = TestMedia.make(
        dir.resolve("rec").resolve(camera).resolve(NAME.format(start) + ".mp4"),
        TestMedia.Spec.plain().seconds(seconds));
    TestMedia.touch(f, Instant.now().minusSeconds(2));
    return f;
  }

  @Test
  void countersFollowTheEnginesAndEachCameraSaysWhetherItsFootageIsFresh() throws Exception {
    Instant now = Instant.now();
    // fresh: 4 s segments, the newest ending 2 s ago; and one file that is not media
    segment("fresh", now.minusSeconds(10), 4);
    segment("fresh", now.minusSeconds(6), 4);
    segment("fresh", Instant.parse("2026-11-20T10:00:00Z"), 4); // past the 1 h retention
    Files.write(
        dir.resolve("rec/fresh").resolve(NAME.format(now.minusSeconds(30)) + ".mp4"),
        new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    TestMedia.touch(
        dir.resolve("rec/fresh").resolve(NAME.format(now.minusSeconds(30)) + ".mp4"),
        now.minusSeconds(60));
    segment("stale", Instant.parse("2026-11-21T10:00:00Z"), 4); // a day ago
    Files.createDirectories(dir.resolve("rec/empty"));
    Files.createDirectories(dir.resolve("rec/dead"));
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      for (String id : new String[] {"fresh", "stale", "empty", "dead", "gone"}) {
        store.cameras().add(new Camera(id, id, Optional.of("memory://" + id), now));
      }
      store.snapshotSchedules().create("fresh", Duration.ofSeconds(1), true, now);
      store.snapshotSchedules().create("dead", Duration.ofSeconds(1), true, now);
      Heldar heldar = Heldar.builder()
          .store(store)
          .recordingsRoot(dir.resolve("rec"))
          .probe(MediaProbes.nativeMp4())
          .indexing(io.heldar.core.index.IndexingOptions.builder()
              .settleTime(Duration.ofSeconds(1))
              .build())
          .scanInterval(Duration.ofMillis(200))
          .snapshotsRoot(Files.createDirectories(dir.resolve("snaps")))
          .snapshotSource((camera, timeout) -> {
            if (camera.id().equals("dead")) {
              throw new SnapshotCaptureException(camera.id(), "connection refused");
            }
            return JPEG;
          })
          .retention(RetentionPolicy.builder().maxAge(Duration.ofHours(1)).build())
          .retentionInterval(Duration.ofMillis(300))
          .runtime(RuntimeOptions.builder().stopTimeout(Duration.ofSeconds(2)).build())
          .build();
      heldar.start();
      try {
        try {
          Await.until(
              Duration.ofSeconds(30),
              () -> {
                HeldarMetrics m = heldar.metrics();
                return m.camera("fresh").map(c -> c.snapshotsTaken() >= 2).orElse(false)
                    && m.camera("dead").map(c -> c.snapshotsFailed() >= 3).orElse(false)
                    && m.retention().segmentsDeleted() >= 1;
              },
              "snapshots taken and failed, a segment deleted by retention");
        } catch (AssertionError e) {
          throw new AssertionError(e.getMessage() + ": " + heldar.metrics(), e);
        }
        HeldarMetrics m = heldar.metrics();

        CameraMetrics fresh = m.camera("fresh").orElseThrow();
        assertThat(fresh.segmentsIndexed()).isEqualTo(3);
        assertThat(fresh.unreadable()).isEqualTo(1);
        assertThat(fresh.openGaps())
            .as("the hole after the old segment went with it")
            .isZero();
        assertThat(fresh.footageAge()).get().satisfies(a -> assertThat(a)
            .isLessThan(Duration.ofSeconds(13)));
        assertThat(fresh.lastCaptureLatency()).isPresent();
        assertThat(fresh.status().state())
            .as(fresh.status().reason())
            .isEqualTo(CameraStatus.State.FRESH);

        CameraMetrics stale = m.camera("stale").orElseThrow();
        assertThat(stale.segmentsIndexed()).isEqualTo(1);
        assertThat(stale.status().state()).isEqualTo(CameraStatus.State.STALE);
        assertThat(stale.status().reason())
            .contains("no new footage for")
            .contains("segments are usually 4s long");

        assertThat(m.camera("empty").orElseThrow().status().state())
            .isEqualTo(CameraStatus.State.NO_FOOTAGE);
        CameraMetrics dead = m.camera("dead").orElseThrow();
        assertThat(dead.status().state()).isEqualTo(CameraStatus.State.FAILING);
        assertThat(dead.status().reason()).contains("snapshots failed: connection refused");
        CameraStatus gone = m.camera("gone").orElseThrow().status();
        assertThat(gone.state()).isEqualTo(CameraStatus.State.FAILING);
        assertThat(gone.reason()).contains("scan failed").contains("does not exist");
        assertThat(gone.needsAttention()).isTrue();

        assertThat(m.retention().sweeps()).isGreaterThanOrEqualTo(1);
        assertThat(m.retention().segmentsDeleted()).isEqualTo(1);
        assertThat(m.retention().bytesFreed()).isPositive();
        assertThat(m.tasks())
            .extracting(TaskHealth::name)
            .contains("segment-indexer", "snapshot-scheduler", "retention", "event-pruning");
        assertThat(m.tasks())
            .filteredOn(t -> t.name().equals("segment-indexer"))
            .singleElement()
            .satisfies(t -> assertThat(t.lastDuration()).isPresent());
      } finally {
        heldar.stop();
      }
    }
  }
}
