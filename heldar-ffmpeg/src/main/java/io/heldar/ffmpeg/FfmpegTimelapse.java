package io.heldar.ffmpeg;

import io.heldar.ffmpeg.internal.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Turns a native time-lapse (MJPEG in MP4, from {@code Clips.timelapse}) into H.264 with ffmpeg
 * ({@code libx264}, or OpenH264 where ffmpeg lacks it), a tenth of the size and playable everywhere. Stills are re-encoded here, the
 * one place Heldar encodes: footage is only ever copied. Without a shell, with a timeout, killed
 * with its children; the result is written to a temporary file and moved into place.
 */
public final class FfmpegTimelapse {
  /** How long one time-lapse may take by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  private final Path binary;
  private final Duration timeout;

  private FfmpegTimelapse(Path binary, Duration timeout) {
    this.binary = Objects.requireNonNull(binary, "binary");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** With the ffmpeg {@link FfmpegBinaries#ffmpeg()} finds. */
  public static FfmpegTimelapse onPath() {
    return new FfmpegTimelapse(FfmpegBinaries.ffmpeg(), DEFAULT_TIMEOUT);
  }

  /** With this ffmpeg executable. */
  public static FfmpegTimelapse withBinary(Path binary) {
    return new FfmpegTimelapse(binary, DEFAULT_TIMEOUT);
  }

  /**
   * Writes {@code mjpeg} as H.264 to {@code h264} (frame for frame, same timing).
   *
   * @throws IOException when ffmpeg fails (one without an H.264 encoder says so), or times out
   */
  public void toH264(Path mjpeg, Path h264) throws IOException {
    Path target = h264.toAbsolutePath().normalize();
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
    try {
      // libx264 where ffmpeg has it, else OpenH264 (what an LGPL ffmpeg, the bundled one, has).
      ExternalProcess.Result r = null;
      for (List<String> encoder : List.of(
          List.of("-c:v", "libx264", "-preset", "veryfast", "-crf", "23"),
          List.of("-c:v", "libopenh264", "-b:v", "2M"))) {
        List<String> cmd = new java.util.ArrayList<>(List.of(
            binary.toString(),
            "-nostdin",
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-i",
            "file:" + mjpeg,
            "-map",
            "0:v:0"));
        cmd.addAll(encoder);
        cmd.addAll(List.of(
            "-pix_fmt",
            "yuv420p",
            "-vf",
            "scale=trunc(iw/2)*2:trunc(ih/2)*2",
            "-movflags",
            "+faststart",
            "-f",
            "mp4",
            "file:" + temp));
        r = ProcessRunner.run(cmd, timeout, 4096, 4096);
        if (r.exitCode() == 0 || r.timedOut()) {
          break;
        }
      }
      if (r.timedOut()) {
        throw new IOException("ffmpeg took longer than " + timeout + " for " + mjpeg);
      }
      if (r.exitCode() != 0) {
        throw new IOException("ffmpeg could not make H.264 of " + mjpeg + " (exit " + r.exitCode()
            + "): " + r.stderrTail().strip());
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
