package io.heldar.core.probe;

import io.heldar.core.model.MediaInfo;
import java.nio.file.Path;

/**
 * Reads a media file's duration, codecs, size and rate. Implementations are thread-safe and bound
 * their own resource use (time, processes, memory): a probe never hangs and never throws anything
 * but {@link ProbeException} for a bad file.
 */
@FunctionalInterface
public interface MediaProbe {
  /**
   * Probes {@code file}.
   *
   * @throws ProbeException when the file is not a complete, readable video file with a positive,
   *     finite duration
   */
  MediaInfo probe(Path file) throws ProbeException;
}
