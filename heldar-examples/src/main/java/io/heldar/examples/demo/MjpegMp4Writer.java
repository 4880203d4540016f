package io.heldar.examples.demo;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an MP4 of JPEG frames the way a camera does: {@code ftyp}, then an {@code mdat} that grows
 * frame by frame as they arrive, then on close the {@code moov} index (moov at the end). Until it is
 * closed the file is an unfinished recording: no moov. Pure Java, so the demo needs no native code.
 */
final class MjpegMp4Writer implements AutoCloseable {
  private static final int TIMESCALE = 1000;
  private final Path file;
  private final OutputStream out;
  private final int width;
  private final int height;
  private final int frameMs;
  private final List<Integer> sizes = new ArrayList<>();
  private final List<Long> offsets = new ArrayList<>();
  private long position;
  private final long mdatStart;

  MjpegMp4Writer(Path file, int width, int height, int fps) throws IOException {
    this.file = file;
    this.width = width;
    this.height = height;
    this.frameMs = 1000 / fps;
    this.out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    byte[] ftyp =
        box("ftyp", concat(ascii("isom"), u32(512), ascii("isom"), ascii("iso2"), ascii("mp41")));
    out.write(ftyp);
    position = ftyp.length;
    mdatStart = position;
    out.write(u32(0)); // mdat size, patched on close
    out.write(ascii("mdat"));
    position += 8;
    out.flush();
  }

  void frame(byte[] jpeg) throws IOException {
    offsets.add(position);
    sizes.add(jpeg.length);
    out.write(jpeg);
    position += jpeg.length;
    out.flush();
  }

  @Override
  public void close() throws IOException {
    byte[] moov = moov();
    out.write(moov);
    out.close();
    try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(u32(position - mdatStart)), mdatStart);
      ch.force(true);
    }
  }

  private byte[] moov() throws IOException {
    long duration = (long) sizes.size() * frameMs;
    byte[] mvhd = fullBox(
        "mvhd",
        0,
        concat(
            u32(0),
            u32(0),
            u32(TIMESCALE),
            u32(duration),
            u32(0x00010000),
            u16(0x0100),
            new byte[10],
            matrix(),
            new byte[24],
            u32(2)));
    byte[] tkhd = fullBox(
        "tkhd",
        3,
        concat(
            u32(0),
            u32(0),
            u32(1),
            u32(0),
            u32(duration),
            new byte[8],
            u16(0),
            u16(0),
            u16(0),
            u16(0),
            matrix(),
            u32((long) width << 16),
            u32((long) height << 16)));
    byte[] mdhd = fullBox(
        "mdhd", 0, concat(u32(0), u32(0), u32(TIMESCALE), u32(duration), u16(0x55c4), u16(0)));
    byte[] hdlr = fullBox(
        "hdlr", 0, concat(u32(0), ascii("vide"), new byte[12], ascii("VideoHandler"), new byte[1]));
    byte[] vmhd = fullBox("vmhd", 1, new byte[8]);
    byte[] dinf = box("dinf", fullBox("dref", 0, concat(u32(1), fullBox("url ", 1, new byte[0]))));
    byte[] entry = box(
        "jpeg",
        concat(
            new byte[6],
            u16(1),
            new byte[16],
            u16(width),
            u16(height),
            u32(0x00480000),
            u32(0x00480000),
            u32(0),
            u16(1),
            new byte[32],
            u16(0x18),
            u16(0xffff)));
    byte[] stsd = fullBox("stsd", 0, concat(u32(1), entry));
    byte[] stts = fullBox("stts", 0, concat(u32(1), u32(sizes.size()), u32(frameMs)));
    byte[] stsc = fullBox("stsc", 0, concat(u32(1), u32(1), u32(1), u32(1)));
    ByteArrayOutputStream sz = new ByteArrayOutputStream();
    ByteArrayOutputStream co = new ByteArrayOutputStream();
    for (int i = 0; i < sizes.size(); i++) {
      sz.write(u32(sizes.get(i)));
      co.write(u32(offsets.get(i)));
    }
    byte[] stsz = fullBox("stsz", 0, concat(u32(0), u32(sizes.size()), sz.toByteArray()));
    byte[] stco = fullBox("stco", 0, concat(u32(offsets.size()), co.toByteArray()));
    byte[] stbl = box("stbl", concat(stsd, stts, stsc, stsz, stco));
    byte[] minf = box("minf", concat(vmhd, dinf, stbl));
    byte[] mdia = box("mdia", concat(mdhd, hdlr, minf));
    byte[] trak = box("trak", concat(tkhd, mdia));
    return box("moov", concat(mvhd, trak));
  }

  private static byte[] matrix() {
    return concat(
        u32(0x00010000),
        u32(0),
        u32(0),
        u32(0),
        u32(0x00010000),
        u32(0),
        u32(0),
        u32(0),
        u32(0x40000000));
  }

  private static byte[] box(String type, byte[] payload) {
    return concat(u32(8L + payload.length), ascii(type), payload);
  }

  private static byte[] fullBox(String type, int flags, byte[] payload) {
    return box(type, concat(u32(flags & 0xffffff), payload));
  }

  private static byte[] u32(long v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  private static byte[] u16(int v) {
    return new byte[] {(byte) (v >>> 8), (byte) v};
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream d = new DataOutputStream(b)) {
      for (byte[] p : parts) {
        d.write(p);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return b.toByteArray();
  }
}
