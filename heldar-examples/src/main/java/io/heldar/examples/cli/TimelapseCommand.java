package io.heldar.examples.cli;

import io.heldar.core.clip.Clips;
import io.heldar.core.clip.TimelapseReport;
import io.heldar.core.clip.TimelapseRequest;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.ffmpeg.FfmpegTimelapse;
import io.heldar.store.jdbi.JdbiHeldarStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heldar timelapse}: a schedule's snapshots over a range as one video. */
@Command(
    name = "timelapse",
    mixinStandardHelpOptions = true,
    description = "Make a time-lapse of a camera's snapshot schedule over a range (MJPEG in MP4, "
        + "or H.264 with --h264), listing the slots without a usable snapshot.")
final class TimelapseCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions store;

  @Option(
      names = "--snapshots",
      required = true,
      paramLabel = "DIR",
      description = "Snapshots root the snapshots' paths are under.")
  Path snapshots;

  @Option(names = "--camera", required = true, paramLabel = "ID", description = "The camera.")
  String camera;

  @Option(
      names = "--schedule",
      paramLabel = "ID",
      description = "Its snapshot schedule (default: the camera's only one).")
  Long schedule;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "T",
      description = "Range start: an instant (2026-11-21T10:00:00Z) or a day (2026-11-21, UTC).")
  String from;

  @Option(names = "--to", required = true, paramLabel = "T", description = "Range end, as --from.")
  String to;

  @Option(
      names = "--fps",
      paramLabel = "N",
      defaultValue = "10",
      description = "Frames (slots) per second of video (default: ${DEFAULT-VALUE}).")
  int fps;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The video file.")
  Path out;

  @Option(names = "--h264", description = "Re-encode as H.264 with ffmpeg (smaller).")
  boolean h264;

  @Override
  public Integer call() {
    PrintWriter pw = spec.commandLine().getOut();
    return Cli.guard(spec, () -> {
      try (JdbiHeldarStore db = store.openExisting()) {
        long id;
        if (schedule != null) {
          id = schedule;
        } else {
          List<SnapshotSchedule> mine = db.snapshotSchedules().list().stream()
              .filter(s -> s.cameraId().equals(camera))
              .toList();
          if (mine.size() != 1) {
            throw new IllegalArgumentException("camera " + camera + " has " + mine.size()
                + " snapshot schedules: name one with --schedule");
          }
          id = mine.get(0).id();
        }
        ZoneId utc = ZoneId.of("UTC");
        Instant start = TimelineCommand.parse(from, utc);
        Instant end = TimelineCommand.parse(to, utc);
        Clips clips = new Clips(db, snapshots, Clock.systemUTC()).withSnapshotsRoot(snapshots);
        Path mjpeg = h264 ? out.resolveSibling("." + out.getFileName() + ".mjpeg.mp4") : out;
        TimelapseReport r;
        try {
          r = clips.timelapse(new TimelapseRequest(camera, id, start, end, fps), mjpeg);
          if (h264) {
            FfmpegTimelapse.onPath().toH264(mjpeg, out);
          }
        } finally {
          if (h264) {
            Files.deleteIfExists(mjpeg);
          }
        }
        pw.printf(
            "%s: %d frame(s) of %dx%d at %d fps, %d slot(s) without a frame%s%n",
            out,
            r.frames(),
            r.width(),
            r.height(),
            fps,
            r.missing().size(),
            h264 ? " (H.264)" : ", sha256 " + r.sha256());
        for (TimelapseReport.MissingSlot m : r.missing()) {
          pw.printf("  missing %s: %s%n", m.slot(), m.reason());
        }
        pw.flush();
      }
      return 0;
    });
  }
}
