package io.heldar.ffmpeg;

import io.heldar.core.clip.SegmentRemuxer;
import io.heldar.ffmpeg.internal.ProcessRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@link SegmentRemuxer} by {@code ffmpeg -c copy}: the first video and first audio stream of a
 * segment in any container ffmpeg reads (MPEG-TS, Matroska, AVI, odd MP4s) into an MP4, without
 * re-encoding. Runs without a shell, with a timeout, and kills ffmpeg and its children when it
 * ends.
 */
public final class FfmpegSegmentRemuxer implements SegmentRemuxer {
  /** How long one segment may take by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  private final Duration timeout;

  /** Null: looked up ({@link FfmpegBinaries#ffmpeg()}) when first needed. */
  private final Path binary;

  private FfmpegSegmentRemuxer(Path binary, Duration timeout) {
    this.binary = binary;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * The ffmpeg {@link FfmpegBinaries#ffmpeg()} finds, looked up when a segment first needs it (a
   * host without ffmpeg gets {@code unreadable} gaps saying so, not a failure to start).
   */
  public static FfmpegSegmentRemuxer onPath() {
    return new FfmpegSegmentRemuxer(null, DEFAULT_TIMEOUT);
  }

  /** This ffmpeg executable. */
  public static FfmpegSegmentRemuxer withBinary(Path binary) {
    return new FfmpegSegmentRemuxer(Objects.requireNonNull(binary, "binary"), DEFAULT_TIMEOUT);
  }

  /** The same with another timeout per segment. */
  public FfmpegSegmentRemuxer withTimeout(Duration perSegment) {
    if (perSegment.isNegative() || perSegment.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + perSegment);
    }
    return new FfmpegSegmentRemuxer(binary, perSegment);
  }

  @Override
  public void remux(Path source, Path target) throws IOException {
    Path ffmpeg;
    try {
      ffmpeg = binary != null ? binary : FfmpegBinaries.ffmpeg();
    } catch (BinaryNotFoundException e) {
      throw new IOException("no ffmpeg to remux with: " + e.getMessage(), e);
    }
    List<String> cmd = List.of(
        ffmpeg.toString(),
        "-nostdin",
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-i",
        "file:" + source,
        "-map",
        "0:v:0",
        "-map",
        "0:a:0?",
        "-c",
        "copy",
        "-f",
        "mp4",
        "file:" + target);
    ExternalProcess.Result r = ProcessRunner.run(cmd, timeout, 4096, 4096);
    if (r.timedOut()) {
      throw new IOException("ffmpeg took longer than " + timeout + " to remux " + source);
    }
    if (r.exitCode() != 0) {
      throw new IOException("ffmpeg could not remux " + source + " (exit " + r.exitCode() + "): "
          + r.stderrTail().strip());
    }
  }
}
