package io.heldar.core.clip.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a part's bytes go: counted and hashed (SHA-256) on their way to the target stream, or only
 * counted and hashed ({@link #discarding}) when the bytes are wanted for their hash alone.
 */
public final class ClipOutput extends OutputStream {
  private static final int COPY_BUFFER = 1 << 20;
  private final OutputStream target;
  private final MessageDigest sha256 = sha256();
  private final byte[] copy = new byte[COPY_BUFFER];
  private long written;

  ClipOutput(OutputStream target) {
    this.target = target;
  }

  /** Counts and hashes, writes nowhere. */
  static ClipOutput discarding() {
    return new ClipOutput(OutputStream.nullOutputStream());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    sha256.update(b, off, len);
    target.write(b, off, len);
    written += len;
  }

  /** Copies {@code length} bytes at {@code position} of {@code source}. */
  void copy(FileChannel source, long position, long length) throws IOException {
    long done = 0;
    while (done < length) {
      int want = (int) Math.min(copy.length, length - done);
      ByteBuffer window = ByteBuffer.wrap(copy, 0, want);
      while (window.hasRemaining()) {
        int n = source.read(window, position + done + window.position());
        if (n < 0) {
          throw new SourceChangedException("the file shrank while being copied");
        }
      }
      write(copy, 0, want);
      done += want;
    }
  }

  /** Copies samples {@code [from, to)} of {@code t}, each run of adjacent samples in one go. */
  void copySamples(SegmentMedia.Track t, int from, int to, FileChannel source) throws IOException {
    int i = from;
    while (i < to) {
      long start = t.offset[i];
      long end = start + t.size[i];
      int j = i + 1;
      while (j < to && t.offset[j] == end) {
        end += t.size[j];
        j++;
      }
      copy(source, start, end - start);
      i = j;
    }
  }

  /** Counts {@code n} bytes not written nor hashed: a clip only being sized. */
  void skip(long n) {
    written += n;
  }

  long written() {
    return written;
  }

  /** The SHA-256 of what was written, lower-case hex; the output is done with afterwards. */
  String sha256Hex() {
    return HexFormat.of().formatHex(sha256.digest());
  }

  @Override
  public void flush() throws IOException {
    target.flush();
  }

  @Override
  public void close() throws IOException {
    target.close();
  }
}
