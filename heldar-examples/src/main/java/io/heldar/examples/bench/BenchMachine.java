package io.heldar.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * What every benchmark says about the machine it ran on, and how it sums up repeated runs: the
 * cores and the load average before and after (a figure taken on a busy machine shows as such),
 * and the median of the runs.
 */
public final class BenchMachine {
  /** Runs of a benchmark's measurement by default; its figure is their median. */
  public static final int DEFAULT_RUNS = 3;

  private BenchMachine() {}

  /** {@code machine: 2 cores, load average 0.12 0.30 0.41}. */
  public static String describe() {
    return String.format(
        Locale.ROOT,
        "machine: %d cores, load average %s",
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
  }

  /** The machine's load average (1, 5, 15 minutes), from {@code /proc/loadavg} where there is one. */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      double l =
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      return l < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", l);
    }
  }

  /** The {@code q} quantile of {@code values} (nearest rank; 0.5 is the median). */
  public static double quantile(double[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    return v[(int) Math.max(0, Math.min(v.length - 1, Math.ceil(q * v.length) - 1))];
  }

  /** The median of {@code values}. */
  public static double median(double[] values) {
    return quantile(values, 0.5);
  }

  /** {@code 1.23 / 1.31 / 1.19} with {@code format} for each value. */
  public static String each(String format, double[] values) {
    StringBuilder out = new StringBuilder();
    for (double v : values) {
      if (out.length() > 0) {
        out.append(" / ");
      }
      out.append(String.format(Locale.ROOT, format, v));
    }
    return out.toString();
  }
}
