package io.heldar.examples.cli;

import io.heldar.core.gap.GapDetector;
import io.heldar.core.index.SegmentNaming;
import io.heldar.core.model.Camera;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.MediaProbes;
import io.heldar.ffmpeg.FfprobeMediaProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/** Options of the commands that index recordings ({@code index}, {@code run}). */
final class IndexingOptions {
  @Option(names = "--root", required = true, paramLabel = "DIR", description = "Recordings root: one sub-directory per camera.")
  Path root;

  @Option(names = "--camera", paramLabel = "ID", description = "Camera to register and index (repeatable). Default: every sub-directory of --root whose name is a valid camera id.")
  List<String> cameras = new ArrayList<>();

  @Option(names = "--settle", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "5s",
      description = "Files modified more recently than this are still being written (default: ${DEFAULT-VALUE}).")
  Duration settle;

  @Option(names = "--gap-threshold", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "3s",
      description = "Holes longer than this are recording gaps (default: ${DEFAULT-VALUE}).")
  Duration gapThreshold;

  @Option(names = "--naming", paramLabel = "heldar|mediamtx|PATTERN", defaultValue = "heldar",
      description = "File naming: a preset or a strftime-style pattern relative to the camera directory (default: ${DEFAULT-VALUE}).")
  String naming;

  @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC",
      description = "Time zone of names without an offset, e.g. Europe/Berlin (default: ${DEFAULT-VALUE}).")
  String zone;

  @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
      description = "Pause between indexing scans when running continuously (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--ffprobe", paramLabel = "PATH", description = "ffprobe executable (default: PATH, then the bundled one).")
  Path ffprobe;

  @Option(names = "--probe", paramLabel = "auto|native|ffprobe", defaultValue = "auto",
      description = "How segments are probed: the native MP4 reader with ffprobe for everything else (auto), one of them only (default: ${DEFAULT-VALUE}).")
  String probe;

  /** Checks everything that can be checked before opening the database; throws with a one-line reason. */
  void validate() {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("recordings root " + root + " is not a directory");
    }
    naming();
    gapOptions();
    if (!java.util.List.of("auto", "native", "ffprobe").contains(probe)) {
      throw new IllegalArgumentException("--probe must be auto, native or ffprobe, not " + probe);
    }
    cameras.forEach(Camera::requireValidId);
  }

  SegmentNaming naming() {
    return SegmentNaming.byName(naming, ZoneId.of(zone));
  }

  GapDetector.Options gapOptions() {
    return GapDetector.Options.DEFAULTS.withThreshold(gapThreshold);
  }

  MediaProbe probe() {
    return switch (probe) {
      case "native" -> MediaProbes.nativeMp4();
      case "ffprobe" -> ffprobe();
      case "auto" -> MediaProbes.auto(lazy(this::ffprobe));
      default -> throw new IllegalArgumentException("--probe must be auto, native or ffprobe, not " + probe);
    };
  }

  private MediaProbe ffprobe() {
    return ffprobe != null ? FfprobeMediaProbe.builder().binary(ffprobe).build() : FfprobeMediaProbe.onPath();
  }

  /** Builds the fallback on first use: a root of MP4 files never needs ffprobe at all. */
  private static MediaProbe lazy(java.util.function.Supplier<MediaProbe> factory) {
    return new MediaProbe() {
      private volatile MediaProbe probe;

      @Override
      public io.heldar.core.model.MediaInfo probe(Path file) {
        MediaProbe p = probe;
        if (p == null) {
          synchronized (this) {
            if (probe == null) {
              probe = factory.get();
            }
            p = probe;
          }
        }
        return p.probe(file);
      }
    };
  }

  /** The cameras to register: the given ids, else every sub-directory named like a camera id. */
  List<String> cameraIds() {
    if (!cameras.isEmpty()) {
      return cameras;
    }
    try (Stream<Path> children = Files.list(root)) {
      return children.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(Camera::isValidId).sorted().toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list recordings root " + root + ": " + e.getMessage(), e);
    }
  }
}
