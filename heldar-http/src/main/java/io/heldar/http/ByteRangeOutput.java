package io.heldar.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes on bytes {@code [first, first + length)} of what is written to it and ends the writing
 * (with {@link Complete}) once the last of them is through: a byte range of a clip that is made
 * from its start every time (a clip's bytes are the same for the same request and footage).
 */
final class ByteRangeOutput extends OutputStream {
  /** The range is through: the writer may stop. */
  static final class Complete extends IOException {
    private static final long serialVersionUID = 1L;

    Complete() {
      super("the byte range is sent", null);
    }
  }

  private final OutputStream target;
  private final long first;
  private final long length;
  private long position;
  private long sent;

  ByteRangeOutput(OutputStream target, long first, long length) {
    this.target = target;
    this.first = first;
    this.length = length;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    long start = position;
    position += len;
    long from = Math.max(start, first);
    long to = Math.min(position, first + length);
    if (to > from) {
      target.write(b, off + (int) (from - start), (int) (to - from));
      sent += to - from;
    }
    if (sent == length) {
      target.flush();
      throw new Complete();
    }
  }

  @Override
  public void flush() throws IOException {
    target.flush();
  }

  /** Bytes of the range sent so far. */
  long sent() {
    return sent;
  }

  /** Whether {@code e} (or a cause of it) is the end of the range. */
  static boolean completed(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Complete) {
        return true;
      }
    }
    return false;
  }
}
