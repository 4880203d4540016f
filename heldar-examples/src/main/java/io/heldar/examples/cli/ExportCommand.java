package io.heldar.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.heldar.core.clip.ClipFormat;
import io.heldar.core.clip.ClipGap;
import io.heldar.core.clip.ClipManifest;
import io.heldar.core.clip.ClipPart;
import io.heldar.core.clip.ClipReport;
import io.heldar.core.clip.ClipRequest;
import io.heldar.core.clip.Clips;
import io.heldar.core.clip.GapPolicy;
import io.heldar.ffmpeg.FfmpegSegmentRemuxer;
import io.heldar.store.jdbi.JdbiHeldarStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heldar export}: a range of one or more cameras as clips, with their manifests. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Cut a range of one or more cameras into MP4 clips by stream copy, with a "
        + "manifest of what they hold and what they do not.")
final class ExportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions store;

  @Option(
      names = "--root",
      required = true,
      paramLabel = "DIR",
      description = "Recordings root the indexed segments' paths are under.")
  Path root;

  @Option(
      names = "--camera",
      required = true,
      paramLabel = "ID",
      description = "A camera (repeatable: one clip, or part set, per camera for the same range).")
  List<String> cameras = new ArrayList<>();

  @Option(
      names = "--from",
      required = true,
      paramLabel = "T",
      description = "Range start: an instant (2026-11-21T10:00:00Z) or a day (2026-11-21, UTC).")
  String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "T",
      description = "Range end (exclusive), as --from.")
  String to;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE|DIR",
      description = "The clip file (one camera), or a directory: CAMERA-FROM.mp4 in it per camera.")
  Path out;

  @Option(
      names = "--gaps",
      paramLabel = "split|skip|fail",
      defaultValue = "skip",
      description = "At gaps: a new part (file) each, leave them out, or refuse the range "
          + "(default: ${DEFAULT-VALUE}).")
  String gaps;

  @Option(
      names = "--container",
      paramLabel = "mp4|fmp4",
      defaultValue = "mp4",
      description = "Progressive MP4 (index first) or fragmented MP4 (default: ${DEFAULT-VALUE}).")
  String container;

  @Option(
      names = "--manifest",
      description = "Write the manifest beside each clip as NAME.manifest.json.")
  boolean manifest;

  @Option(
      names = "--sign-key",
      paramLabel = "FILE",
      description = "Sign the manifests with this Ed25519 key pair (PEM with PRIVATE KEY and "
          + "PUBLIC KEY blocks, as heldar keygen writes); implies --manifest.")
  Path signKey;

  @Mixin
  OutputFormat format;

  @Override
  public Integer call() {
    PrintWriter pw = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return Cli.guard(spec, () -> {
      boolean json = format.json();
      GapPolicy policy = GapPolicy.valueOf(choice("--gaps", gaps, "split", "skip", "fail"));
      ClipFormat kind = choice("--container", container, "mp4", "fmp4").equals("MP4")
          ? ClipFormat.MP4
          : ClipFormat.FRAGMENTED_MP4;
      Instant start = TimelineCommand.parse(from, ZoneId.of("UTC"));
      Instant end = TimelineCommand.parse(to, ZoneId.of("UTC"));
      Optional<KeyPair> key = signKey == null
          ? Optional.empty()
          : Optional.of(
              ClipManifest.keyPairFromPem(Files.readString(signKey, StandardCharsets.UTF_8)));
      boolean writeManifest = manifest || key.isPresent();
      boolean toDir = cameras.size() > 1 || Files.isDirectory(out);
      if (toDir) {
        Files.createDirectories(out);
      }
      List<Object> results = new ArrayList<>();
      int failed = 0;
      try (JdbiHeldarStore db = store.openExisting()) {
        // Segments in other containers (MPEG-TS...) go through ffmpeg -c copy (PATH, or bundled).
        Clips clips =
            new Clips(db, root, Clock.systemUTC()).withRemuxer(FfmpegSegmentRemuxer.onPath());
        for (String camera : cameras) {
          if (db.cameras().find(camera).isEmpty()) {
            throw new IllegalArgumentException("unknown camera " + camera);
          }
          Path file =
              toDir ? out.resolve(camera + "-" + start.toString().replace(':', '-') + ".mp4") : out;
          ClipRequest request = new ClipRequest(camera, start, end, policy, kind, writeManifest);
          long[] lastShown = {System.nanoTime()};
          ClipReport report;
          try {
            report = clips.write(request, file, (segments, bytes) -> {
              if (!json && System.nanoTime() - lastShown[0] > 2_000_000_000L) {
                lastShown[0] = System.nanoTime();
                err.printf("  %s: %d segment(s) read, %d bytes written%n", camera, segments, bytes);
                err.flush();
              }
            });
          } catch (RuntimeException e) {
            failed++;
            err.println("heldar export: " + e.getMessage());
            results.add(Json.object("camera", camera, "error", e.getMessage()));
            continue;
          }
          ClipManifest m = ClipManifest.of(report);
          if (key.isPresent()) {
            m = m.signed(key.get());
          }
          Optional<Path> manifestFile = Optional.empty();
          if (writeManifest) {
            manifestFile = Optional.of(manifestPath(file));
            writeAtomically(manifestFile.get(), m.json());
          }
          if (json) {
            Map<String, Object> row = Json.object(
                "camera",
                camera,
                "manifest_file",
                manifestFile.map(Path::toString).orElse(null),
                "manifest",
                new ObjectMapper().readValue(m.json(), Map.class));
            results.add(row);
          } else {
            text(pw, file, report, manifestFile);
          }
        }
      }
      if (json) {
        pw.println(Json.write(Json.object("clips", results)));
      }
      pw.flush();
      return failed == 0 ? 0 : 2;
    });
  }

  private static String choice(String option, String value, String... allowed) {
    for (String a : allowed) {
      if (a.equals(value)) {
        return value.toUpperCase(Locale.ROOT);
      }
    }
    throw new IllegalArgumentException(
        option + " must be one of " + String.join(", ", allowed) + ", not " + value);
  }

  /** The manifest beside a clip: {@code NAME.manifest.json}. */
  static Path manifestPath(Path clip) {
    String name = clip.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return clip.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".manifest.json");
  }

  private static void writeAtomically(Path target, String text) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
    try {
      try (var ch =
          java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void text(PrintWriter pw, Path file, ClipReport r, Optional<Path> manifestFile) {
    pw.printf(
        "%s %s .. %s: %d part(s), %d frames, %d bytes, %d gap(s), %d source segment(s)%n",
        r.request().cameraId(),
        r.request().from(),
        r.request().to(),
        r.parts().size(),
        r.frames(),
        r.bytes(),
        r.gaps().size(),
        r.sources().size());
    for (ClipPart p : r.parts()) {
      pw.printf(
          "  part %d  %s  %s .. %s  (%s, %d frames, %s %dx%d%s)  sha256 %s%n",
          p.number(),
          Clips.partFile(file, p.number()),
          p.start(),
          p.end(),
          Json.human(p.duration()),
          p.frames(),
          p.videoCodec(),
          p.width(),
          p.height(),
          p.audioCodec().map(a -> ", " + a).orElse(""),
          p.sha256().orElse("-"));
    }
    for (ClipGap g : r.gaps()) {
      pw.printf(
          "  gap     %s .. %s  (%s, %s): %s%n",
          g.start(), g.end(), Json.human(g.length()), g.cause().jsonName(), g.detail());
    }
    for (ClipReport.LeftOut l : r.leftOut()) {
      pw.printf("  left out %s: %s%n", l.path(), l.reason());
    }
    manifestFile.ifPresent(m -> pw.println("  manifest " + m));
  }
}
