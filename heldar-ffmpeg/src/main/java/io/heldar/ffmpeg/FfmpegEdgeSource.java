package io.heldar.ffmpeg;

import io.heldar.core.heal.EdgeFetch;
import io.heldar.core.heal.EdgeSource;
import io.heldar.core.model.Camera;
import io.heldar.core.snapshot.SnapshotSources;
import io.heldar.ffmpeg.internal.EdgeUrlTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Footage from a camera's own storage through {@code ffmpeg} stream copy from a URL template: RTSP
 * replay in the Hikvision/ONVIF style ({@code
 * rtsp://cam/Streaming/tracks/101?starttime={start:yyyyMMdd'T'HHmmss'Z'}&endtime={end:yyyyMMdd'T'HHmmss'Z'}}),
 * or any input ffmpeg reads. The range's length is copied ({@code -t}, samples, never pixels) into
 * an MP4; no shell, one timeout for the whole fetch, and the process and its children are killed
 * when it passes.
 *
 * <p>Placeholders as {@link HttpEdgeSource}'s. Outcomes: an MP4 with bytes: written; ffmpeg saying
 * the input is not there (404, no such file) or an empty output: no footage; a refused connection,
 * the timeout, any other failure: unreachable, with the tail of ffmpeg's messages.
 */
public final class FfmpegEdgeSource implements EdgeSource {
  private final String template;
  private final Path ffmpeg;

  private FfmpegEdgeSource(String template, Path ffmpeg) {
    EdgeUrlTemplate.check(template);
    this.template = template;
    this.ffmpeg = Objects.requireNonNull(ffmpeg, "ffmpeg");
  }

  /** A source of every camera through this template, with the ffmpeg Heldar finds. */
  public static FfmpegEdgeSource of(String urlTemplate) {
    return new FfmpegEdgeSource(urlTemplate, FfmpegBinaries.ffmpeg());
  }

  /** As {@link #of(String)}, with this ffmpeg. */
  public static FfmpegEdgeSource of(String urlTemplate, Path ffmpeg) {
    return new FfmpegEdgeSource(urlTemplate, ffmpeg);
  }

  /** The template's scheme, host and port (never its user info). */
  @Override
  public String describe(Camera camera) {
    return EdgeUrlTemplate.origin(template);
  }

  /** The input of a request. */
  public String url(Request request) {
    Camera c = request.camera();
    return EdgeUrlTemplate.expand(
        template, c.recorderNameOrId(), c.id(), request.from(), request.to());
  }

  @Override
  public EdgeFetch fetch(Request request, Path sink) throws InterruptedException {
    String url = url(request);
    String shown = SnapshotSources.redact(url);
    List<String> cmd = new ArrayList<>(List.of(ffmpeg.toString(), "-nostdin", "-v", "error"));
    if (url.startsWith("rtsp:") || url.startsWith("rtsps:")) {
      cmd.addAll(List.of("-rtsp_transport", "tcp"));
    }
    double seconds = Duration.between(request.from(), request.to()).toMillis() / 1000.0;
    cmd.addAll(List.of(
        "-i",
        url,
        "-t",
        String.format(Locale.ROOT, "%.3f", seconds),
        "-map",
        "0:v:0",
        "-map",
        "0:a?",
        "-c",
        "copy",
        "-fs",
        Long.toString(request.maxBytes()),
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        "-y",
        sink.toString()));
    ExternalProcess.Result r;
    try {
      r = ExternalProcess.run(cmd, request.timeout(), 4096, 4096);
    } catch (IOException e) {
      return new EdgeFetch.Unreachable("cannot run " + ffmpeg + ": " + e.getMessage());
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("stopped while fetching " + shown);
    }
    if (r.timedOut()) {
      return new EdgeFetch.Unreachable(
          "no footage from " + shown + " within " + request.timeout() + "; ffmpeg was stopped");
    }
    String tail = r.stderrTail().strip().replace(url, shown);
    if (r.exitCode() != 0) {
      String lower = tail.toLowerCase(Locale.ROOT);
      return lower.contains("404") || lower.contains("no such file") || lower.contains("not found")
          ? new EdgeFetch.NoFootage("no footage at " + shown + ": " + lastLine(tail))
          : new EdgeFetch.Unreachable(
              "ffmpeg could not copy " + shown + " (exit " + r.exitCode() + "): " + lastLine(tail));
    }
    long size;
    try {
      size = Files.size(sink);
    } catch (IOException e) {
      return new EdgeFetch.Unreachable("no output from ffmpeg: " + e.getMessage());
    }
    return size == 0
        ? new EdgeFetch.NoFootage("ffmpeg copied nothing from " + shown)
        : new EdgeFetch.Written(size);
  }

  private static String lastLine(String text) {
    String[] lines = text.split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1];
  }

  @Override
  public String toString() {
    return "FfmpegEdgeSource[" + SnapshotSources.redact(template) + "]";
  }
}
