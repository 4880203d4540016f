package io.heldar.ffmpeg.internal;

import io.heldar.ffmpeg.ExternalProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.exec.Watchdog;

/**
 * Runs an external program without a shell (an argument array), with a wall-clock timeout after
 * which the process and its descendants are killed, stdout and stderr drained concurrently, stdout
 * capped and only the tail of stderr kept.
 *
 * <p>Nothing it starts outlives the run, however it forks: each run puts a unique tag in the
 * child's environment ({@value #TAG_VARIABLE}), which every descendant inherits even after it
 * detaches (double fork, new session, re-parented to init). When the run ends — timed out or not —
 * the process tree is killed and then every process still carrying the tag, found through {@code
 * /proc} on Linux.
 */
public final class ProcessRunner {
  /** The environment variable that marks every process of one run. */
  public static final String TAG_VARIABLE = "HELDAR_PROCESS_TAG";

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ProcessRunner.class);

  private ProcessRunner() {}

  /**
   * Runs {@code command}.
   *
   * @throws IOException when the program cannot be started (missing, not executable)
   */
  public static ExternalProcess.Result run(
      List<String> command, Duration timeout, int maxStdoutBytes, int stderrTailBytes)
      throws IOException {
    Objects.requireNonNull(command, "command");
    if (command.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    CommandLine cl = new CommandLine(command.get(0));
    for (String arg : command.subList(1, command.size())) {
      cl.addArgument(arg, false); // verbatim: no quoting rules, no shell
    }
    CappedOutput out = new CappedOutput(maxStdoutBytes);
    TailOutput err = new TailOutput(stderrTailBytes);
    String tag = java.util.UUID.randomUUID().toString();
    java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
    env.put(TAG_VARIABLE, tag);
    TreeKillingWatchdog watchdog = new TreeKillingWatchdog(timeout, tag);
    DefaultExecutor executor = DefaultExecutor.builder().get();
    executor.setExitValues(null);
    PumpStreamHandler streams = new PumpStreamHandler(out, err, null);
    streams.setStopTimeout(Duration.ofSeconds(5));
    executor.setStreamHandler(streams);
    executor.setWatchdog(watchdog);
    long t0 = System.nanoTime();
    int exit;
    try {
      exit = executor.execute(cl, env);
    } finally {
      // Interrupted, or the program exited leaving children: never leave anything behind.
      watchdog.killTree();
      killTagged(tag);
    }
    return new ExternalProcess.Result(
        exit,
        out.bytes(),
        out.truncated(),
        err.text(),
        watchdog.timedOut(),
        Duration.ofNanos(System.nanoTime() - t0));
  }

  /**
   * Kills every process whose environment carries {@code tag}, repeating while new ones appear (a
   * process may fork while it is being killed) and, once it found some, until two scans 20 ms apart
   * find none. Returns how many were killed; 0 where there is no
   * {@code /proc}.
   */
  static int killTagged(String tag) {
    java.nio.file.Path proc = java.nio.file.Path.of("/proc");
    if (!java.nio.file.Files.isDirectory(proc)) {
      return 0;
    }
    byte[] needle = (TAG_VARIABLE + "=" + tag).getBytes(StandardCharsets.UTF_8);
    long self = ProcessHandle.current().pid();
    int killed = 0;
    int emptyScans = 0;
    for (int round = 0; round < 20; round++) {
      List<ProcessHandle> found = new java.util.ArrayList<>();
      try (java.nio.file.DirectoryStream<java.nio.file.Path> pids =
          java.nio.file.Files.newDirectoryStream(proc, "[0-9]*")) {
        for (java.nio.file.Path p : pids) {
          long pid;
          try {
            pid = Long.parseLong(p.getFileName().toString());
          } catch (NumberFormatException e) {
            continue;
          }
          if (pid != self && carries(p.resolve("environ"), needle)) {
            ProcessHandle.of(pid).ifPresent(found::add);
          }
        }
      } catch (IOException e) {
        log.debug("cannot list /proc: {}", e.toString());
        return killed;
      }
      if (found.isEmpty()) {
        // A process caught in the middle of exec can be unreadable for an instant: once some were
        // found, only two empty scans a moment apart say that none is left. (A run that left
        // nothing behind, the usual case, returns at its first empty scan.)
        if (killed == 0 || ++emptyScans >= 2) {
          return killed;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return killed;
        }
        continue;
      }
      emptyScans = 0;
      for (ProcessHandle h : found) {
        killTree(h);
        killed++;
      }
      for (ProcessHandle h : found) {
        try {
          h.onExit().get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          // still going; the next round looks again
        }
      }
    }
    return killed;
  }

  private static boolean carries(java.nio.file.Path environ, byte[] needle) {
    byte[] env;
    try {
      env = java.nio.file.Files.readAllBytes(environ);
    } catch (IOException | SecurityException e) {
      return false; // gone, or not ours to read
    }
    // Entries are NUL-separated; match a whole entry.
    outer:
    for (int i = 0; i + needle.length <= env.length; i++) {
      if (i > 0 && env[i - 1] != 0) {
        continue;
      }
      for (int j = 0; j < needle.length; j++) {
        if (env[i + j] != needle[j]) {
          continue outer;
        }
      }
      if (i + needle.length == env.length || env[i + needle.length] == 0) {
        return true;
      }
    }
    return false;
  }

  /** Kills the descendants first (they are re-parented, and invisible, once the parent dies). */
  static void killTree(ProcessHandle process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static final class TreeKillingWatchdog extends ExecuteWatchdog {
    private volatile Process process;
    private volatile boolean timedOut;
    private final String tag;

    @SuppressWarnings("deprecation") // the Duration builder offers no subclassing hook
    TreeKillingWatchdog(Duration timeout, String tag) {
      super(timeout.toMillis());
      this.tag = tag;
    }

    @Override
    public synchronized void start(Process p) {
      this.process = p;
      super.start(p);
    }

    @Override
    public synchronized void timeoutOccured(Watchdog w) {
      timedOut = true;
      killTree();
      killTagged(tag); // detached descendants hold the output pipes open: end them too
      super.timeoutOccured(w);
    }

    /**
     * Called when the program has exited, before its output pipes are drained to the end: a
     * detached descendant still holding them open is ended here, so draining finishes at once.
     */
    @Override
    public synchronized void stop() {
      super.stop();
      killTree();
      killTagged(tag);
    }

    void killTree() {
      Process p = process;
      if (p != null && (p.isAlive() || p.descendants().findAny().isPresent())) {
        ProcessRunner.killTree(p.toHandle());
      }
    }

    boolean timedOut() {
      return timedOut;
    }
  }

  /** Keeps up to {@code cap} bytes and keeps draining (discarding) the rest so the child never blocks. */
  private static final class CappedOutput extends OutputStream {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final int cap;
    private boolean truncated;

    CappedOutput(int cap) {
      this.cap = cap;
    }

    @Override
    public synchronized void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      int room = cap - buf.size();
      if (len > room) {
        truncated = true;
      }
      buf.write(b, off, Math.max(0, Math.min(room, len)));
    }

    synchronized byte[] bytes() {
      return buf.toByteArray();
    }

    synchronized boolean truncated() {
      return truncated;
    }
  }

  /** A ring buffer of the last {@code size} bytes. */
  private static final class TailOutput extends OutputStream {
    private final byte[] ring;
    private long written;

    TailOutput(int size) {
      this.ring = new byte[Math.max(1, size)];
    }

    @Override
    public synchronized void write(int b) {
      ring[(int) (written++ % ring.length)] = (byte) b;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      for (int i = 0; i < len; i++) {
        ring[(int) (written++ % ring.length)] = b[off + i];
      }
    }

    synchronized String text() {
      int n = (int) Math.min(written, ring.length);
      byte[] out = new byte[n];
      long start = written - n;
      for (int i = 0; i < n; i++) {
        out[i] = ring[(int) ((start + i) % ring.length)];
      }
      String s = new String(out, StandardCharsets.UTF_8);
      return written > ring.length ? "…" + s : s;
    }
  }
}
