package io.heldar.core.clip.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Where a part's bytes go: gathered into 1 MiB chunks, each written to the target and hashed
 * (SHA-256) on a thread of its own while the next one fills, so hashing costs no time on the
 * copying thread (on two cores, a clip is made as fast as its bytes can be copied). {@link
 * #discarding} hashes without writing (a clip's hash without the clip); {@link #counting} only
 * counts (a clip being sized).
 */
public final class ClipOutput extends OutputStream {
  private static final int CHUNK = 1 << 20;
  private static final int CHUNKS = 4;

  private final WritableByteChannel target;
  private final Hasher hasher;
  /** The chunk being filled: direct, so file reads and writes need no copy through the heap. */
  private ByteBuffer current;

  private long written;
  private String hex;

  private ClipOutput(WritableByteChannel target, boolean hash) {
    this.target = target;
    this.hasher = hash ? new Hasher() : null;
    this.current = hash ? hasher.free() : ByteBuffer.allocateDirect(CHUNK);
  }

  /** Writes to {@code target}, hashing. */
  ClipOutput(OutputStream target) {
    this(Channels.newChannel(target), true);
  }

  /** Writes to {@code target} (a file: no copy through the heap), hashing. */
  ClipOutput(FileChannel target) {
    this((WritableByteChannel) target, true);
  }

  /** Hashes, writes nowhere. */
  static ClipOutput discarding() {
    return new ClipOutput(Channels.newChannel(OutputStream.nullOutputStream()), true);
  }

  /** Counts, neither writes nor hashes. */
  static ClipOutput counting() {
    return new ClipOutput(Channels.newChannel(OutputStream.nullOutputStream()), false);
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
    written += len;
    while (len > 0) {
      int n = Math.min(len, current.remaining());
      current.put(b, off, n);
      off += n;
      len -= n;
      if (!current.hasRemaining()) {
        emit();
      }
    }
  }

  /** Writes {@code bytes}' remaining bytes. */
  void write(ByteBuffer bytes) throws IOException {
    written += bytes.remaining();
    while (bytes.hasRemaining()) {
      int n = Math.min(bytes.remaining(), current.remaining());
      ByteBuffer slice = bytes.slice(bytes.position(), n);
      current.put(slice);
      bytes.position(bytes.position() + n);
      if (!current.hasRemaining()) {
        emit();
      }
    }
  }

  /** Copies {@code length} bytes at {@code position} of {@code source}, read into the chunks. */
  void copy(FileChannel source, long position, long length) throws IOException {
    written += length;
    long done = 0;
    while (done < length) {
      int want = (int) Math.min(current.remaining(), length - done);
      int limit = current.limit();
      current.limit(current.position() + want);
      while (current.hasRemaining()) {
        int n = source.read(current, position + done);
        if (n < 0) {
          current.limit(limit);
          throw new SourceChangedException("the file shrank while being copied");
        }
        done += n;
      }
      current.limit(limit);
      if (!current.hasRemaining()) {
        emit();
      }
    }
  }

  /** Copies samples {@code [from, to)} of {@code t}, each run of adjacent samples in one go. */
  void copySamples(SegmentMedia.Track t, int from, int to, FileChannel source) throws IOException {
    for (int i = from; i < to; ) {
      int j = t.runEnd(i, to);
      copy(source, t.offset[i], t.runBytes(i, j));
      i = j;
    }
  }

  /** Counts {@code n} bytes not written nor hashed: a clip only being sized. */
  void skip(long n) {
    written += n;
  }

  /** Bytes taken so far (written or still gathered). */
  long written() {
    return written;
  }

  private void emit() throws IOException {
    if (current.position() == 0) {
      return;
    }
    current.flip();
    while (current.hasRemaining()) {
      target.write(current);
    }
    current.rewind();
    if (hasher != null) {
      hasher.hash(current);
      current = hasher.free();
    } else {
      current.clear();
    }
  }

  /** The SHA-256 of all that was written, lower-case hex; nothing may be written after. */
  String sha256Hex() throws IOException {
    if (hex == null) {
      emit();
      hex = hasher == null ? "" : hasher.finish();
    }
    return hex;
  }

  @Override
  public void flush() throws IOException {
    emit();
  }

  /** Drops the hash (the part failed): its thread ends; the target is left as it is. */
  void abandon() {
    if (hasher != null) {
      hasher.stop();
    }
  }

  /** Flushes and closes the target; a hash not yet taken is dropped. */
  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      if (hasher != null) {
        hasher.stop();
      }
      target.close();
    }
  }

  /** A thread that hashes chunks in order, and the chunks it gives back for reuse. */
  private static final class Hasher {
    private static final ByteBuffer END = ByteBuffer.allocate(0);
    private final MessageDigest digest = sha256();
    private final BlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(CHUNKS);
    private final Thread thread;
    private volatile boolean done;

    Hasher() {
      for (int i = 0; i < CHUNKS; i++) {
        free.add(ByteBuffer.allocateDirect(CHUNK));
      }
      thread = new Thread(this::run, "heldar-clip-hash");
      thread.setDaemon(true);
      thread.start();
    }

    private void run() {
      try {
        while (true) {
          ByteBuffer chunk = full.take();
          if (chunk == END) {
            done = true;
            return;
          }
          digest.update(chunk);
          chunk.clear();
          free.put(chunk);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // stopped: the hash is not wanted
      }
    }

    /** Hashes the chunk's bytes up to its limit, then takes it back as free. */
    void hash(ByteBuffer chunk) throws IOException {
      try {
        full.put(chunk);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while hashing a clip");
      }
    }

    ByteBuffer free() {
      try {
        return free.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ByteBuffer.allocateDirect(CHUNK); // the copy goes on; its hash is not taken
      }
    }

    String finish() throws IOException {
      try {
        full.put(END);
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while hashing a clip");
      }
      if (!done) {
        throw new IOException("the clip's hash was not finished");
      }
      return HexFormat.of().formatHex(digest.digest());
    }

    void stop() {
      thread.interrupt();
    }
  }
}
