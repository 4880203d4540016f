package io.heldar.core.clip.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Builds ISO BMFF boxes in memory, big-endian: {@code open("moov") ... close()} nests, and {@code
 * close} writes the box's size. Used for headers and sample tables, never for media data.
 */
final class Boxes {
  private byte[] buf = new byte[4096];
  private int length;
  /** Open boxes: where each starts in the buffer and in the output (the buffer plus inserts). */
  private final Deque<long[]> open = new ArrayDeque<>();
  /** Bytes inserted so far from outside the buffer ({@link #insert}). */
  private long inserted;

  private final List<Insert> inserts = new ArrayList<>();

  /** Content written from elsewhere at a place in the buffer: a spooled sample table. */
  interface External {
    long length();

    void writeTo(OutputStream out) throws IOException;
  }

  private record Insert(int at, External content) {}

  Boxes open(String type) {
    open.push(new long[] {length, length + inserted});
    u32(0);
    fourcc(type);
    return this;
  }

  /** Opens a full box: its version and 24 bits of flags follow the type. */
  Boxes open(String type, int version, int flags) {
    open(type);
    return u32(((long) version << 24) | (flags & 0xffffff));
  }

  Boxes close() {
    long[] at = open.pop();
    int start = (int) at[0];
    long size = length + inserted - at[1];
    if (size > 0xffffffffL) {
      throw new IllegalStateException("a box of " + size + " bytes");
    }
    buf[start] = (byte) (size >>> 24);
    buf[start + 1] = (byte) (size >>> 16);
    buf[start + 2] = (byte) (size >>> 8);
    buf[start + 3] = (byte) size;
    return this;
  }

  Boxes u8(int v) {
    room(1);
    buf[length++] = (byte) v;
    return this;
  }

  Boxes u16(int v) {
    return u8(v >>> 8).u8(v);
  }

  Boxes u32(long v) {
    room(4);
    buf[length++] = (byte) (v >>> 24);
    buf[length++] = (byte) (v >>> 16);
    buf[length++] = (byte) (v >>> 8);
    buf[length++] = (byte) v;
    return this;
  }

  Boxes u64(long v) {
    return u32(v >>> 32).u32(v & 0xffffffffL);
  }

  Boxes zeros(int n) {
    room(n);
    length += n; // the array is zeroed where it was never written
    return this;
  }

  Boxes fourcc(String s) {
    return bytes(s.getBytes(StandardCharsets.US_ASCII));
  }

  Boxes bytes(byte[] b) {
    room(b.length);
    System.arraycopy(b, 0, buf, length, b.length);
    length += b.length;
    return this;
  }

  /** The unity transformation matrix of mvhd and tkhd. */
  Boxes matrix() {
    return u32(0x00010000)
        .u32(0)
        .u32(0)
        .u32(0)
        .u32(0x00010000)
        .u32(0)
        .u32(0)
        .u32(0)
        .u32(0x40000000);
  }

  /** Places {@code content} here; it counts towards the sizes of the boxes around it. */
  Boxes insert(External content) {
    inserts.add(new Insert(length, content));
    inserted += content.length();
    return this;
  }

  int length() {
    return length;
  }

  /** The bytes and the inserts, in order. */
  void writeTo(OutputStream out) throws IOException {
    if (!open.isEmpty()) {
      throw new IllegalStateException("box " + open.size() + " levels deep not closed");
    }
    int from = 0;
    for (Insert i : inserts) {
      out.write(buf, from, i.at() - from);
      i.content().writeTo(out);
      from = i.at();
    }
    out.write(buf, from, length - from);
  }

  /** The total length written by {@link #writeTo}. */
  long totalLength() {
    return length + inserted;
  }

  /** Writes a 32-bit value at {@code at}, already written (a data offset known only later). */
  void patch32(int at, long v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  byte[] toArray() {
    if (!inserts.isEmpty()) {
      throw new IllegalStateException("has inserts: use writeTo");
    }
    if (!open.isEmpty()) {
      throw new IllegalStateException("box " + open.size() + " levels deep not closed");
    }
    return Arrays.copyOf(buf, length);
  }

  private void room(int n) {
    if (length + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + n));
    }
  }
}
