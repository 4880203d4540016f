package io.heldar.ffmpeg;

import io.heldar.core.probe.ProbeUnavailableException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the {@code ffprobe} and {@code ffmpeg} executables: an explicit path first, then {@code
 * PATH}, then the executables bundled in {@code org.bytedeco:ffmpeg}'s platform jar when it is on
 * the classpath (the GPL build, classifier {@code <platform>-gpl}, is preferred when both are
 * present, for its H.264/H.265 encoders).
 *
 * <p>Bundled executables and their shared libraries are extracted once per jar version into {@code
 * ~/.cache/heldar/ffmpeg/} (or the directory named by the system property {@code
 * heldar.ffmpeg.cache}), atomically: into a temporary directory, then renamed into place.
 */
public final class FfmpegBinaries {
  private static final Logger log = LoggerFactory.getLogger(FfmpegBinaries.class);
  private static final Object EXTRACT_LOCK = new Object();

  private FfmpegBinaries() {}

  /** {@code ffprobe} from {@code PATH} or the bundled jar. */
  public static Path ffprobe() {
    return locate("ffprobe", Optional.empty());
  }

  /** {@code ffmpeg} from {@code PATH} or the bundled jar. */
  public static Path ffmpeg() {
    return locate("ffmpeg", Optional.empty());
  }

  /**
   * Locates {@code program}: {@code explicit} if given (it must be an executable file), else {@code
   * PATH}, else the bundled jar.
   *
   * @throws BinaryNotFoundException when none has it
   */
  public static Path locate(String program, Optional<Path> explicit) {
    List<String> looked = new ArrayList<>();
    if (explicit.isPresent()) {
      Path p = explicit.get();
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p.toAbsolutePath();
      }
      looked.add("configured path " + p + " (not an executable file)");
      throw new BinaryNotFoundException(program, looked);
    }
    Optional<Path> onPath = onPath(program);
    if (onPath.isPresent()) {
      return onPath.get();
    }
    looked.add("PATH");
    Optional<Path> bundled = bundled(program);
    if (bundled.isPresent()) {
      return bundled.get();
    }
    looked.add(
        "org.bytedeco:ffmpeg on the classpath (" + platform().orElse("unsupported platform") + ")");
    throw new BinaryNotFoundException(program, looked);
  }

  /** {@code program} in a directory of {@code PATH}. */
  public static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath());
      }
    }
    return Optional.empty();
  }

  /** {@code program} from a bundled {@code org.bytedeco:ffmpeg} platform jar, extracted. */
  public static Optional<Path> bundled(String program) {
    Optional<String> platform = platform();
    if (platform.isEmpty()) {
      return Optional.empty();
    }
    for (String variant : List.of(platform.get() + "-gpl", platform.get())) {
      String dir = "org/bytedeco/ffmpeg/" + variant + "/";
      URL url = FfmpegBinaries.class.getClassLoader().getResource(dir + program);
      if (url != null) {
        try {
          return Optional.of(materialise(url, dir, variant).resolve(program));
        } catch (IOException | URISyntaxException e) {
          throw new ProbeUnavailableException(
              "cannot extract bundled " + program + " from " + url + ": " + e, e);
        }
      }
    }
    return Optional.empty();
  }

  /** The bytedeco platform name of this JVM ({@code linux-x86_64}, …). */
  static Optional<String> platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String o = os.startsWith("linux")
        ? "linux"
        : os.startsWith("mac") ? "macosx" : os.startsWith("windows") ? "windows" : null;
    String a =
        switch (arch) {
          case "amd64", "x86_64" -> "x86_64";
          case "aarch64", "arm64" -> "arm64";
          default -> null;
        };
    return o == null || a == null ? Optional.empty() : Optional.of(o + "-" + a);
  }

  private static Path materialise(URL url, String dir, String variant)
      throws IOException, URISyntaxException {
    if (url.getProtocol().equals("file")) {
      Path folder = Path.of(url.toURI()).getParent();
      try (Stream<Path> files = Files.list(folder)) {
        files.forEach(f -> f.toFile().setExecutable(true, true));
      }
      return folder;
    }
    if (!url.getProtocol().equals("jar")) {
      throw new IOException("unsupported resource location " + url);
    }
    JarURLConnection conn = (JarURLConnection) url.openConnection();
    conn.setUseCaches(false);
    Path jarPath = Path.of(conn.getJarFileURL().toURI());
    String key = variant + "-" + Long.toHexString(Files.size(jarPath)) + "-"
        + Long.toHexString(Files.getLastModifiedTime(jarPath).toMillis()) + "-"
        + Integer.toHexString(jarPath.toAbsolutePath().toString().hashCode());
    Path target = cacheRoot().resolve(key);
    synchronized (EXTRACT_LOCK) {
      if (Files.isDirectory(target)) {
        return target;
      }
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempDirectory(target.getParent(), ".extract-");
      try (JarFile jar = new JarFile(jarPath.toFile())) {
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
          JarEntry e = entries.nextElement();
          String name = e.getName();
          if (e.isDirectory()
              || !name.startsWith(dir)
              || name.substring(dir.length()).contains("/")) {
            continue;
          }
          Path out = tmp.resolve(name.substring(dir.length()));
          try (InputStream in = jar.getInputStream(e)) {
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
          }
          out.toFile().setExecutable(true, true);
        }
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException
            | AtomicMoveNotSupportedException
            | java.nio.file.DirectoryNotEmptyException raced) {
          // Another process extracted the same jar first; its copy is complete (it was renamed
          // whole).
          if (!Files.isDirectory(target)) {
            throw raced;
          }
        }
        log.info("extracted bundled ffmpeg executables ({}) to {}", variant, target);
        return target;
      } finally {
        deleteTree(tmp);
      }
    }
  }

  private static Path cacheRoot() {
    String configured = System.getProperty("heldar.ffmpeg.cache");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "heldar", "ffmpeg");
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.debug("could not remove {}", dir, e);
    }
  }
}
