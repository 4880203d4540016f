package io.heldar.examples.demo;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera that records segments in real time into {@code <root>/<id>/} with Heldar's default names,
 * and stops recording for a while part-way (an outage). With an ffmpeg that runs, it records
 * ffmpeg's {@code testsrc2} with the segment muxer; otherwise it writes MJPEG MP4 segments in pure
 * Java, frame by frame, moov last.
 */
final class SyntheticCamera implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SyntheticCamera.class);
  static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'.'mp4'").withZone(ZoneOffset.UTC);

  private final String id;
  private final Path dir;
  private final Duration segment;
  private final Duration outageAfter;
  private final Duration outage;
  private final FrameRenderer renderer;
  private final Path ffmpeg; // null: pure Java
  private final String encoder;
  private final List<String> inputOptions;
  private final Path log;
  private final Thread thread;
  private volatile boolean stopped;
  private volatile Process process;
  private volatile String failure;

  /**
   * @param ffmpeg the ffmpeg to record with, or null for the pure-Java recorder
   * @param inputOptions extra input options this ffmpeg was found to support
   * @param log where ffmpeg's messages go (its tail is reported if it dies)
   */
  SyntheticCamera(
      String id,
      Path root,
      Duration segment,
      Duration outageAfter,
      Duration outage,
      Color tint,
      Path ffmpeg,
      String encoder,
      List<String> inputOptions,
      Path log)
      throws IOException {
    this.id = id;
    this.dir = Files.createDirectories(root.resolve(id));
    this.segment = segment;
    this.outageAfter = outageAfter;
    this.outage = outage;
    this.renderer = new FrameRenderer(id, tint, 320, 180);
    this.ffmpeg = ffmpeg;
    this.encoder = encoder;
    this.inputOptions = List.copyOf(inputOptions);
    this.log = log;
    this.thread = new Thread(this::run, "demo-camera-" + id);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** The camera's current picture, for its HTTP snapshot URL. */
  byte[] snapshot() {
    return renderer.jpeg(Instant.now());
  }

  String description() {
    return ffmpeg != null ? "ffmpeg testsrc2 (" + encoder + ")" : "pure-Java MJPEG";
  }

  String id() {
    return id;
  }

  /** Why the camera stopped recording on its own (its recorder died), if it did. */
  java.util.Optional<String> failure() {
    return java.util.Optional.ofNullable(failure);
  }

  /** Files the camera has written so far. */
  long filesWritten() {
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".mp4")).count();
    } catch (IOException e) {
      return 0;
    }
  }

  private void run() {
    long started = System.nanoTime();
    try {
      record(outageAfter);
      if (stopped) {
        return;
      }
      LOG.info("camera {}: outage for {}", id, outage);
      sleepUntil(System.nanoTime() + outage.toNanos());
      record(Duration.ofDays(1));
    } catch (IOException e) {
      if (failure == null) {
        failure = "its recorder could not run: " + e.getMessage();
      }
      LOG.warn("camera {} stopped recording: {}", id, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      LOG.debug("camera {} recorded for {} s", id, (System.nanoTime() - started) / 1_000_000_000);
    }
  }

  private void record(Duration howLong) throws IOException, InterruptedException {
    if (ffmpeg != null) {
      recordWithFfmpeg(howLong);
    } else {
      recordInJava(howLong);
    }
  }

  private void recordWithFfmpeg(Duration howLong) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(
        List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-loglevel", "error", "-re"));
    cmd.addAll(inputOptions);
    cmd.addAll(List.of(
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x180:rate=10",
        "-t",
        String.valueOf(Math.min(howLong.toSeconds(), 86_400)),
        "-c:v",
        encoder,
        "-pix_fmt",
        "yuv420p",
        "-g",
        "10",
        "-f",
        "segment",
        "-segment_time",
        String.valueOf(segment.toSeconds()),
        "-segment_format",
        "mp4",
        "-reset_timestamps",
        "1",
        "-strftime",
        "1",
        dir.resolve("%Y%m%dT%H%M%SZ.mp4").toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("TZ", "UTC"); // strftime names in UTC, as Heldar's default naming expects
    process = pb.start();
    while (!stopped && !process.waitFor(200, TimeUnit.MILLISECONDS)) {
      // recording
    }
    if (!stopped && process.exitValue() != 0) {
      failure = "its recorder (" + ffmpeg + ") exited with code " + process.exitValue() + ": "
          + tail(log);
      throw new IOException(failure);
    }
    if (stopped) {
      process.destroy(); // ffmpeg finishes the open segment on SIGTERM
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
  }

  /** The last lines of a log, at most 2 KiB. */
  static String tail(Path file) {
    try {
      byte[] all = Files.readAllBytes(file);
      String text = new String(
          all,
          Math.max(0, all.length - 2048),
          Math.min(all.length, 2048),
          java.nio.charset.StandardCharsets.UTF_8);
      return text.isBlank() ? "(it printed nothing)" : text.strip();
    } catch (IOException e) {
      return "(its log " + file + " cannot be read: " + e.getMessage() + ")";
    }
  }

  private void recordInJava(Duration howLong) throws IOException, InterruptedException {
    int fps = 5;
    long frameNanos = 1_000_000_000L / fps;
    long until = System.nanoTime() + howLong.toNanos();
    while (!stopped && System.nanoTime() < until) {
      Instant start = Instant.now();
      Path file = dir.resolve(NAME.format(start));
      long segmentEnd = System.nanoTime() + segment.toNanos();
      try (MjpegMp4Writer w = new MjpegMp4Writer(file, renderer.width(), renderer.height(), fps)) {
        long next = System.nanoTime();
        while (!stopped && System.nanoTime() < segmentEnd) {
          w.frame(renderer.jpeg(Instant.now()));
          next += frameNanos;
          sleepUntil(next);
        }
      }
    }
  }

  private void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while (!stopped && (left = nanoTime - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(
          Math.min(left, 100_000_000L)); // pacing a real-time recorder, not waiting for a condition
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(10_000);
    Process p = process;
    if (p != null && p.isAlive()) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }
}
