package io.heldar.core.clip;

/** The container a clip is written in. Both are ISO BMFF ({@code .mp4}) and play everywhere. */
public enum ClipFormat {
  /**
   * Progressive MP4 with its index first ("fast start"): every player and editor reads it. The
   * index of a part is built before its media is copied, on disk, so memory stays per segment.
   */
  MP4,
  /**
   * Fragmented MP4: an initial header, then one fragment per GOP as the footage is read, so the
   * first bytes go out at once. What the HTTP API streams.
   */
  FRAGMENTED_MP4
}
