package io.heldar.core.clip.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;

/** Writes one part of a clip: segments' selections in time order, then {@link #finish}. */
interface PartWriter {
  /**
   * Takes a segment's samples; {@code source} is the segment, open for reading. Returns how many
   * of the selection's fragments were taken (all, unless the file changed under the copy).
   */
  int add(Selection selection, FileChannel source) throws IOException;

  /** Ends the part: its last boxes (and, progressive, its whole media). */
  void finish() throws IOException;
}
