package io.heldar.core.clip.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sample table of fixed-size big-endian entries kept in a temporary file while a progressive
 * clip is planned, so its index costs disk, not heap, whatever the clip's length.
 */
final class SpooledTable implements Boxes.External, AutoCloseable {
  private final Path file;
  private final DataOutputStream out;
  private final int entrySize;
  private long entries;

  SpooledTable(Path dir, int entrySize) throws IOException {
    this.file = Files.createTempFile(dir, "heldar-clip-", ".table");
    this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    this.entrySize = entrySize;
  }

  void add32(long a) throws IOException {
    out.writeInt((int) a);
    entries++;
  }

  void add32(long a, long b) throws IOException {
    out.writeInt((int) a);
    out.writeInt((int) b);
    entries++;
  }

  void add32(long a, long b, long c) throws IOException {
    out.writeInt((int) a);
    out.writeInt((int) b);
    out.writeInt((int) c);
    entries++;
  }

  void add64(long a) throws IOException {
    out.writeLong(a);
    entries++;
  }

  long entries() {
    return entries;
  }

  @Override
  public long length() {
    return entries * entrySize;
  }

  /** Writes the entries; 64-bit entries get {@code shift} added (chunk offsets). */
  void writeTo(OutputStream target, long shift) throws IOException {
    out.flush();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      if (shift == 0) {
        in.transferTo(target);
        return;
      }
      DataOutputStream d = new DataOutputStream(target);
      byte[] e = new byte[8];
      for (long i = 0; i < entries; i++) {
        if (in.readNBytes(e, 0, 8) != 8) {
          throw new IOException("spooled table " + file + " is shorter than written");
        }
        long v = 0;
        for (byte b : e) {
          v = (v << 8) | (b & 0xff);
        }
        d.writeLong(v + shift);
      }
      d.flush();
    }
  }

  @Override
  public void writeTo(OutputStream target) throws IOException {
    writeTo(target, 0);
  }

  @Override
  public void close() {
    try {
      out.close();
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
