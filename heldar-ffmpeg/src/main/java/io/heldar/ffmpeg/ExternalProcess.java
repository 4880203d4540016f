package io.heldar.ffmpeg;

import io.heldar.ffmpeg.internal.ProcessRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Runs an external program the way Heldar runs ffmpeg and ffprobe: an argument array and no shell,
 * a wall-clock timeout after which the program and every process it started are killed, standard
 * output captured up to a cap, and the tail of standard error kept for messages.
 */
public final class ExternalProcess {
  private ExternalProcess() {}

  /**
   * What a run produced.
   *
   * @param exitCode the exit code (after a kill, whatever the system reports)
   * @param stdout captured standard output, at most the cap
   * @param stdoutTruncated whether standard output exceeded the cap
   * @param stderrTail the last bytes of standard error, as text
   * @param timedOut whether it was killed at the timeout
   * @param took wall-clock duration
   */
  public record Result(
      int exitCode,
      byte[] stdout,
      boolean stdoutTruncated,
      String stderrTail,
      boolean timedOut,
      Duration took) {}

  /**
   * Runs {@code command} ({@code command.get(0)} is the program) to its end or the timeout.
   *
   * @throws IOException when the program cannot be started (missing, not executable)
   */
  public static Result run(
      List<String> command, Duration timeout, int maxStdoutBytes, int stderrTailBytes)
      throws IOException {
    return ProcessRunner.run(command, timeout, maxStdoutBytes, stderrTailBytes);
  }
}
