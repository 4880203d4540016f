package io.heldar.examples.cli;

import io.heldar.core.Heldar;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.index.IndexingOptions;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults of the options that set a library value, read from the library's own {@code
 * DEFAULT_*} constants, so the command line never repeats one as a string of its own.
 */
final class LibraryDefaults implements CommandLine.IDefaultValueProvider {
  private static final Map<String, Duration> DURATIONS = Map.of(
      "--settle", IndexingOptions.DEFAULT_SETTLE_TIME,
      "--gap-threshold", GapDetector.Options.DEFAULT_THRESHOLD,
      "--interval", Heldar.Builder.DEFAULT_SCAN_INTERVAL,
      "--retention-interval", Heldar.Builder.DEFAULT_RETENTION_INTERVAL,
      "--event-max-age", Heldar.Builder.DEFAULT_EVENT_MAX_AGE);

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (argSpec instanceof OptionSpec option) {
      Duration d = DURATIONS.get(option.longestName());
      return d == null ? null : format(d);
    }
    return null;
  }

  /** A duration as the command line writes it: {@code 500ms}, {@code 5s}, {@code 10m}, {@code 30d}. */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000 == 0 && ms > 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
