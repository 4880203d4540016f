package io.heldar.examples.report;

import io.heldar.core.model.RecordingGap;
import io.heldar.core.model.Snapshot;
import io.heldar.core.timeline.Coverage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Draws a camera's range as SVG: footage bars, gaps coloured by cause, snapshot ticks, and a time
 * axis labelled at round steps — readable at a glance.
 */
public final class TimelineSvg {
  private static final int WIDTH = 1200;
  private static final int LEFT = 20;
  private static final int RIGHT = 20;
  private static final int MAX_TICKS = 2000;
  private static final long[] STEPS_S = {
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
    172800, 604800
  };

  private TimelineSvg() {}

  /** The SVG document of {@code coverage} with {@code snapshots}, times labelled in {@code zone}. */
  public static String render(Coverage coverage, List<Snapshot> snapshots, ZoneId zone) {
    Instant from = coverage.from();
    Instant to = coverage.to();
    double span = Duration.between(from, to).toMillis();
    int plot = WIDTH - LEFT - RIGHT;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(WIDTH)
        .append("\" height=\"170\" ")
        .append("viewBox=\"0 0 ")
        .append(WIDTH)
        .append(" 170\" font-family=\"sans-serif\" font-size=\"12\">\n");
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    svg.append(text(
        LEFT,
        18,
        "Camera " + escape(coverage.cameraId()) + ": " + fmt(from, zone, true) + " – "
            + fmt(to, zone, true) + " (" + zone + "), recorded " + hours(coverage.recorded())
            + " of " + hours(Duration.between(from, to)),
        "#111",
        "bold"));
    // lanes
    svg.append("<rect x=\"")
        .append(LEFT)
        .append("\" y=\"40\" width=\"")
        .append(plot)
        .append("\" height=\"40\" fill=\"#f1f3f5\"/>\n");
    for (Coverage.Run r : coverage.runs()) {
      svg.append(rect(
          x(r.start(), from, span, plot),
          40,
          x(r.end(), from, span, plot),
          40,
          "#2f9e44",
          "footage " + fmt(r.start(), zone, true) + " – " + fmt(r.end(), zone, true)));
    }
    for (RecordingGap g : coverage.gaps()) {
      Instant s = g.start().isBefore(from) ? from : g.start();
      Instant e = g.end().isAfter(to) ? to : g.end();
      String color =
          switch (g.cause()) {
            case MISSING -> "#e03131"; // never recorded
            case LOST -> "#f08c00"; // recorded, then its files vanished
            case RETENTION -> "#868e96"; // deleted on purpose
            case NODE_DOWN -> "#7048e8"; // on a storage node that is down: unreachable for now
          };
      svg.append(rect(
          x(s, from, span, plot),
          84,
          x(e, from, span, plot),
          12,
          color,
          g.cause().dbValue() + " gap " + g.gapSeconds() + " s from "
              + fmt(g.start(), zone, true)));
    }
    int step = Math.max(1, snapshots.size() / MAX_TICKS);
    for (int i = 0; i < snapshots.size(); i += step) {
      double sx = x(snapshots.get(i).takenAt(), from, span, plot);
      svg.append(String.format(
          Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"100\" x2=\"%.1f\" y2=\"110\" stroke=\"#1971c2\" stroke-width=\"1\"/>%n",
          sx,
          sx));
    }
    // axis
    svg.append(String.format(
        Locale.ROOT,
        "<line x1=\"%d\" y1=\"116\" x2=\"%d\" y2=\"116\" stroke=\"#495057\"/>%n",
        LEFT,
        LEFT + plot));
    long stepS = STEPS_S[STEPS_S.length - 1];
    for (long candidate : STEPS_S) {
      if (span / 1000.0 / candidate <= 12) {
        stepS = candidate;
        break;
      }
    }
    long offset = zone.getRules().getOffset(from).getTotalSeconds();
    long first = Math.floorDiv(from.getEpochSecond() + offset + stepS - 1, stepS) * stepS - offset;
    boolean withDate = Duration.between(from, to).toHours() >= 24;
    for (long t = first; t <= to.getEpochSecond(); t += stepS) {
      Instant at = Instant.ofEpochSecond(t);
      double tx = x(at, from, span, plot);
      svg.append(String.format(
          Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"116\" x2=\"%.1f\" y2=\"122\" stroke=\"#495057\"/>%n",
          tx,
          tx));
      String label = fmt(at, zone, withDate && stepS >= 3600);
      double lx0 = Math.min(WIDTH - 7.0 * label.length(), Math.max(2, tx - 3.5 * label.length()));
      svg.append(text(lx0, 136, label, "#495057", "normal"));
    }
    // legend
    int lx = LEFT;
    for (String[] item : new String[][] {
      {"#2f9e44", "footage"},
      {"#e03131", "gap (missing)"},
      {"#868e96", "gap (retention)"},
      {"#1971c2", "snapshot"}
    }) {
      svg.append(String.format(
          Locale.ROOT,
          "<rect x=\"%d\" y=\"152\" width=\"12\" height=\"10\" fill=\"%s\"/>%n",
          lx,
          item[0]));
      svg.append(text(lx + 16, 161, item[1], "#212529", "normal"));
      lx += 130;
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static double x(Instant t, Instant from, double span, int plot) {
    double f = Duration.between(from, t).toMillis() / span;
    return LEFT + Math.max(0, Math.min(1, f)) * plot;
  }

  private static String rect(double x1, int y, double x2, int h, String color, String title) {
    return String.format(
        Locale.ROOT,
        "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>%n",
        x1,
        y,
        Math.max(1, x2 - x1),
        h,
        color,
        escape(title));
  }

  private static String text(double x, int y, String s, String color, String weight) {
    return String.format(
        Locale.ROOT,
        "<text x=\"%.1f\" y=\"%d\" fill=\"%s\" font-weight=\"%s\">%s</text>%n",
        x,
        y,
        color,
        weight,
        escape(s));
  }

  private static String fmt(Instant t, ZoneId zone, boolean withDate) {
    return DateTimeFormatter.ofPattern(withDate ? "yyyy-MM-dd HH:mm" : "HH:mm:ss")
        .withZone(zone)
        .format(t);
  }

  private static String hours(Duration d) {
    return d.toHours() >= 1
        ? String.format(Locale.ROOT, "%.1f h", d.toMillis() / 3_600_000.0)
        : String.format(Locale.ROOT, "%.0f s", d.toMillis() / 1000.0);
  }

  /** XML-escapes text. */
  public static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
