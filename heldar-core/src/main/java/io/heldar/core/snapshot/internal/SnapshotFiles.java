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
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes snapshot files atomically: temp file in the same directory, fsync, rename to a final name
 * no file of this process has, fsync the directory. A reader never sees a half-written JPEG under a
 * final name. One process writes a snapshots root.
 */
final class SnapshotFiles {
  static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
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

  /** A written file: its root-relative path and size. */
  record Written(String path, Path file, long size) {}

  Written write(String cameraId, long scheduleId, Instant takenAt, byte[] jpeg) throws IOException {
    Path dir = cameraDirectory(cameraId);
    String base = NAME.format(takenAt);
    Path temp = dir.resolve("." + base + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(jpeg);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        if (fsync) {
          ch.force(true);
        }
      }
      Path target;
      // rename(2) is atomic but replaces an existing file; choosing a free name and renaming under a
      // per-camera lock makes it never replace one written by this process (two schedules of one
      // camera may fire in the same millisecond).
      synchronized (lockFor(cameraId)) {
        target = dir.resolve(base + ".jpg");
        for (int attempt = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); attempt++) {
          target = dir.resolve(base + "-s" + scheduleId + (attempt == 1 ? "" : "-" + attempt) + ".jpg");
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      }
      if (fsync) {
        fsyncDirectory(dir);
      }
      return new Written(cameraId + "/" + target.getFileName(), target, jpeg.length);
    } finally {
      Files.deleteIfExists(temp);
    }
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
      throw new IOException("snapshot directory " + dir + " resolves to " + real + ", outside the snapshots root");
    }
    checked.put(cameraId, real);
    return real;
  }

  /** Deletes temp files left in camera directories by a crash; returns how many. */
  int removeTempFiles() throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> cameras = Files.newDirectoryStream(root)) {
      for (Path cam : cameras) {
        if (!Files.isDirectory(cam, LinkOption.NOFOLLOW_LINKS) || !Camera.isValidId(cam.getFileName().toString())) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(cam, ".*" + TEMP_SUFFIX)) {
          for (Path f : files) {
            if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(f)) {
              removed++;
            }
          }
        }
      }
    }
    return removed;
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
