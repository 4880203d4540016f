package io.heldar.core.snapshot.internal;

import io.heldar.core.model.Camera;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes snapshot files atomically and in step with their rows: temp file in the same directory
 * named after its final name, fsync; the row is committed; then rename to the final name and fsync
 * the directory. A reader never sees a half-written JPEG under a final name, and a crash at any
 * point leaves either a temp file without a row (removed at recovery) or a row with its temp file
 * (renamed at recovery): after a restart, rows and files match one to one. One process writes a
 * snapshots root.
 */
final class SnapshotFiles {
  static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
  static final String TEMP_SUFFIX = ".tmp";

  private final Path root;
  private final boolean fsync;
  /** Camera directories already created and checked to lie inside the root. */
  private final Map<String, Path> checked = new ConcurrentHashMap<>();

  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  SnapshotFiles(Path root, boolean fsync) {
    this.root = root;
    this.fsync = fsync;
  }

  /**
   * A snapshot written to its temp file and waiting for its row: {@link #publish} renames it to its
   * final name once the row is committed; if the row is not, the caller deletes the temp file.
   *
   * @param path the final root-relative path (what the row records)
   * @param file the final file
   * @param temp the temp file holding the bytes until published
   * @param size bytes
   */
  record Written(String path, Path file, Path temp, long size) {}

  /**
   * Writes {@code jpeg} to a temp file named after its final name ({@code .<final>.tmp}), fsynced.
   * The final name is chosen under a per-camera lock so that no other file, final or pending, has
   * it: the temp file is created exclusively, which reserves the name.
   */
  Written prepare(String cameraId, long scheduleId, Instant takenAt, byte[] jpeg)
      throws IOException {
    Path dir = cameraDirectory(cameraId);
    String base = NAME.format(takenAt);
    Path target;
    Path temp;
    FileChannel ch;
    synchronized (lockFor(cameraId)) {
      target = dir.resolve(base + ".jpg");
      for (int attempt = 1;
          Files.exists(target, LinkOption.NOFOLLOW_LINKS)
              || Files.exists(tempOf(target), LinkOption.NOFOLLOW_LINKS);
          attempt++) {
        target =
            dir.resolve(base + "-s" + scheduleId + (attempt == 1 ? "" : "-" + attempt) + ".jpg");
      }
      temp = tempOf(target);
      ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
    boolean ok = false;
    try (ch) {
      ByteBuffer buf = ByteBuffer.wrap(jpeg);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      if (fsync) {
        ch.force(true);
      }
      ok = true;
    } finally {
      if (!ok) {
        Files.deleteIfExists(temp);
      }
    }
    return new Written(cameraId + "/" + target.getFileName(), target, temp, jpeg.length);
  }

  /** Renames a prepared file to its final name (after its row is committed) and fsyncs the directory. */
  void publish(Written w) throws IOException {
    Files.move(w.temp(), w.file(), StandardCopyOption.ATOMIC_MOVE);
    if (fsync) {
      fsyncDirectory(w.file().getParent());
    }
  }

  static Path tempOf(Path target) {
    return target.resolveSibling("." + target.getFileName() + TEMP_SUFFIX);
  }

  private Object lockFor(String cameraId) {
    return locks.computeIfAbsent(cameraId, k -> new Object());
  }

  /** The camera's directory, created if needed; refused if it resolves outside the root. */
  Path cameraDirectory(String cameraId) throws IOException {
    Path known = checked.get(cameraId);
    if (known != null && Files.isDirectory(known, LinkOption.NOFOLLOW_LINKS)) {
      return known;
    }
    Camera.requireValidId(cameraId);
    Path dir = root.resolve(cameraId);
    Files.createDirectories(dir);
    Path real = dir.toRealPath();
    if (!real.startsWith(root.toRealPath())) {
      throw new IOException(
          "snapshot directory " + dir + " resolves to " + real + ", outside the snapshots root");
    }
    checked.put(cameraId, real);
    return real;
  }

  /** What recovery did with the temp files a crash left. */
  record Recovered(int completed, int removed) {}

  /**
   * Finishes or removes the temp files a crash left in camera directories: a temp file whose row was
   * committed ({@code committed} says so for its final root-relative path) is renamed to its final
   * name — the crash fell between the commit and the rename — and any other is removed. Only the
   * cameras {@code cameras} accepts, and only temp files last modified before {@code
   * modifiedBeforeMillis} ({@code Long.MAX_VALUE}: all; in a cluster another node may still be
   * writing a younger one).
   */
  Recovered recoverTempFiles(
      java.util.function.Predicate<String> committed,
      java.util.function.Predicate<String> cameras,
      long modifiedBeforeMillis)
      throws IOException {
    if (!Files.isDirectory(root)) {
      return new Recovered(0, 0);
    }
    int completed = 0;
    int removed = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path cam : dirs) {
        if (!Files.isDirectory(cam, LinkOption.NOFOLLOW_LINKS)
            || !Camera.isValidId(cam.getFileName().toString())
            || !cameras.test(cam.getFileName().toString())) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(cam, ".*" + TEMP_SUFFIX)) {
          for (Path f : files) {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                || (modifiedBeforeMillis != Long.MAX_VALUE
                    && Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toMillis()
                        >= modifiedBeforeMillis)) {
              continue;
            }
            String name = f.getFileName().toString();
            String finalName = name.substring(1, name.length() - TEMP_SUFFIX.length());
            Path target = cam.resolve(finalName);
            String path = cam.getFileName() + "/" + finalName;
            if (finalName.endsWith(".jpg")
                && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                && committed.test(path)) {
              Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
              completed++;
            } else if (Files.deleteIfExists(f)) {
              removed++;
            }
          }
        }
        if (fsync) {
          fsyncDirectory(cam);
        }
      }
    }
    return new Recovered(completed, removed);
  }

  Path resolve(String relativePath) {
    return root.resolve(relativePath);
  }

  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
