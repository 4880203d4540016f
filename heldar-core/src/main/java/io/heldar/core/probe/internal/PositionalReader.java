package io.heldar.core.probe.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Big-endian reads at absolute positions of a file through one small window, so parsing a box
 * never allocates more than the window, whatever the box header claims. A jump reads a small
 * window (box headers are tiny); reads that run on sequentially (a sample table) grow it.
 */
public final class PositionalReader {
  /** The largest window, the capacity the buffer given to the constructor must have. */
  public static final int MAX_WINDOW = 64 * 1024;

  private static final int MIN_WINDOW = 4 * 1024;

  private final FileChannel channel;
  private final long size;
  private final ByteBuffer window;
  private long windowStart = -1;
  private int windowLength;
  private int nextFill = MIN_WINDOW;

  /** Reads {@code channel} through {@code buffer} (capacity {@link #MAX_WINDOW}, reusable). */
  public PositionalReader(FileChannel channel, long size, ByteBuffer buffer) {
    this.channel = channel;
    this.size = size;
    this.window = buffer;
  }

  public long size() {
    return size;
  }

  /** Makes {@code [pos, pos + n)} readable from the window; {@code n <= 16}. */
  private int at(long pos, int n) throws IOException {
    if (pos < 0 || pos + n > size) {
      throw new Mp4Format.Truncated(
          "read of " + n + " bytes at " + pos + " past the end of the file (" + size + " bytes)");
    }
    if (windowStart < 0 || pos < windowStart || pos + n > windowStart + windowLength) {
      boolean sequential =
          windowStart >= 0 && pos >= windowStart && pos <= windowStart + windowLength;
      nextFill = sequential ? Math.min(MAX_WINDOW, nextFill * 2) : MIN_WINDOW;
      window.clear();
      long start = pos;
      int want = (int) Math.min(nextFill, size - start);
      window.limit(want);
      int read = 0;
      while (read < want) {
        int r = channel.read(window, start + read);
        if (r < 0) {
          throw new Mp4Format.Truncated("file shrank while being read");
        }
        read += r;
      }
      windowStart = start;
      windowLength = want;
    }
    return (int) (pos - windowStart);
  }

  public int u8(long pos) throws IOException {
    return window.get(at(pos, 1)) & 0xff;
  }

  public int u16(long pos) throws IOException {
    return window.getShort(at(pos, 2)) & 0xffff;
  }

  public long u32(long pos) throws IOException {
    return window.getInt(at(pos, 4)) & 0xffffffffL;
  }

  /** An unsigned 64-bit value; values above {@code Long.MAX_VALUE} are refused as malformed. */
  public long u64(long pos) throws IOException {
    long v = window.getLong(at(pos, 8));
    if (v < 0) {
      throw new Mp4Format.Malformed("64-bit value out of range at " + pos);
    }
    return v;
  }

  /** A signed 64-bit value, as stored (two's complement). */
  public long s64(long pos) throws IOException {
    return window.getLong(at(pos, 8));
  }

  public String fourcc(long pos) throws IOException {
    int off = at(pos, 4);
    char[] c = new char[4];
    for (int i = 0; i < 4; i++) {
      int b = window.get(off + i) & 0xff;
      c[i] = b >= 0x20 && b < 0x7f ? (char) b : '?';
    }
    return new String(c);
  }
}
