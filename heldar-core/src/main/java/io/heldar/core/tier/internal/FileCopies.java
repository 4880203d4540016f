package io.heldar.core.tier.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;

/**
 * A verified copy of one file to another file system: copy to a temporary name beside the target,
 * force it to disk, read it back and compare size and SHA-256 with what was read from the source,
 * then rename it into place and force the directory.
 */
final class FileCopies {
  /** The suffix of a copy under way; a crash leaves at most this, which recovery removes. */
  static final String TEMP_SUFFIX = ".heldar-move";

  private static final int BUFFER = 1 << 20;

  private FileCopies() {}

  /** The file a copy to {@code target} is written to before its rename. */
  static Path temporaryOf(Path target) {
    return target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
  }

  /** A copy that did not verify, or whose source is not the file the index knows. */
  static final class CopyRefused extends IOException {
    private static final long serialVersionUID = 1L;

    CopyRefused(String message) {
      super(message);
    }
  }

  /**
   * Copies {@code source} (which must have {@code size} bytes and modification time {@code
   * modified}) to {@code target} as described above. Returns the SHA-256 of the file.
   *
   * @throws CopyRefused the source is not what the index knows, changed while it was copied, or
   *     the copy read back differs; nothing is left at the target's names
   */
  static byte[] copyVerified(
      Path source,
      long size,
      Instant modified,
      Path target,
      Throttle throttle,
      TierMover.Steps steps)
      throws IOException {
    BasicFileAttributes before =
        Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!before.isRegularFile()) {
      throw new CopyRefused("the source is not a regular file");
    }
    if (before.size() != size || !before.lastModifiedTime().toInstant().equals(modified)) {
      throw new CopyRefused("the source changed since it was indexed (" + before.size()
          + " bytes, modified " + before.lastModifiedTime() + "; indexed " + size + " bytes, "
          + modified + ")");
    }
    Files.createDirectories(target.getParent());
    Path temp = temporaryOf(target);
    boolean done = false;
    try {
      steps.before("copy");
      MessageDigest read = sha256();
      long copied = 0;
      ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
      try (FileChannel in =
              FileChannel.open(source, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
          FileChannel out = FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        while (true) {
          buf.clear();
          int n = in.read(buf);
          if (n < 0) {
            break;
          }
          throttle.acquire(n);
          buf.flip();
          read.update(buf.duplicate());
          while (buf.hasRemaining()) {
            out.write(buf);
          }
          copied += n;
        }
        steps.before("fsync");
        out.force(true);
      }
      byte[] expected = read.digest();
      steps.before("verify");
      byte[] written = digest(temp);
      long writtenSize = Files.size(temp);
      if (writtenSize != size || !Arrays.equals(expected, written)) {
        throw new CopyRefused("the copy read back differs from the source (" + writtenSize
            + " bytes, SHA-256 " + java.util.HexFormat.of().formatHex(written) + " of "
            + java.util.HexFormat.of().formatHex(expected) + ")");
      }
      // Last look at the source before the copy takes its place: unchanged since it was read.
      BasicFileAttributes after =
          Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (copied != size
          || after.size() != size
          || !after.lastModifiedTime().equals(before.lastModifiedTime())) {
        throw new CopyRefused("the source changed while it was copied (" + copied + " bytes read, "
            + after.size() + " now, " + size + " indexed)");
      }
      // The copy keeps the source's modification time: it is the version the index knows.
      Files.setLastModifiedTime(temp, FileTime.from(modified));
      steps.before("rename");
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(target.getParent());
      done = true;
      return expected;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** The SHA-256 of a file. */
  static byte[] digest(Path file) throws IOException {
    MessageDigest d = sha256();
    ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (ch.read(buf) >= 0) {
        buf.flip();
        d.update(buf);
        buf.clear();
      }
    }
    return d.digest();
  }

  /** Forces a directory's entries to disk (a rename in it survives a power cut). */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems cannot open a directory for reading; the rename is still atomic.
      if (!(e instanceof java.nio.file.AccessDeniedException)) {
        throw e;
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Bytes per second shared by all copies: each copy waits for its share. */
  static final class Throttle {
    private final long bytesPerSecond;
    private long nextFreeNanos = System.nanoTime();

    Throttle(long bytesPerSecond) {
      this.bytesPerSecond = bytesPerSecond;
    }

    void acquire(long bytes) throws IOException {
      if (bytesPerSecond <= 0) {
        return;
      }
      long waitNanos;
      synchronized (this) {
        long now = System.nanoTime();
        long start = Math.max(now, nextFreeNanos);
        nextFreeNanos = start + bytes * 1_000_000_000L / bytesPerSecond;
        waitNanos = start - now;
      }
      if (waitNanos > 0) {
        try {
          Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("the move was stopped");
        }
      }
    }
  }
}
