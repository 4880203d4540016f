package io.heldar.ffmpeg.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A small ISO BMFF box tree for making test files by hand: parse, find, patch, move, re-serialize.
 * Container boxes hold children; the rest keep their payload bytes. Serializing recomputes every
 * container's size, so moving or growing a box inside {@code moov} is safe when {@code moov}
 * comes after the media data (nothing points into it); edits that shift media data are the
 * caller's to account for.
 */
public final class BoxTree {
  private static final Set<String> CONTAINERS = Set.of(
      "moov", "trak", "mdia", "minf", "stbl", "edts", "mvex", "moof", "traf", "dinf", "cmov");

  /** One box. */
  public static final class Box {
    public final String type;
    public byte[] payload;
    public final List<Box> children = new ArrayList<>();
    /** A size to write instead of the real one (to make a box claim more than it holds). */
    public long claimedSize = -1;

    Box(String type) {
      this.type = type;
    }

    /** Whether this box holds children. */
    public boolean container() {
      return CONTAINERS.contains(type);
    }

    /** The first child of {@code type}, or null. */
    public Box child(String type) {
      return children.stream().filter(c -> c.type.equals(type)).findFirst().orElse(null);
    }

    /** Every descendant (depth first) matching. */
    public List<Box> all(Predicate<Box> p) {
      return collect(children, p);
    }

    /** A deep copy. */
    public Box copy() {
      Box b = new Box(type);
      b.payload = payload == null ? null : payload.clone();
      b.claimedSize = claimedSize;
      children.forEach(c -> b.children.add(c.copy()));
      return b;
    }

    /** The serialized size. */
    public long size() {
      long n = 8;
      if (container()) {
        for (Box c : children) {
          n += c.size();
        }
      } else {
        n += payload.length;
      }
      return n;
    }

    /** Reads a big-endian unsigned 32-bit field of the payload. */
    public long u32(int at) {
      return ByteBuffer.wrap(payload).getInt(at) & 0xffffffffL;
    }

    /** Writes a big-endian 32-bit field of the payload. */
    public void putU32(int at, long v) {
      ByteBuffer.wrap(payload).putInt(at, (int) v);
    }

    /** Reads a big-endian 64-bit field of the payload. */
    public long u64(int at) {
      return ByteBuffer.wrap(payload).getLong(at);
    }

    /** Writes a big-endian 64-bit field of the payload. */
    public void putU64(int at, long v) {
      ByteBuffer.wrap(payload).putLong(at, v);
    }
  }

  /** The top-level boxes. */
  public final List<Box> top = new ArrayList<>();

  private BoxTree() {}

  /** Parses a whole file (32- and 64-bit sizes; a 64-bit size is written back as 32-bit if it fits). */
  public static BoxTree parse(byte[] file) {
    BoxTree t = new BoxTree();
    parseInto(file, 0, file.length, t.top);
    return t;
  }

  private static void parseInto(byte[] b, int from, int to, List<Box> out) {
    ByteBuffer buf = ByteBuffer.wrap(b);
    int pos = from;
    while (to - pos >= 8) {
      long size = buf.getInt(pos) & 0xffffffffL;
      String type = new String(b, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      int header = 8;
      if (size == 1) {
        size = buf.getLong(pos + 8);
        header = 16;
      } else if (size == 0) {
        size = (long) to - pos;
      }
      Box box = new Box(type);
      int end = (int) Math.min(to, pos + size);
      if (box.container()) {
        parseInto(b, pos + header, end, box.children);
      } else {
        box.payload = java.util.Arrays.copyOfRange(b, pos + header, end);
      }
      out.add(box);
      pos = end;
    }
  }

  /** The first top-level box of {@code type}, or null. */
  public Box first(String type) {
    return top.stream().filter(c -> c.type.equals(type)).findFirst().orElse(null);
  }

  /** Every box in the file (depth first) matching. */
  public List<Box> all(Predicate<Box> p) {
    return collect(top, p);
  }

  private static List<Box> collect(List<Box> boxes, Predicate<Box> p) {
    List<Box> out = new ArrayList<>();
    for (Box c : boxes) {
      if (p.test(c)) {
        out.add(c);
      }
      out.addAll(c.all(p));
    }
    return out;
  }

  /** Every box of {@code type}. */
  public List<Box> all(String type) {
    return all(b -> b.type.equals(type));
  }

  /** The file's bytes. */
  public byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    top.forEach(b -> write(b, out));
    return out.toByteArray();
  }

  /** One box's bytes, header included. */
  public static byte[] bytes(Box b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(b, out);
    return out.toByteArray();
  }

  /** A new leaf box. */
  public static Box leaf(String type, byte[] payload) {
    Box b = new Box(type);
    b.payload = payload;
    return b;
  }

  /** A new container box. */
  public static Box container(String type, Box... children) {
    Box b = new Box(type);
    b.children.addAll(List.of(children));
    return b;
  }

  private static void write(Box b, ByteArrayOutputStream out) {
    long size = b.claimedSize >= 0 ? b.claimedSize : b.size();
    if (size > 0xffffffffL) {
      throw new IllegalStateException("box too large for this test helper: " + b.type);
    }
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) size).array());
    out.writeBytes(b.type.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    if (b.container()) {
      b.children.forEach(c -> write(c, out));
    } else {
      out.writeBytes(b.payload);
    }
  }
}
