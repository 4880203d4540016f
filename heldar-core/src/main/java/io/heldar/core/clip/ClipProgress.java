package io.heldar.core.clip;

/** Told after each source segment of an export; called on the exporting thread. */
@FunctionalInterface
public interface ClipProgress {
  /** Does nothing. */
  ClipProgress NONE = (segments, bytes) -> {};

  /**
   * A segment is done.
   *
   * @param segments source segments read so far
   * @param bytes bytes written so far
   */
  void segmentDone(long segments, long bytes);
}
