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

/**
 * A verified copy of one file to another file system: copy to a temporary name beside the target
 * (in the kernel), force it to disk, read it back and compare it with the source byte for byte
 * (taking the SHA-256 of what was written as it is read), then rename it into place and force the
 * directory.
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
      long copied = 0;
      ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
      try (FileChannel in =
              FileChannel.open(source, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
          FileChannel out = FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        while (copied < size) {
          buf.clear();
          buf.limit((int) Math.min(BUFFER, size - copied));
          int n = in.read(buf, copied);
          if (n <= 0) {
            break;
          }
          throttle.acquire(n);
          buf.flip();
          while (buf.hasRemaining()) {
            out.write(buf);
          }
          copied += n;
        }
        steps.before("fsync");
        out.force(true);
      }
      if (copied != size) {
        throw new CopyRefused("the source changed while it was copied (" + copied + " bytes read, "
            + size + " indexed)");
      }
      steps.before("verify");
      // Read back: what was written must be the source, byte for byte; its SHA-256 is recorded.
      byte[] written = readBackAndCompare(temp, source, size);
      // Last look at the source before the copy takes its place: unchanged since it was read.
      BasicFileAttributes after =
          Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (after.size() != size || !after.lastModifiedTime().equals(before.lastModifiedTime())) {
        throw new CopyRefused("the source changed while it was copied (" + after.size()
            + " bytes now, " + size + " indexed)");
      }
      // The copy keeps the source's modification time: it is the version the index knows.
      Files.setLastModifiedTime(temp, FileTime.from(modified));
      steps.before("rename");
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(target.getParent());
      done = true;
      return written;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * Reads {@code copy} back beside {@code source}: both must be {@code size} bytes and equal byte
   * for byte. Returns the SHA-256 of the copy as read back.
   *
   * @throws CopyRefused they differ (the copy is corrupt, or the source changed since it was read)
   */
  static byte[] readBackAndCompare(Path copy, Path source, long size) throws IOException {
    MessageDigest d = sha256();
    // Heap buffers: the digest reads their arrays in place. (Not mapped: a source truncated while
    // mapped would crash the process.)
    ByteBuffer a = ByteBuffer.allocate(BUFFER);
    ByteBuffer b = ByteBuffer.allocate(BUFFER);
    try (FileChannel c = FileChannel.open(copy, StandardOpenOption.READ);
        FileChannel s =
            FileChannel.open(source, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      if (c.size() != size) {
        throw new CopyRefused("the copy read back has " + c.size() + " bytes, not " + size);
      }
      long pos = 0;
      while (pos < size) {
        int want = (int) Math.min(BUFFER, size - pos);
        a.clear().limit(want);
        b.clear().limit(want);
        readFully(c, a, pos);
        readFully(s, b, pos);
        int at = java.util.Arrays.mismatch(a.array(), 0, want, b.array(), 0, want);
        if (at >= 0) {
          throw new CopyRefused("the copy read back differs from the source at byte " + (pos + at)
              + " (a bad write, or the source changed while it was copied)");
        }
        d.update(a.array(), 0, want);
        pos += want;
      }
    }
    return d.digest();
  }

  private static void readFully(FileChannel ch, ByteBuffer into, long position) throws IOException {
    long p = position;
    while (into.hasRemaining()) {
      int n = ch.read(into, p);
      if (n < 0) {
        throw new CopyRefused("a file ended early at byte " + p + " while it was read back");
      }
      p += n;
    }
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
