package io.heldar.core.probe.internal;

import java.util.Optional;

/**
 * The picture size a video track's codec configuration states: the first sequence parameter set
 * of an {@code avcC} (H.264) or {@code hvcC} (H.265) box, decoded as far as the size and its
 * cropping. That is the size a decoder produces, so it is believed over the sample entry's width
 * and height fields, which a writer (or a corruption) can set to anything. Every read is bounded
 * by the bytes given: a malformed configuration yields nothing, never an exception.
 */
final class CodecConfig {
  private CodecConfig() {}

  /** Width and height in pixels. */
  record PictureSize(int width, int height) {}

  /** The size the first SPS of an {@code avcC} payload states. */
  static Optional<PictureSize> avc(byte[] avcC) {
    try {
      if (avcC.length < 8 || avcC[0] != 1) {
        return Optional.empty();
      }
      int sps = avcC[5] & 0x1f;
      if (sps < 1) {
        return Optional.empty();
      }
      int length = ((avcC[6] & 0xff) << 8) | (avcC[7] & 0xff);
      if (length < 4 || 8 + length > avcC.length || (avcC[8] & 0x1f) != 7) {
        return Optional.empty();
      }
      return avcSps(new Bits(unescape(avcC, 9, 8 + length)));
    } catch (Bits.End e) {
      return Optional.empty();
    }
  }

  private static Optional<PictureSize> avcSps(Bits b) {
    int profile = b.u(8);
    b.u(16); // constraint flags, level
    b.ue(); // seq_parameter_set_id
    int chroma = 1;
    boolean separate = false;
    if (profile == 100
        || profile == 110
        || profile == 122
        || profile == 244
        || profile == 44
        || profile == 83
        || profile == 86
        || profile == 118
        || profile == 128
        || profile == 138
        || profile == 139
        || profile == 134
        || profile == 135) {
      chroma = b.ue();
      if (chroma > 3) {
        return Optional.empty();
      }
      if (chroma == 3) {
        separate = b.u(1) == 1;
      }
      b.ue(); // bit_depth_luma_minus8
      b.ue(); // bit_depth_chroma_minus8
      b.u(1); // qpprime_y_zero_transform_bypass_flag
      if (b.u(1) == 1) { // seq_scaling_matrix_present_flag
        for (int i = 0; i < (chroma != 3 ? 8 : 12); i++) {
          if (b.u(1) == 1) {
            skipScalingList(b, i < 6 ? 16 : 64);
          }
        }
      }
    }
    b.ue(); // log2_max_frame_num_minus4
    int pocType = b.ue();
    if (pocType == 0) {
      b.ue();
    } else if (pocType == 1) {
      b.u(1);
      b.se();
      b.se();
      int cycle = b.ue();
      if (cycle > 255) {
        return Optional.empty();
      }
      for (int i = 0; i < cycle; i++) {
        b.se();
      }
    } else if (pocType != 2) {
      return Optional.empty();
    }
    b.ue(); // max_num_ref_frames
    b.u(1); // gaps_in_frame_num_value_allowed_flag
    long widthMbs = b.ue() + 1L;
    long heightMapUnits = b.ue() + 1L;
    int frameMbsOnly = b.u(1);
    if (frameMbsOnly == 0) {
      b.u(1); // mb_adaptive_frame_field_flag
    }
    b.u(1); // direct_8x8_inference_flag
    long width = widthMbs * 16;
    long height = (2 - frameMbsOnly) * heightMapUnits * 16;
    if (b.u(1) == 1) { // frame_cropping_flag
      int arrayType = separate ? 0 : chroma;
      long cropX = arrayType == 0 ? 1 : (arrayType == 3 ? 1 : 2);
      long cropY = (arrayType == 1 ? 2L : 1L) * (2 - frameMbsOnly);
      long left = b.ue();
      long right = b.ue();
      long top = b.ue();
      long bottom = b.ue();
      width -= cropX * (left + right);
      height -= cropY * (top + bottom);
    }
    return size(width, height);
  }

  private static void skipScalingList(Bits b, int size) {
    int last = 8;
    int next = 8;
    for (int j = 0; j < size; j++) {
      if (next != 0) {
        next = (last + b.se() + 256) % 256;
      }
      last = next == 0 ? last : next;
    }
  }

