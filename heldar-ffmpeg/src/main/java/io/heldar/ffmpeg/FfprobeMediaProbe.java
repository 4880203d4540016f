package io.heldar.ffmpeg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.probe.IncompleteMediaException;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.ProbeException;
import io.heldar.core.probe.ProbeUnavailableException;
import io.heldar.ffmpeg.internal.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MediaProbe} running {@code ffprobe -v error -print_format json -show_format -show_streams
 * FILE}: no shell, a wall-clock timeout after which ffprobe and its children are killed, stdout and
 * stderr drained concurrently, a bounded stderr tail in every {@link ProbeException}, and at most
 * {@link Builder#maxConcurrent} processes at once.
 *
 * <p>Duration comes from the container, else the video stream; fps from {@code avg_frame_rate}
 * (else {@code r_frame_rate}), {@code 0/0} meaning unknown; bit rate from the container, else size
 * over duration. {@code N/A}, missing and non-finite values are treated as absent. A file without a
 * positive, finite duration, without a video stream, or whose streams add up to more bytes than it
 * holds (a truncated recording whose index is complete) is a {@link ProbeException}.
 */
public final class FfprobeMediaProbe implements MediaProbe {
  private static final Logger log = LoggerFactory.getLogger(FfprobeMediaProbe.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_STDOUT = 16 * 1024 * 1024;
  private static final int STDERR_TAIL = 2048;

  /** The executable: located when built if configured, else on first use. */
  private volatile Path binary;

  private final Duration timeout;
  private final Semaphore permits;
  private volatile boolean verified;

  private FfprobeMediaProbe(Builder b) {
    // A configured path is checked at once (a typo fails the configuration); PATH and the bundled
    // binary are looked up when a file first needs ffprobe, so a host without ffprobe that only
    // ever sees MP4 files (read natively through MediaProbes.auto) never needs one.
    this.binary = b.binary != null ? FfmpegBinaries.locate("ffprobe", Optional.of(b.binary)) : null;
    this.timeout = b.timeout;
    this.permits = new Semaphore(b.maxConcurrent, true);
  }

  /**
   * ffprobe from {@code PATH}, else the bundled one, with the defaults; looked up on first use, when
   * a missing ffprobe is a {@link BinaryNotFoundException} (a {@link ProbeUnavailableException}:
   * the camera's scan fails, no file is blamed).
   */
  public static FfprobeMediaProbe onPath() {
    return builder().build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The ffprobe executable in use, looked up now if it was not yet.
   *
   * @throws BinaryNotFoundException when there is none
   */
  public Path binary() {
    Path b = binary;
    if (b == null) {
      synchronized (this) {
        if (binary == null) {
          binary = FfmpegBinaries.ffprobe();
        }
        b = binary;
      }
    }
    return b;
  }

  @Override
  public MediaInfo probe(Path file) throws ProbeException {
    Objects.requireNonNull(file, "file");
    Path abs = file.toAbsolutePath();
    if (!Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)) {
      throw new ProbeException(abs, "not a regular file");
    }
    long size;
    try {
      size = Files.size(abs);
    } catch (IOException e) {
      throw new ProbeException(abs, "cannot read file size: " + e, e);
    }
    if (size == 0) {
      throw new ProbeException(abs, "empty file (0 bytes)");
    }
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProbeUnavailableException("interrupted while waiting to probe " + abs, e);
    }
    try {
      verify();
      // An absolute path never starts with '-' or a protocol prefix, so ffprobe reads it as a plain
      // file.
      ExternalProcess.Result r = run(List.of(
          binary().toString(),
          "-v",
          "error",
          "-print_format",
          "json",
          "-show_format",
          "-show_streams",
          abs.toString()));
      if (r.timedOut()) {
        throw new ProbeException(
            abs,
            "ffprobe did not finish within " + timeout,
            OptionalInt.empty(),
            true,
            tail(r),
            null);
      }
      if (r.exitCode() == 126 || r.exitCode() == 127) {
        throw new ProbeUnavailableException(binary() + " cannot run (exit code " + r.exitCode()
            + "): " + r.stderrTail().strip());
      }
      if (r.exitCode() != 0) {
        if (r.stderrTail().contains("moov atom not found")) {
          throw new IncompleteMediaException(
              abs,
              "incomplete: no moov atom (recording not finished?)",
              OptionalInt.of(r.exitCode()),
              tail(r));
        }
        throw new ProbeException(
            abs, "ffprobe rejected the file", OptionalInt.of(r.exitCode()), false, tail(r), null);
      }
      if (r.stdoutTruncated()) {
        throw new ProbeException(abs, "ffprobe output larger than " + MAX_STDOUT + " bytes");
      }
      return parse(abs, size, r.stdout());
    } finally {
      permits.release();
    }
  }

  private ExternalProcess.Result run(List<String> command) {
    try {
      return ProcessRunner.run(command, timeout, MAX_STDOUT, STDERR_TAIL);
    } catch (IOException e) {
      throw new ProbeUnavailableException("cannot start " + binary() + ": " + e.getMessage(), e);
    }
  }

  private static Optional<String> tail(ExternalProcess.Result r) {
    return Optional.of(r.stderrTail()).filter(s -> !s.isBlank());
  }

  /** Runs {@code ffprobe -version} once, so a broken install fails clearly instead of blaming files. */
  private synchronized void verify() {
    if (verified) {
      return;
    }
    Path exe = binary();
    ExternalProcess.Result r = run(List.of(exe.toString(), "-version"));
    if (r.timedOut() || r.exitCode() != 0) {
      throw new ProbeUnavailableException(exe + " -version failed (exit code " + r.exitCode()
          + (r.timedOut() ? ", timed out" : "") + "): " + r.stderrTail().strip());
    }
    String first =
        new String(r.stdout(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
    log.info("using {} ({})", exe, first);
    verified = true;
  }

  /** Parses ffprobe's JSON; package-private for tests of odd values. */
  static MediaInfo parse(Path file, long size, byte[] json) throws ProbeException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new ProbeException(file, "unparseable ffprobe output: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ProbeException(file, "unparseable ffprobe output");
    }
    JsonNode format = root.path("format");
    JsonNode video = null;
    String audioCodec = null;
    boolean sawStill = false;
    for (JsonNode s : root.path("streams")) {
      String type = s.path("codec_type").asText("");
      boolean still = type.equals("video") && isStillPicture(s);
      sawStill |= still;
      if (type.equals("video") && video == null && !still) {
        video = s;
      } else if (type.equals("audio") && audioCodec == null) {
        audioCodec = text(s, "codec_name").orElse(null);
      }
    }
    if (video == null) {
      throw new ProbeException(
          file,
          sawStill
              ? "no video stream (only a still picture: cover art or a thumbnail)"
              : "no video stream");
    }
    OptionalDouble duration = positive(number(format, "duration"));
    if (duration.isEmpty()) {
      duration = positive(number(video, "duration"));
    }
    if (duration.isEmpty()) {
      throw new ProbeException(
          file, "no valid duration (got " + format.path("duration").asText("none") + ")");
    }
    String codec = text(video, "codec_name")
        .orElseThrow(() -> new ProbeException(file, "video stream has no codec name"));
    int width = video.path("width").asInt(0);
    int height = video.path("height").asInt(0);
    if (width <= 0 || height <= 0) {
      throw new ProbeException(
          file, "video stream has no valid dimensions (" + width + "x" + height + ")");
    }
    OptionalDouble fps = rational(video, "avg_frame_rate");
    if (fps.isEmpty()) {
      fps = rational(video, "r_frame_rate");
    }
    double seconds = duration.getAsDouble();
    OptionalDouble formatRate = positive(number(format, "bit_rate"));
    OptionalLong bitRate = formatRate.isPresent()
        ? OptionalLong.of(Math.round(formatRate.getAsDouble()))
        : OptionalLong.of(Math.max(1, Math.round(size * 8 / seconds)));
    checkComplete(file, size, root.path("streams"), seconds);
    String container = text(format, "format_name").orElse("unknown");
    return new MediaInfo(
        Duration.ofNanos(Math.round(seconds * 1e9)),
        container,
        codec,
        width,
        height,
        fps,
        bitRate,
        Optional.ofNullable(audioCodec));
  }

  /**
   * Cover art and thumbnails are not video: an attached picture, or one frame of a picture codec
   * (GPAC stores a picture as a one-sample JPEG track, without the attached-picture disposition).
   * One frame of a video codec (H.264, H.265, ...) is video: a segment of a single frame.
   */
  private static boolean isStillPicture(JsonNode stream) {
    return stream.path("disposition").path("attached_pic").asInt(0) != 0
        || (stream.path("nb_frames").asText("").equals("1")
            && MediaInfo.isPictureCodec(stream.path("codec_name").asText("")));
  }

  /**
   * A recording cut short after its index was written (moov first, {@code +faststart}) still
   * reports its full duration; its streams then claim more bytes than the file holds.
   */
  private static void checkComplete(Path file, long size, JsonNode streams, double formatSeconds)
      throws ProbeException {
    double claimed = 0;
    for (JsonNode s : streams) {
      OptionalDouble rate = positive(number(s, "bit_rate"));
      OptionalDouble secs = positive(number(s, "duration"));
      if (rate.isPresent()) {
        claimed += rate.getAsDouble() * (secs.isPresent() ? secs.getAsDouble() : formatSeconds) / 8;
      }
    }
    if (claimed > size * 1.02 + 64 * 1024) {
      throw new IncompleteMediaException(
          file,
          String.format(
              "truncated: its streams need about %.0f bytes but the file has %d", claimed, size));
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isTextual() && !v.asText().isBlank() && !v.asText().equals("N/A")
        ? Optional.of(v.asText())
        : Optional.empty();
  }

  private static OptionalDouble number(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (v.isNumber()) {
      return finite(v.asDouble());
    }
    if (v.isTextual()) {
      try {
        return finite(Double.parseDouble(v.asText().trim()));
      } catch (NumberFormatException e) {
        return OptionalDouble.empty(); // "N/A" and friends
      }
    }
    return OptionalDouble.empty();
  }

  private static OptionalDouble finite(double d) {
    return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
  }

  private static OptionalDouble positive(OptionalDouble d) {
    return d.isPresent() && d.getAsDouble() > 0 ? d : OptionalDouble.empty();
  }

  private static OptionalDouble rational(JsonNode node, String field) {
    Optional<String> t = text(node, field);
    if (t.isEmpty()) {
      return OptionalDouble.empty();
    }
    String[] parts = t.get().split("/", -1);
    try {
      double num = Double.parseDouble(parts[0]);
      double den = parts.length > 1 ? Double.parseDouble(parts[1]) : 1;
      return den == 0 ? OptionalDouble.empty() : positive(finite(num / den));
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }

  /** Configures an {@link FfprobeMediaProbe}; setters validate. */
  public static final class Builder {
    /** Wall-clock limit of one ffprobe run. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** ffprobe processes at once. */
    public static final int DEFAULT_MAX_CONCURRENT =
        Math.max(2, Runtime.getRuntime().availableProcessors());

    private Path binary;
    private Duration timeout = DEFAULT_TIMEOUT;
    private int maxConcurrent = DEFAULT_MAX_CONCURRENT;

    private Builder() {}

    /** The ffprobe executable (default: {@code PATH}, then bundled). */
    public Builder binary(Path binary) {
      this.binary = Objects.requireNonNull(binary, "binary");
      return this;
    }

    /** See {@link #DEFAULT_TIMEOUT}; positive. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** See {@link #DEFAULT_MAX_CONCURRENT}; 1 to 256. */
    public Builder maxConcurrent(int n) {
      if (n < 1 || n > 256) {
        throw new IllegalArgumentException("maxConcurrent must be 1..256: " + n);
      }
      this.maxConcurrent = n;
      return this;
    }

    /**
     * Builds the probe, locating the binary now.
     *
     * @throws BinaryNotFoundException when there is no ffprobe
     */
    public FfprobeMediaProbe build() {
      return new FfprobeMediaProbe(this);
    }
  }
}
