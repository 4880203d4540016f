package io.heldar.core.clip.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/** One fragment's media bytes, read into a reused buffer before any of the fragment is written. */
final class FragmentMedia {
  private byte[] bytes = new byte[1 << 20];
  private int length;

  void reset() {
    length = 0;
  }

  /** Appends samples {@code [from, to)} of {@code t}, adjacent samples in one read. */
  void read(SegmentMedia.Track t, int from, int to, FileChannel source) throws IOException {
    int i = from;
    while (i < to) {
      long start = t.offset[i];
      long end = start + t.size[i];
      int j = i + 1;
      while (j < to && t.offset[j] == end) {
        end += t.size[j];
        j++;
      }
      int n = (int) (end - start);
      if (length + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
      }
      ByteBuffer into = ByteBuffer.wrap(bytes, length, n);
      while (into.hasRemaining()) {
        if (source.read(into, start + (into.position() - length)) < 0) {
          throw new SourceChangedException("the file shrank while it was being copied");
        }
      }
      length += n;
      i = j;
    }
  }

  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }
}
