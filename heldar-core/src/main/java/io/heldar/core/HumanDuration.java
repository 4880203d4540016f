package io.heldar.core;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations for people, as Heldar writes them in messages, status reasons and the CLI: {@code 45s},
 * {@code 1.5s}, {@code 3m 05s}, {@code 2h 58m 44s}, {@code 15d 02h 03m} — never {@code PT2H58M44S}.
 */
public final class HumanDuration {
  private HumanDuration() {}

  /** {@code d} for people; tenths of a second under ten seconds, whole seconds above. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 0) {
      return "-" + format(d.negated());
    }
    if (ms < 10_000 && ms % 1000 != 0) {
      return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    long s = ms / 1000;
    long days = s / 86_400;
    long h = s / 3600 % 24;
    long m = s / 60 % 60;
    long sec = s % 60;
    if (days > 0) {
      return String.format(Locale.ROOT, "%dd %02dh %02dm", days, h, m);
    }
    if (h > 0) {
      return String.format(Locale.ROOT, "%dh %02dm %02ds", h, m, sec);
    }
    if (m > 0) {
      return String.format(Locale.ROOT, "%dm %02ds", m, sec);
    }
    return sec + "s";
  }
}
