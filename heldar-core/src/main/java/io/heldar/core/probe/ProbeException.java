package io.heldar.core.probe;

import io.heldar.core.HeldarException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A media file could not be probed: it is corrupt, empty, truncated, has a bogus duration, or the
 * probe process failed or timed out. Names the file and the reason; for an external probe also the
 * exit code, whether it timed out, and the tail of its stderr.
 */
public class ProbeException extends HeldarException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final String reason;
  private final Integer exitCode;
  private final boolean timedOut;
  private final String stderrTail;

  /** A failure with a reason only. */
  public ProbeException(Path file, String reason) {
    this(file, reason, OptionalInt.empty(), false, Optional.empty(), null);
  }

  /** A failure with a reason and its cause. */
  public ProbeException(Path file, String reason, Throwable cause) {
    this(file, reason, OptionalInt.empty(), false, Optional.empty(), cause);
  }

  /** A failure of an external probe process. */
  public ProbeException(
      Path file,
      String reason,
      OptionalInt exitCode,
      boolean timedOut,
      Optional<String> stderrTail,
      Throwable cause) {
    super(message(file, reason, exitCode, timedOut, stderrTail), cause);
    this.file = file;
    this.reason = reason;
    this.exitCode = exitCode.isPresent() ? exitCode.getAsInt() : null;
    this.timedOut = timedOut;
    this.stderrTail = stderrTail.orElse(null);
  }

  private static String message(
      Path file, String reason, OptionalInt exitCode, boolean timedOut, Optional<String> stderr) {
    return "cannot probe " + file + ": " + detail(reason, exitCode, timedOut, stderr);
  }

  private static String detail(
      String reason, OptionalInt exitCode, boolean timedOut, Optional<String> stderr) {
    StringBuilder sb = new StringBuilder(reason);
    exitCode.ifPresent(c -> sb.append(" (exit code ").append(c).append(')'));
    if (timedOut) {
      sb.append(" (timed out)");
    }
    stderr.filter(s -> !s.isBlank()).ifPresent(s -> sb.append("; stderr: ").append(s.strip()));
    return sb.toString();
  }

  /** Everything the message says but the file: reason, exit code, timeout, stderr tail. */
  public String detail() {
    return detail(reason, exitCode(), timedOut, stderrTail());
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** Why it failed, without the file name. */
  public String reason() {
    return reason;
  }

  /** The probe process's exit code, if one ran and exited. */
  public OptionalInt exitCode() {
    return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }

  /** Whether the probe process was killed at its timeout. */
  public boolean timedOut() {
    return timedOut;
  }

  /** The last part of the probe process's stderr. */
  public Optional<String> stderrTail() {
    return Optional.ofNullable(stderrTail);
  }
}
