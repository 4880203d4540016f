package io.heldar.examples.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Named figures of one measurement repeated over several runs: each run adds its value of every
 * figure, and the summary prints each figure's median with every run's value beside it, so a run
 * taken while the machine was busy shows as such instead of moving the figure.
 *
 * <pre>{@code
 * RunFigures figures = new RunFigures();
 * for (int run = 0; run < runs; run++) {
 *   figures.add("req/s", requests / seconds);
 * }
 * figures.print(out, "load, median of " + runs + " runs", "%.0f");
 * }</pre>
 */
public final class RunFigures {
  private final Map<String, List<Double>> values = new LinkedHashMap<>();

  /** Adds this run's {@code value} of figure {@code name}; figures print in the order first added. */
  public RunFigures add(String name, double value) {
    values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    return this;
  }

  /** The median of figure {@code name} over the runs that gave it ({@code NaN} when none did). */
  public double median(String name) {
    return BenchMachine.median(of(name));
  }

  /** {@code median 1.23 (runs: 1.20 / 1.23 / 1.31)}, each value with {@code format}. */
  public String line(String name, String format) {
    double[] v = of(name);
    return String.format(Locale.ROOT, "median " + format, BenchMachine.median(v))
        + " (runs: "
        + BenchMachine.each(format, v)
        + ")";
  }

  /** Prints {@code title}, then a line per figure: {@code   name: median … (runs: …)}. */
  public void print(PrintWriter out, String title, String format) {
    out.println(title + ":");
    for (String name : values.keySet()) {
      out.println("  " + name + ": " + line(name, format));
    }
    out.flush();
  }

  private double[] of(String name) {
    List<Double> v = values.getOrDefault(name, List.of());
    double[] out = new double[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i);
    }
    return out;
  }
}
