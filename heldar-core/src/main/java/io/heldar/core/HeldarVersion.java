package io.heldar.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of Heldar in use, as the build wrote it ({@code heldar_build_info}, {@code --version}). */
public final class HeldarVersion {
  private static final String VERSION = read();

  private HeldarVersion() {}

  /** This Heldar's version, say {@code 0.1.0}; {@code unknown} when run from unpacked classes. */
  public static String current() {
    return VERSION;
  }

  private static String read() {
    Properties p = new Properties();
    try (InputStream in = HeldarVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String v = p.getProperty("version", "unknown");
    return v.startsWith("${") ? "unknown" : v;
  }
}
