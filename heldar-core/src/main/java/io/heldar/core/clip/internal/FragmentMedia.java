package io.heldar.core.clip.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * One fragment's media bytes, read into a reused direct buffer before any of the fragment is
 * written (so a file that shrinks meanwhile ends the segment at a fragment boundary).
 */
final class FragmentMedia {
  private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);

  void reset() {
    buffer.clear();
  }

  /** Appends samples {@code [from, to)} of {@code t}, adjacent samples in one read. */
  void read(SegmentMedia.Track t, int from, int to, FileChannel source) throws IOException {
    for (int i = from; i < to; ) {
      int j = t.runEnd(i, to);
      long start = t.offset[i];
      int n = (int) t.runBytes(i, j);
      if (n > buffer.remaining()) {
        ByteBuffer bigger =
            ByteBuffer.allocateDirect(Math.max(buffer.capacity() * 2, buffer.position() + n));
        buffer.flip();
        bigger.put(buffer);
        buffer = bigger;
      }
      int limit = buffer.limit();
      buffer.limit(buffer.position() + n);
      long at = start;
      while (buffer.hasRemaining()) {
        int r = source.read(buffer, at);
        if (r < 0) {
          buffer.limit(limit);
          throw new SourceChangedException("the file shrank while it was being copied");
        }
        at += r;
      }
      buffer.limit(limit);
      i = j;
    }
  }

  /** The bytes read since {@link #reset}, as a view. */
  ByteBuffer bytes() {
    return buffer.duplicate().flip();
  }
}
