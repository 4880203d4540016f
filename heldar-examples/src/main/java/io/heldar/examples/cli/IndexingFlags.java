package io.heldar.examples.cli;

import io.heldar.core.gap.GapDetector;
import io.heldar.core.index.CameraNames;
import io.heldar.core.index.SegmentNaming;
import io.heldar.core.model.Camera;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.MediaProbes;
import io.heldar.ffmpeg.FfprobeMediaProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of the commands that index recordings ({@code index}, {@code run}). */
final class IndexingFlags {
  @Option(
      names = "--root",
      required = true,
      paramLabel = "DIR",
      description = "Recordings root, laid out as --naming says.")
  Path root;

  @Option(
      names = "--camera",
      paramLabel = "NAME[=ID]",
      description =
          "Camera to register and index, by its name in the recordings layout, optionally with the id to register it under"
              + " (repeatable). Default: every camera found in the layout, names that are not valid ids mapped to ids (cam2/main -> cam2-main).")
  List<String> cameras = new ArrayList<>();

  @Option(
      names = "--settle",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Files modified more recently than this are still being written (default: ${DEFAULT-VALUE}).")
  Duration settle;

  @Option(
      names = "--gap-threshold",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Holes longer than this are recording gaps (default: ${DEFAULT-VALUE}).")
  Duration gapThreshold;

  @Option(
      names = "--naming",
      paramLabel = "PRESET|PATTERN",
      defaultValue = "heldar",
      description =
          "Layout: heldar, mediamtx, frigate, shinobi, zoneminder, blueiris, or a strftime-style pattern over the path"
              + " under --root with %%c (or %%p, spanning directories) for the camera; without one it is relative to each camera's"
              + " directory (default: ${DEFAULT-VALUE}).")
  String naming;

  @Option(
      names = "--zone",
      paramLabel = "ZONE",
      defaultValue = "UTC",
      description =
          "Time zone of names without an offset, e.g. Europe/Berlin (default: ${DEFAULT-VALUE}).")
  String zone;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Pause between indexing scans when running continuously (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = "--ffprobe",
      paramLabel = "PATH",
      description = "ffprobe executable (default: PATH, then the bundled one).")
  Path ffprobe;

  @Option(
      names = "--probe",
      paramLabel = "auto|native|ffprobe",
      defaultValue = "auto",
      description =
          "How segments are probed: the native MP4 reader with ffprobe for everything else (auto), one of them only (default: ${DEFAULT-VALUE}).")
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
    cameras(java.time.Instant.EPOCH);
  }

  SegmentNaming naming() {
    return SegmentNaming.byName(naming, ZoneId.of(zone));
  }

  GapDetector.Options gapOptions() {
    return GapDetector.Options.DEFAULTS.withThreshold(gapThreshold);
  }

  /** The library's indexing options these command-line options make. */
  io.heldar.core.index.IndexingOptions options() {
    return io.heldar.core.index.IndexingOptions.builder()
        .naming(naming())
        .discoverCameras(discoverCameras())
        .settleTime(settle)
        .gaps(gapOptions())
        .build();
  }

  MediaProbe probe() {
    return switch (probe) {
      case "native" -> MediaProbes.nativeMp4();
      case "ffprobe" -> ffprobe();
      case "auto" -> MediaProbes.auto(
          ffprobe()); // ffprobe on PATH is looked up when a file first needs it
      default -> throw new IllegalArgumentException(
          "--probe must be auto, native or ffprobe, not " + probe);
    };
  }

  private MediaProbe ffprobe() {
    return ffprobe != null
        ? FfprobeMediaProbe.builder().binary(ffprobe).build()
        : FfprobeMediaProbe.onPath();
  }

  /** Whether the indexer registers the cameras it finds: when no --camera is given. */
  boolean discoverCameras() {
    return cameras.isEmpty();
  }

  /**
   * The cameras --camera names: {@code NAME} registers the camera under the id its name maps to,
   * {@code NAME=ID} under {@code ID}; each keeps {@code NAME} as its recorder name.
   */
  List<Camera> cameras(java.time.Instant now) {
    List<Camera> out = new ArrayList<>();
    for (String value : cameras) {
      int eq = value.lastIndexOf('=');
      String name = eq < 0 ? value : value.substring(0, eq);
      if (!CameraNames.isSafeRecorderName(name)) {
        throw new IllegalArgumentException(
            "invalid camera name '" + io.heldar.core.model.PrintableText.of(name)
                + "': a relative name under --root, without '..', '.', empty elements or control characters");
      }
      String id = eq < 0 ? CameraNames.idFor(name) : Camera.requireValidId(value.substring(eq + 1));
      out.add(new Camera(id, name, java.util.Optional.empty(), now, java.util.Optional.of(name)));
    }
    return out;
  }
}
