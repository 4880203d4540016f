package io.heldar.core.clip.internal;

import java.util.Arrays;

/**
 * What a part's header says about its tracks: the sample descriptions (verbatim), timescales and
 * picture size. Later segments' times are scaled to the first one's timescales. Two segments with equal formats play back to back in one part; a change (codec,
 * resolution, codec configuration, a track coming or going) starts a new part.
 */
final class PartFormat {
  final byte[] videoEntry;
  final long videoTimescale;
  final String videoCodec;
  final int width;
  final int height;
  /** Null without sound. */
  final byte[] audioEntry;

  final long audioTimescale;
  final String audioCodec;

  /** The entries as compared: without what differs between files of one stream (bit rates). */
  private final byte[] videoKey;

  private final byte[] audioKey;

  PartFormat(SegmentMedia.Track video, SegmentMedia.Track audio) {
    this.videoKey = comparable(video.entry, 86);
    this.audioKey = audio == null ? null : comparable(audio.entry, 36);
    this.videoEntry = video.entry;
    this.videoTimescale = video.timescale;
    this.videoCodec = video.codec();
    this.width = video.width;
    this.height = video.height;
    this.audioEntry = audio == null ? null : audio.entry;
    this.audioTimescale = audio == null ? 0 : audio.timescale;
    this.audioCodec = audio == null ? null : audio.codec();
  }

  boolean hasAudio() {
    return audioEntry != null;
  }

  /** Why {@code next} cannot follow this format in one part, or null when it can. */
  String differenceTo(PartFormat next) {
    if (!videoCodec.equals(next.videoCodec)) {
      return "the video codec changed from " + videoCodec + " to " + next.videoCodec;
    }
    if (width != next.width || height != next.height) {
      return "the resolution changed from " + width + "x" + height + " to " + next.width + "x"
          + next.height;
    }
    if (!Arrays.equals(videoKey, next.videoKey)) {
      return "the video codec configuration changed";
    }
    if (hasAudio() != next.hasAudio()) {
      return hasAudio() ? "the sound stopped" : "sound started";
    }
    if (hasAudio() && !Arrays.equals(audioKey, next.audioKey)) {
      return "the audio format changed";
    }
    return null;
  }

  /**
   * A sample entry with the parts that differ between the files of one unchanged stream left out:
   * the compressor name, the bit-rate box (btrt) and, of an esds, all but what decides decoding
   * ({@link #esdsKey}). Everything else (codec configuration, picture size, channels) must be equal.
   */
  static byte[] comparable(byte[] entry, int childrenAt) {
    if (entry.length <= childrenAt) {
      return entry;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(entry.length);
    byte[] fields = Arrays.copyOfRange(entry, 8, childrenAt); // past its size and type
    if (childrenAt == 86) {
      Arrays.fill(fields, 50 - 8, 82 - 8, (byte) 0); // a visual entry's compressor name
    }
    out.write(fields, 0, fields.length);
    int p = childrenAt;
    while (p + 8 <= entry.length) {
      long size = ((entry[p] & 0xffL) << 24)
          | ((entry[p + 1] & 0xff) << 16)
          | ((entry[p + 2] & 0xff) << 8)
          | (entry[p + 3] & 0xff);
      if (size < 8 || p + size > entry.length) {
        out.write(entry, p, entry.length - p); // not boxes: compared as they are
        break;
      }
      String type = new String(entry, p + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      byte[] child = Arrays.copyOfRange(entry, p, p + (int) size);
      if (type.equals("esds")) {
        child = esdsKey(child);
      }
      if (!type.equals("btrt")) {
        out.write(child, 0, child.length);
      }
      p += (int) size;
    }
    return out.toByteArray();
  }

  /**
   * What of an esds box decides how its samples decode: the object type and the decoder's
   * configuration (the AudioSpecificConfig). Bit rates and buffer sizes are left out (muxers fill
   * them per file), and so is an AAC configuration's trailing extension that only says there is no
   * SBR (one muxer writes it, another does not; the stream is the same).
   */
  private static byte[] esdsKey(byte[] esds) {
    int p = 12; // past the box header and the full-box version and flags
    java.io.ByteArrayOutputStream key = new java.io.ByteArrayOutputStream();
    while (p < esds.length) {
      int tag = esds[p++] & 0xff;
      int length = 0;
      for (int n = 0; n < 4 && p < esds.length; n++) {
        int b = esds[p++] & 0xff;
        length = (length << 7) | (b & 0x7f);
        if ((b & 0x80) == 0) {
          break;
        }
      }
      switch (tag) {
        case 0x03 -> p += 3; // ES_Descriptor: its id and flags; the children follow
        case 0x04 -> {
          if (p < esds.length) {
            key.write(esds[p]); // objectTypeIndication
          }
          p += 13; // and streamType, bufferSizeDB, maxBitrate, avgBitrate; children follow
        }
        case 0x05 -> {
          int n = Math.min(length, esds.length - p);
          boolean plainAac = n >= 2
              && ((esds[p] & 0xff) >> 3) < 31
              && ((((esds[p] & 0x07) << 1) | ((esds[p + 1] & 0x80) >> 7)) != 0x0f);
          key.write(esds, p, plainAac ? 2 : n);
          p += length;
        }
        default -> p += length;
      }
    }
    return key.toByteArray();
  }
}
