package io.heldar.core.probe;

import java.nio.file.Path;

/**
 * A probe cannot read this kind of file (another container, an unknown codec or box layout) —
 * which says nothing about whether the file is good. {@link MediaProbes#auto} passes such files to
 * its fallback probe.
 */
public class UnsupportedMediaException extends ProbeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public UnsupportedMediaException(Path file, String reason) {
    super(file, reason);
  }
}
