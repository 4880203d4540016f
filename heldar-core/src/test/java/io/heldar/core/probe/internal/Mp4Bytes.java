package io.heldar.core.probe.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Builds small ISO BMFF files box by box, for tests of the native probe beside its code: a movie of
 * one video track (and optionally a PCM audio track) with its sample tables, its media in an mdat
 * before the moov. Real files made by ffmpeg and MP4Box are tested in heldar-ffmpeg; these are the
 * shapes those tools never write.
 */
final class Mp4Bytes {
  String videoEntry = "avc1";
  int width = 640;
  int height = 480;
  int timescale = 12_800;
  int frames = 250;
  int frameDelta = 512; // 25 fps at 12,800
  int sampleSize = 100;
  /** Edits (segment duration in movie timescale, media time), or none. */
  long[][] edits = {};
  /** stsc: the sample description the first run uses. */
  int description = 1;
  /** stsz: the entry count it claims (fixed-size samples), or -1 for {@link #frames}. */
  long claimedSizes = -1;

  boolean audio;

  static byte[] box(String type, byte[]... children) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int size = 8;
    for (byte[] c : children) {
      size += c.length;
    }
    out.writeBytes(ByteBuffer.allocate(4).putInt(size).array());
    out.writeBytes(type.getBytes(StandardCharsets.ISO_8859_1));
    for (byte[] c : children) {
      out.writeBytes(c);
    }
    return out.toByteArray();
  }

  static byte[] full(String type, int version, int flags, byte[] payload) {
    return box(type, ByteBuffer.allocate(4).putInt((version << 24) | flags).array(), payload);
  }

  static byte[] ints(long... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length);
    for (long v : values) {
      b.putInt((int) v);
    }
    return b.array();
  }

  static byte[] zeros(int n) {
    return new byte[n];
  }

  private byte[] trak(
      int id,
      String handler,
      byte[] sampleEntry,
      int count,
      int delta,
      int size,
      long mediaOffset) {
    byte[] tkhd = full(
        "tkhd",
        0,
        3,
        ByteBuffer.allocate(80)
            .putInt(0)
            .putInt(0)
            .putInt(id)
            .putInt(0)
            .putInt(count * delta)
            .put(zeros(8 + 8))
            .put(zeros(36))
            .putInt(handler.equals("vide") ? width << 16 : 0)
            .putInt(handler.equals("vide") ? height << 16 : 0)
            .array());
    byte[] mdhd = full(
        "mdhd",
        0,
        0,
        ByteBuffer.allocate(20)
            .putInt(0)
            .putInt(0)
            .putInt(timescale)
            .putInt(count * delta)
            .putInt(0)
            .array());
    byte[] hdlr = full(
        "hdlr",
        0,
        0,
        ByteBuffer.allocate(4 + 4 + 12 + 1)
            .putInt(0)
            .put(handler.getBytes(StandardCharsets.ISO_8859_1))
            .put(zeros(13))
            .array());
    byte[] stsd = full("stsd", 0, 0, concat(ints(1), sampleEntry));
    byte[] stts = full("stts", 0, 0, ints(1, count, delta));
    byte[] stsc = full("stsc", 0, 0, ints(1, 1, count, handler.equals("vide") ? description : 1));
    long claimed = handler.equals("vide") && claimedSizes >= 0 ? claimedSizes : count;
    byte[] stsz = full("stsz", 0, 0, ints(size, claimed));
    byte[] stco = full("stco", 0, 0, ints(1, mediaOffset));
    byte[] stbl = box("stbl", stsd, stts, stsc, stsz, stco);
    byte[] mdia = box("mdia", mdhd, hdlr, box("minf", stbl));
    if (edits.length > 0 && handler.equals("vide")) {
      ByteBuffer e = ByteBuffer.allocate(4 + 12 * edits.length).putInt(edits.length);
      for (long[] edit : edits) {
        e.putInt((int) edit[0]).putInt((int) edit[1]).putInt(0x00010000);
      }
      return box("trak", tkhd, box("edts", full("elst", 0, 0, e.array())), mdia);
    }
    return box("trak", tkhd, mdia);
  }

  private byte[] videoSampleEntry() {
    return box(
        videoEntry,
        ByteBuffer.allocate(78)
            .put(zeros(6))
            .putShort((short) 1)
            .put(zeros(16))
            .putShort((short) width)
            .putShort((short) height)
            .putInt(0x00480000)
            .putInt(0x00480000)
            .putInt(0)
            .putShort((short) 1)
            .put(zeros(32))
            .putShort((short) 0x18)
            .putShort((short) -1)
            .array());
  }

  private static byte[] pcmSampleEntry() {
    return box(
        "sowt",
        ByteBuffer.allocate(28)
            .put(zeros(6))
            .putShort((short) 1)
            .put(zeros(8))
            .putShort((short) 1)
            .putShort((short) 16)
            .putInt(0)
            .putInt(8000 << 16)
            .array());
  }

  /** The whole file: ftyp, mdat, moov. */
  byte[] build() {
    byte[] ftyp = box(
        "ftyp",
        "isom".getBytes(StandardCharsets.ISO_8859_1),
        ints(0x200),
        "isomavc1".getBytes(StandardCharsets.ISO_8859_1));
    int audioFrames = audio ? frames : 0;
    int videoBytes = frames * sampleSize;
    byte[] mdat = box("mdat", zeros(videoBytes + audioFrames * 2));
    long videoOffset = ftyp.length + 8L;
    long audioOffset = videoOffset + videoBytes;
    byte[] mvhd = full(
        "mvhd",
        0,
        0,
        ByteBuffer.allocate(96)
            .putInt(0)
            .putInt(0)
            .putInt(timescale)
            .putInt(frames * frameDelta)
            .putInt(0x00010000)
            .putShort((short) 0x0100)
            .put(zeros(10))
            .put(zeros(36))
            .put(zeros(24))
            .putInt(3)
            .array());
    byte[] video = trak(1, "vide", videoSampleEntry(), frames, frameDelta, sampleSize, videoOffset);
    byte[] moov = audio
        ? box(
            "moov",
            mvhd,
            video,
            trak(2, "soun", pcmSampleEntry(), audioFrames, frameDelta, 2, audioOffset))
        : box("moov", mvhd, video);
    return concat(ftyp, mdat, moov);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
