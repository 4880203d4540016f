package io.heldar.ffmpeg;

import io.heldar.core.probe.ProbeUnavailableException;
import java.util.List;

/** Neither the configured path, {@code PATH}, nor a bundled {@code org.bytedeco:ffmpeg} provides the program. */
public final class BinaryNotFoundException extends ProbeUnavailableException {
  private static final long serialVersionUID = 1L;
  private final String program;

  BinaryNotFoundException(String program, List<String> looked) {
    super(
        "cannot find " + program + "; looked in: " + String.join("; ", looked)
            + ". Install ffmpeg, pass the binary's path, or put org.bytedeco:ffmpeg (platform jar) on the classpath");
    this.program = program;
  }

  /** The program that was looked for ({@code ffprobe} or {@code ffmpeg}). */
  public String program() {
    return program;
  }
}
