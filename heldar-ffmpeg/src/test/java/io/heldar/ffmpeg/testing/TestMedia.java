package io.heldar.ffmpeg.testing;

import io.heldar.ffmpeg.FfmpegBinaries;
import io.heldar.ffmpeg.internal.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes real media files with the real ffmpeg (the one {@link FfmpegBinaries} finds: PATH or the
 * bundled org.bytedeco:ffmpeg). Each distinct file is encoded once per JVM and copied after that.
 */
public final class TestMedia {
  private TestMedia() {}

  /** Video codec of a test file. */
  public enum Codec {
    H264,
    HEVC,
    MJPEG
  }

  /** MP4 layout. */
  public enum Layout {
    /** moov at the end (ffmpeg's default). */
    PLAIN,
    /** moov at the start ({@code -movflags +faststart}). */
    FASTSTART,
    /** fragmented ({@code -movflags frag_keyframe+empty_moov}). */
    FRAGMENTED
  }

  /**
   * What to make.
   *
   * @param codec video codec
   * @param layout MP4 layout
   * @param audio whether to add an AAC track
   * @param seconds duration
   * @param fps frame rate
   */
  public record Spec(Codec codec, Layout layout, boolean audio, double seconds, int fps) {
    /** A 2 s, 25 fps H.264 file with moov at the end, no audio. */
    public static Spec plain() {
      return new Spec(Codec.H264, Layout.PLAIN, false, 2, 25);
    }

    /** A copy with another duration. */
    public Spec seconds(double s) {
      return new Spec(codec, layout, audio, s, fps);
    }

    String key() {
      return String.format(
          Locale.ROOT, "%s-%s-%s-%.3f-%d", codec, layout, audio ? "a" : "na", seconds, fps);
    }
  }

  private static final Map<String, Path> CACHE = new ConcurrentHashMap<>();
  private static volatile Path cacheDir;

  /** The ffmpeg executable the tests use. */
  public static Path ffmpeg() {
    return FfmpegBinaries.ffmpeg();
  }

  /** Writes a file made to {@code spec} at {@code target} (parents created) and returns it. */
  public static Path make(Path target, Spec spec) {
    Path template = CACHE.computeIfAbsent(spec.key(), k -> encode(spec));
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      Files.copy(template, target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sets a file's modification time (to make it "settled" or "fresh"). */
  public static void touch(Path file, Instant mtime) {
    try {
      Files.setLastModifiedTime(file, FileTime.from(mtime));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Cuts a file to {@code fraction} of its length. */
  public static Path truncate(Path file, double fraction) {
    try {
      byte[] all = Files.readAllBytes(file);
      Files.write(file, java.util.Arrays.copyOf(all, (int) (all.length * fraction)));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static synchronized Path dir() throws IOException {
    if (cacheDir == null) {
      cacheDir = Files.createTempDirectory("heldar-test-media-");
      cacheDir.toFile().deleteOnExit();
    }
    return cacheDir;
  }

  /**
   * {@code seconds} of the 320x240, 25 fps test picture encoded by ffmpeg with {@code args} (codec,
   * keyframe interval, muxer options) into {@code target}, whose name's ending picks the container.
   */
  public static Path encode(Path target, double seconds, String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        ffmpeg().toString(),
        "-nostdin",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x240:rate=25",
        "-t",
        String.format(Locale.ROOT, "%.3f", seconds)));
    cmd.addAll(List.of(args));
    cmd.add(target.toString());
    try {
      io.heldar.ffmpeg.ExternalProcess.Result r =
          ProcessRunner.run(cmd, Duration.ofSeconds(120), 1 << 16, 4096);
      if (r.exitCode() != 0 || r.timedOut()) {
        throw new IllegalStateException(
            String.join(" ", cmd) + " failed (exit " + r.exitCode() + "): " + r.stderrTail());
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path encode(Spec spec) {
    try {
      Path out = dir().resolve(spec.key() + ".mp4");
      List<String> cmd = new ArrayList<>(
          List.of(ffmpeg().toString(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y"));
      cmd.addAll(List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=" + spec.fps()));
      if (spec.audio()) {
        cmd.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"));
      }
      cmd.addAll(List.of("-t", String.format(Locale.ROOT, "%.3f", spec.seconds())));
      switch (spec.codec()) {
        case H264 -> cmd.addAll(
            List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"));
        case HEVC -> cmd.addAll(List.of(
            "-c:v",
            "libx265",
            "-preset",
            "ultrafast",
            "-tag:v",
            "hvc1",
            "-x265-params",
            "log-level=error",
            "-pix_fmt",
            "yuv420p"));
        case MJPEG -> cmd.addAll(List.of("-c:v", "mjpeg", "-q:v", "5", "-pix_fmt", "yuvj420p"));
      }
      if (spec.audio()) {
        cmd.addAll(List.of("-c:a", "aac", "-b:a", "64k"));
      }
      switch (spec.layout()) {
        case PLAIN -> {}
        case FASTSTART -> cmd.addAll(List.of("-movflags", "+faststart"));
        case FRAGMENTED -> cmd.addAll(
            List.of("-movflags", "frag_keyframe+empty_moov+default_base_moof"));
      }
      cmd.addAll(List.of("-f", "mp4", out.toString()));
      io.heldar.ffmpeg.ExternalProcess.Result r =
          ProcessRunner.run(cmd, Duration.ofSeconds(120), 1 << 20, 4096);
      if (r.exitCode() != 0 || r.timedOut()) {
        throw new IllegalStateException(
            "ffmpeg failed to make " + spec + " (exit " + r.exitCode() + "): " + r.stderrTail());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
