package io.heldar.core.probe;

import io.heldar.core.probe.internal.NativeMp4Probe;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** Standard {@link MediaProbe}s. */
public final class MediaProbes {
  private static final Set<String> MP4_EXTENSIONS =
      Set.of("mp4", "m4v", "mov", "m4s", "3gp", "3g2", "mj2");
  private static final Set<String> LEADING_BOXES =
      Set.of("ftyp", "moov", "mdat", "free", "skip", "wide", "styp", "moof");

  private MediaProbes() {}

  /** The pure-Java MP4 probe: box headers and sample tables, no media data, no process. */
  public static MediaProbe nativeMp4() {
    return new NativeMp4Probe();
  }

  /**
   * The native MP4 probe for MP4-family files (by extension, else by their first box), {@code
   * fallback} (typically ffprobe) for other containers and for MP4 files the native probe does not
   * read ({@link UnsupportedMediaException}). A file the native probe finds incomplete or corrupt
   * is not passed on: that verdict stands.
   */
  public static MediaProbe auto(MediaProbe fallback) {
    Objects.requireNonNull(fallback, "fallback");
    MediaProbe nativeProbe = nativeMp4();
    return file -> {
      if (!looksLikeMp4(file)) {
        return fallback.probe(file);
      }
      try {
        return nativeProbe.probe(file);
      } catch (UnsupportedMediaException e) {
        return fallback.probe(file);
      }
    };
  }

  /** Whether {@code file} is MP4-family by its extension or its first box type. */
  public static boolean looksLikeMp4(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    if (dot >= 0 && MP4_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
      return true;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(8);
      return head.length == 8
          && LEADING_BOXES.contains(
              new String(head, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      return false;
    }
  }
}
