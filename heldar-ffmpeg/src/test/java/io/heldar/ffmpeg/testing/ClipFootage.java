package io.heldar.ffmpeg.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heldar.ffmpeg.FfmpegBinaries;
import io.heldar.ffmpeg.internal.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recordings for clip tests, made by the real ffmpeg, and what the real ffprobe and ffmpeg say of
 * a clip: decoded frame count, durations, decode errors.
 */
public final class ClipFootage {
  private ClipFootage() {}

  /** ffmpeg's video encoder arguments for H.264 with B-frames, one sync sample per second. */
  public static final List<String> H264 = List.of(
      "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "25", "-pix_fmt", "yuv420p");

  /** H.265 (hvc1), one sync sample per second. */
  public static final List<String> HEVC = List.of(
      "-c:v",
      "libx265",
      "-preset",
      "ultrafast",
      "-tag:v",
      "hvc1",
      "-x265-params",
      "log-level=error:keyint=25:min-keyint=25",
      "-pix_fmt",
      "yuv420p");

  /**
   * A segment of {@code seconds} of the moving test picture (and a tone, with {@code audio}),
   * starting {@code offset} seconds into the test source so consecutive segments continue.
   */
  public static Path segment(
      Path target,
      double offset,
      double seconds,
      String size,
      boolean audio,
      List<String> video,
      String... muxer) {
    return encode(
        target,
        "testsrc2=size=" + size + ":rate=25",
        offset,
        seconds,
        audio,
        video,
        List.of(muxer));
  }

  /**
   * A segment of {@code seconds} of one solid colour (an ffmpeg colour name), with a tone when
   * {@code audio}: a picture whose source a browser test can tell from a pixel.
   */
  public static Path colored(Path target, String color, double seconds, boolean audio) {
    return encode(
        target, "color=c=" + color + ":size=320x240:rate=25", 0, seconds, audio, H264, List.of());
  }

  private static Path encode(
      Path target,
      String picture,
      double offset,
      double seconds,
      boolean audio,
      List<String> video,
      List<String> muxer) {
    List<String> cmd = new ArrayList<>(List.of(
        FfmpegBinaries.ffmpeg().toString(),
        "-nostdin",
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        picture));
    if (audio) {
      cmd.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"));
    }
    if (offset > 0) {
      cmd.addAll(List.of("-ss", fmt(offset)));
    }
    cmd.addAll(List.of("-t", fmt(seconds)));
    cmd.addAll(video);
    if (audio) {
      cmd.addAll(List.of("-c:a", "aac", "-b:a", "64k"));
    }
    cmd.addAll(muxer);
    cmd.addAll(List.of("-f", "mp4", target.toString()));
    run(cmd);
    return target;
  }

  /** One JPEG of an ffmpeg test source ({@code color=c=red:size=160x120}, {@code testsrc2=...}). */
  public static Path jpeg(Path target, String source) {
    run(List.of(
        FfmpegBinaries.ffmpeg().toString(),
        "-nostdin",
        "-v",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        source,
        "-frames:v",
        "1",
        parents(target).toString()));
    return target;
  }

  /** {@code mp4} rewritten as MPEG-TS at {@code ts} (stream copy), as some recorders write. */
  public static Path toMpegTs(Path mp4, Path ts) {
    run(List.of(
        FfmpegBinaries.ffmpeg().toString(),
        "-nostdin",
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-i",
        mp4.toString(),
        "-c",
        "copy",
        "-f",
        "mpegts",
        ts.toString()));
    return ts;
  }

  /** What ffprobe counts in a clip. */
  public record Probe(
      long videoFrames,
      double videoDuration,
      double formatDuration,
      String codec,
      int width,
      int height,
      boolean audio) {}

  /** {@code ffprobe -count_frames} on {@code clip}. */
  public static Probe probe(Path clip) {
    String out = run(List.of(
        FfmpegBinaries.ffprobe().toString(),
        "-v",
        "error",
        "-count_frames",
        "-show_entries",
        "stream=codec_type,codec_name,nb_read_frames,duration,width,height",
        "-show_entries",
        "format=duration",
        "-of",
        "json",
        clip.toString()));
    try {
      JsonNode root = new ObjectMapper().readTree(out);
      long frames = -1;
      double videoDuration = -1;
      String codec = "";
      int width = 0;
      int height = 0;
      boolean audio = false;
      for (JsonNode s : root.path("streams")) {
        if (s.path("codec_type").asText().equals("video") && frames < 0) {
          frames = s.path("nb_read_frames").asLong();
          videoDuration = s.path("duration").asDouble(-1);
          codec = s.path("codec_name").asText();
          width = s.path("width").asInt();
          height = s.path("height").asInt();
        }
        audio |= s.path("codec_type").asText().equals("audio");
      }
      return new Probe(
          frames,
          videoDuration,
          root.path("format").path("duration").asDouble(-1),
          codec,
          width,
          height,
          audio);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What {@code ffmpeg -v error -i clip -f null -} prints: empty when it decodes cleanly. */
  public static String decodeErrors(Path clip) {
    try {
      io.heldar.ffmpeg.ExternalProcess.Result r = ProcessRunner.run(
          List.of(
              FfmpegBinaries.ffmpeg().toString(),
              "-nostdin",
              "-v",
              "error",
              "-i",
              clip.toString(),
              "-f",
              "null",
              "-"),
          Duration.ofMinutes(2),
          1 << 20,
          1 << 16);
      return r.exitCode() == 0
          ? r.stderrTail().strip()
          : "exit " + r.exitCode() + ": " + r.stderrTail();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String run(List<String> cmd) {
    try {
      io.heldar.ffmpeg.ExternalProcess.Result r =
          ProcessRunner.run(cmd, Duration.ofSeconds(120), 1 << 22, 1 << 14);
      if (r.exitCode() != 0 || r.timedOut()) {
        throw new IllegalStateException(
            String.join(" ", cmd) + " failed (exit " + r.exitCode() + "): " + r.stderrTail());
      }
      return new String(r.stdout(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String fmt(double seconds) {
    return String.format(Locale.ROOT, "%.3f", seconds);
  }

  /** Creates the parent directories of {@code file}. */
  public static Path parents(Path file) {
    try {
      Files.createDirectories(file.getParent());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
