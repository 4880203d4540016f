package io.heldar.core.clip.internal;

import java.util.Arrays;

/**
 * What a part's header says about its tracks: the sample descriptions (verbatim), timescales and
 * picture size. Two segments with equal formats play back to back in one part; a change (codec,
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
    if (videoTimescale != next.videoTimescale || !Arrays.equals(videoKey, next.videoKey)) {
      return "the video codec configuration changed";
    }
    if (hasAudio() != next.hasAudio()) {
      return hasAudio() ? "the sound stopped" : "sound started";
    }
    if (hasAudio()
        && (audioTimescale != next.audioTimescale || !Arrays.equals(audioKey, next.audioKey))) {
      return "the audio format changed";
    }
    return null;
  }

  /**
   * A sample entry with the parts that differ between the files of one unchanged stream left out:
   * the bit-rate box (btrt) and the bit rates and buffer size of an esds, which muxers fill per
   * file. Everything else (codec configuration, picture size, channels) must be equal.
   */
  static byte[] comparable(byte[] entry, int childrenAt) {
    if (entry.length <= childrenAt) {
      return entry;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(entry.length);
    out.write(entry, 8, childrenAt - 8); // the entry's own fields, past its size and type
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
        zeroBitRates(child);
      }
      if (!type.equals("btrt")) {
        out.write(child, 0, child.length);
      }
      p += (int) size;
    }
    return out.toByteArray();
  }

  /** Zeroes the buffer size and bit rates of the DecoderConfigDescriptor in an esds box. */
  private static void zeroBitRates(byte[] esds) {
    for (int i = 12; i + 1 < esds.length; i++) {
      if (esds[i] == 0x04) {
        int p = i + 1;
        int n = 0;
        while (p < esds.length && n < 4 && (esds[p] & 0x80) != 0) {
          p++;
          n++;
        }
        p++; // the last length byte
        int from = p + 2; // past objectTypeIndication and streamType
        for (int k = from; k < Math.min(from + 11, esds.length); k++) {
          esds[k] = 0;
        }
        return;
      }
    }
  }
}
