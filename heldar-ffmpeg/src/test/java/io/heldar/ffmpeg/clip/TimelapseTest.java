package io.heldar.ffmpeg.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.clip.Clips;
import io.heldar.core.clip.NoFootageException;
import io.heldar.core.clip.TimelapseReport;
import io.heldar.core.clip.TimelapseRequest;
import io.heldar.core.model.Camera;
import io.heldar.core.model.SlotSnapshot;
import io.heldar.core.model.Snapshot;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.core.testing.MemoryStore;
import io.heldar.ffmpeg.FfmpegTimelapse;
import io.heldar.ffmpeg.testing.ClipFootage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time-lapses of a snapshot schedule from real JPEGs (made by ffmpeg): one frame per slot in an
 * MJPEG MP4 that ffprobe counts and ffmpeg decodes, the slots without a usable snapshot listed,
 * and the same as H.264 through ffmpeg.
 */
class TimelapseTest {
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir
  Path dir;

  @Test
  void oneFramePerSlotAndTheMissingSlotsSaid() throws Exception {
    MemoryStore store = new MemoryStore(Clock.fixed(T0, ZoneOffset.UTC));
    store.cameras().add(new Camera("cam", "cam", Optional.empty(), T0));
    SnapshotSchedule s = store.snapshotSchedules().create("cam", Duration.ofMinutes(1), true, T0);
    Path root = dir.resolve("snaps");
    List<SlotSnapshot> shots = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      if (k == 4) {
        continue; // no snapshot for this slot
      }
      String path = "cam/" + k + ".jpg";
      Path f = ClipFootage.parents(root.resolve(path));
      ClipFootage.jpeg(f, "color=c=" + (k % 2 == 0 ? "red" : "blue") + ":size=160x120");
      if (k == 7) {
        Files.write(f, java.util.Arrays.copyOf(Files.readAllBytes(f), 100)); // cut off
      }
      Instant slot = T0.plusSeconds(60L * k);
      shots.add(new SlotSnapshot(
          new Snapshot("cam", OptionalLong.of(s.id()), path, slot, Files.size(f), slot),
          slot,
          Optional.empty(),
          0));
    }
    store.snapshots().insertForSlots(shots);
    Clips clips = new Clips(
            store, dir.resolve("rec"), Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC))
        .withSnapshotsRoot(root);
    Path out = dir.resolve("lapse.mp4");
    TimelapseReport r =
        clips.timelapse(new TimelapseRequest("cam", s.id(), T0, T0.plusSeconds(600), 5), out);

    assertThat(r.frames()).isEqualTo(8);
    assertThat(r.missing())
        .extracting(TimelapseReport.MissingSlot::slot)
        .containsExactly(T0.plusSeconds(240), T0.plusSeconds(420));
    assertThat(r.missing().get(1).reason()).contains("cam/7.jpg", "incomplete JPEG");
    assertThat(r.width()).isEqualTo(160);
    ClipFootage.Probe p = ClipFootage.probe(out);
    assertThat(p.videoFrames()).isEqualTo(8);
    assertThat(p.codec()).isEqualTo("mjpeg");
    assertThat(p.formatDuration()).isEqualTo(1.6);
    assertThat(ClipFootage.decodeErrors(out)).isEmpty();

    Path h264 = dir.resolve("lapse-h264.mp4");
    FfmpegTimelapse.onPath().toH264(out, h264);
    ClipFootage.Probe q = ClipFootage.probe(h264);
    assertThat(q.codec()).isEqualTo("h264");
    assertThat(q.videoFrames()).isEqualTo(8);

    assertThatThrownBy(() -> clips.timelapse(
            new TimelapseRequest("cam", s.id(), T0.plusSeconds(3000), T0.plusSeconds(3300), 5),
            dir.resolve("none.mp4")))
        .isInstanceOf(NoFootageException.class);
    assertThat(dir.resolve("none.mp4")).doesNotExist();
  }
}
