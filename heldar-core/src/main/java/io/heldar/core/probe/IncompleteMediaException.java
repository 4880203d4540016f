package io.heldar.core.probe;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The file is not (yet) a complete recording: no index ({@code moov}), or data that runs past the
 * end of the file. A recorder that buffers may leave a file unchanged for seconds while it is still
 * being written, so the indexer treats a recently modified incomplete file as unsettled and reports
 * it unreadable only when it stays incomplete.
 */
public class IncompleteMediaException extends ProbeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public IncompleteMediaException(Path file, String reason) {
    super(file, reason);
  }

  /** An external probe's verdict, with its exit code and stderr tail. */
  public IncompleteMediaException(
      Path file, String reason, OptionalInt exitCode, Optional<String> stderrTail) {
    super(file, reason, exitCode, false, stderrTail, null);
  }
}
