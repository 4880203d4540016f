package io.heldar.ffmpeg;

import io.heldar.core.model.Camera;
import io.heldar.core.snapshot.SnapshotCaptureException;
import io.heldar.core.snapshot.SnapshotSource;
import io.heldar.core.snapshot.SnapshotSources;
import io.heldar.ffmpeg.internal.ProcessRunner;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link SnapshotSource} that runs {@code ffmpeg} to grab one frame of the camera's {@code
 * source_url} as JPEG on stdout: RTSP (over TCP), HTTP(S), or a file path ({@code file:} URL or a
 * plain path). No shell; after the timeout ffmpeg and its children are killed. Credentials in the
 * URL never appear in error messages.
 */
public final class FfmpegSnapshotSource implements SnapshotSource {
  /** Largest JPEG accepted: 32 MiB. */
  public static final int MAX_BYTES = 32 * 1024 * 1024;

  /** The URL schemes captured unless files are allowed too. */
  public static final java.util.Set<String> NETWORK_SCHEMES =
      java.util.Set.of("rtsp", "rtsps", "http", "https", "rtmp", "rtmps");

  private final Path binary;
  private final boolean allowFiles;

  private FfmpegSnapshotSource(Path binary, boolean allowFiles) {
    this.binary = binary;
    this.allowFiles = allowFiles;
  }

  /** ffmpeg from {@code PATH}, else the bundled one; network sources only. */
  public static FfmpegSnapshotSource onPath() {
    return new FfmpegSnapshotSource(FfmpegBinaries.ffmpeg(), false);
  }

  /** A given ffmpeg executable; network sources only. */
  public static FfmpegSnapshotSource withBinary(Path binary) {
    return new FfmpegSnapshotSource(FfmpegBinaries.locate("ffmpeg", Optional.of(binary)), false);
  }

  /**
   * This source, also capturing local files (a path or a {@code file:} URL). Off by default: hosts
   * may take camera URLs from less-trusted users, and a camera must not become a way to read any
   * file the process can read. Meant for tests and demos.
   */
  public FfmpegSnapshotSource allowingFiles() {
    return new FfmpegSnapshotSource(binary, true);
  }

  /** The ffmpeg executable in use. */
  public Path binary() {
    return binary;
  }

  @Override
  public byte[] capture(Camera camera, Duration timeout) {
    Objects.requireNonNull(camera, "camera");
    String url = camera
        .sourceUrl()
        .orElseThrow(() -> new SnapshotCaptureException(camera.id(), "camera has no source URL"));
    String shown = SnapshotSources.redact(url);
    String scheme = SnapshotSources.schemeOf(url);
    List<String> cmd = new ArrayList<>(
        List.of(binary.toString(), "-nostdin", "-hide_banner", "-loglevel", "error"));
    String input;
    if (scheme.equals("file") && !allowFiles) {
      throw new SnapshotCaptureException(
          camera.id(),
          "local file sources are disabled (" + shown
              + "); enable them explicitly for tests and demos");
    }
    if (!scheme.equals("file") && !NETWORK_SCHEMES.contains(scheme)) {
      throw new SnapshotCaptureException(
          camera.id(),
          "unsupported source scheme '" + scheme + "' (" + shown + "); supported: "
              + new java.util.TreeSet<>(NETWORK_SCHEMES));
    }
    if (scheme.equals("file")) {
      Path file =
          url.startsWith("file:") ? Path.of(URI.create(url)) : Path.of(url).toAbsolutePath();
      if (!Files.isRegularFile(file)) {
        throw new SnapshotCaptureException(camera.id(), "no such file " + file);
      }
      input = "file:"
          + file; // the file protocol: a name like "a:b.mp4" is never taken for another protocol
    } else {
      if (scheme.equals("rtsp") || scheme.equals("rtsps")) {
        cmd.addAll(List.of("-rtsp_transport", "tcp"));
      }
      input = url;
    }
    cmd.addAll(List.of(
        "-i",
        input,
        "-frames:v",
        "1",
        "-an",
        "-f",
        "image2pipe",
        "-c:v",
        "mjpeg",
        "-q:v",
        "3",
        "pipe:1"));
    ExternalProcess.Result r;
    try {
      r = ProcessRunner.run(cmd, timeout, MAX_BYTES, 2048);
    } catch (IOException e) {
      throw new SnapshotCaptureException(
          camera.id(), "cannot start " + binary + ": " + e.getMessage(), false, e);
    }
    String stderr = r.stderrTail().replace(url, shown).strip();
    if (r.timedOut()) {
      throw new SnapshotCaptureException(
          camera.id(),
          "ffmpeg did not return a frame from " + shown + " within " + timeout,
          true,
          null);
    }
    if (r.exitCode() != 0) {
      throw new SnapshotCaptureException(
          camera.id(),
          "ffmpeg failed on " + shown + " (exit code " + r.exitCode() + ")"
              + (stderr.isEmpty() ? "" : ": " + stderr));
    }
    if (r.stdoutTruncated()) {
      throw new SnapshotCaptureException(camera.id(), "frame larger than " + MAX_BYTES + " bytes");
    }
    if (r.stdout().length == 0) {
      throw new SnapshotCaptureException(
          camera.id(),
          "ffmpeg returned no frame from " + shown + (stderr.isEmpty() ? "" : ": " + stderr));
    }
    return r.stdout();
  }
}