  /** The size the first SPS of an {@code hvcC} payload states. */
  static Optional<PictureSize> hevc(byte[] hvcC) {
    try {
      if (hvcC.length < 23) {
        return Optional.empty();
      }
      int arrays = hvcC[22] & 0xff;
      int p = 23;
      for (int a = 0; a < arrays; a++) {
        if (p + 3 > hvcC.length) {
          return Optional.empty();
        }
        int type = hvcC[p] & 0x3f;
        int count = ((hvcC[p + 1] & 0xff) << 8) | (hvcC[p + 2] & 0xff);
        p += 3;
        for (int n = 0; n < count; n++) {
          if (p + 2 > hvcC.length) {
            return Optional.empty();
          }
          int length = ((hvcC[p] & 0xff) << 8) | (hvcC[p + 1] & 0xff);
          p += 2;
          if (p + length > hvcC.length) {
            return Optional.empty();
          }
          if (type == 33 && length > 2) {
            return hevcSps(new Bits(unescape(hvcC, p + 2, p + length)));
          }
          p += length;
        }
      }
      return Optional.empty();
    } catch (Bits.End e) {
      return Optional.empty();
    }
  }

  private static Optional<PictureSize> hevcSps(Bits b) {
    b.u(4); // sps_video_parameter_set_id
    int maxSubLayersMinus1 = b.u(3);
    b.u(1); // sps_temporal_id_nesting_flag
    // profile_tier_level(1, maxSubLayersMinus1)
    b.skip(88); // general profile space .. general_inbld/reserved
    b.u(8); // general_level_idc
    boolean[] profile = new boolean[8];
    boolean[] level = new boolean[8];
    for (int i = 0; i < maxSubLayersMinus1; i++) {
      profile[i] = b.u(1) == 1;
      level[i] = b.u(1) == 1;
    }
    if (maxSubLayersMinus1 > 0) {
      for (int i = maxSubLayersMinus1; i < 8; i++) {
        b.u(2);
      }
    }
    for (int i = 0; i < maxSubLayersMinus1; i++) {
      if (profile[i]) {
        b.skip(88);
      }
      if (level[i]) {
        b.u(8);
      }
    }
    b.ue(); // sps_seq_parameter_set_id
    int chroma = b.ue();
    if (chroma > 3) {
      return Optional.empty();
    }
    boolean separate = chroma == 3 && b.u(1) == 1;
    long width = b.ue();
    long height = b.ue();
    if (b.u(1) == 1) { // conformance_window_flag
      int arrayType = separate ? 0 : chroma;
      long subW = arrayType == 1 || arrayType == 2 ? 2 : 1;
      long subH = arrayType == 1 ? 2 : 1;
      long left = b.ue();
      long right = b.ue();
      long top = b.ue();
      long bottom = b.ue();
      width -= subW * (left + right);
      height -= subH * (top + bottom);
    }
    return size(width, height);
  }

  private static Optional<PictureSize> size(long width, long height) {
    return width > 0 && height > 0 && width <= 65_535 && height <= 65_535
        ? Optional.of(new PictureSize((int) width, (int) height))
        : Optional.empty();
  }

  /** The NAL unit's bytes from {@code from} to {@code to} without emulation-prevention bytes. */
  private static byte[] unescape(byte[] in, int from, int to) {
    byte[] out = new byte[Math.max(0, to - from)];
    int n = 0;
    int zeros = 0;
    for (int i = from; i < to; i++) {
      int v = in[i] & 0xff;
      if (zeros >= 2 && v == 3) {
        zeros = 0;
        continue;
      }
      zeros = v == 0 ? zeros + 1 : 0;
      out[n++] = (byte) v;
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /** A big-endian bit reader with Exp-Golomb codes; reading past the end throws {@link End}. */
  private static final class Bits {
    static final class End extends RuntimeException {
      private static final long serialVersionUID = 1L;

      End() {
        super(null, null, false, false);
      }
    }

    private final byte[] data;
    private long pos;

    Bits(byte[] data) {
      this.data = data;
    }

    int u(int n) {
      int v = 0;
      for (int i = 0; i < n; i++) {
        if (pos >= (long) data.length * 8) {
          throw new End();
        }
        int bit = (data[(int) (pos >> 3)] >> (7 - (pos & 7))) & 1;
        v = (v << 1) | bit;
        pos++;
      }
      return v;
    }

    void skip(int n) {
      pos += n;
      if (pos > (long) data.length * 8) {
        throw new End();
      }
    }

    int ue() {
      int zeros = 0;
      while (u(1) == 0) {
        if (++zeros > 31) {
          throw new End();
        }
      }
      long v = (1L << zeros) - 1 + (zeros == 0 ? 0 : u(zeros) & 0xffffffffL);
      if (v > Integer.MAX_VALUE) {
        throw new End();
      }
      return (int) v;
    }

    int se() {
      int k = ue();
      return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
    }
  }
}
