package io.heldar.examples.cli;

import io.heldar.core.heal.HealAttempt;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.model.Segment;
import io.heldar.core.model.Snapshot;
import io.heldar.core.timeline.Coverage;
import io.heldar.core.timeline.DaySummary;
import io.heldar.core.timeline.Timeline;
import io.heldar.examples.report.TimelineSvg;
import io.heldar.store.jdbi.JdbiHeldarStore;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heldar timeline}: coverage and gaps of a camera's range, as text, JSON or a picture. */
@Command(
    name = "timeline",
    mixinStandardHelpOptions = true,
    description =
        "Print a camera's coverage (runs of footage) and gaps over a range; --svg draws it.")
final class TimelineCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions store;

  @Option(names = "--camera", required = true, paramLabel = "ID", description = "The camera.")
  String camera;

  @Option(
      names = "--from",
      paramLabel = "T",
      description =
          "Range start: an instant (2026-11-21T10:00:00Z) or a day (2026-11-21, in --zone). Default: the"
              + " first footage or gap of the 24 h before --to (the range fits the data).")
  String from;

  @Option(
      names = "--to",
      paramLabel = "T",
      description =
          "Range end (exclusive). Default: the end of the camera's newest footage, else now.")
  String to;

  @Option(
      names = "--zone",
      paramLabel = "ZONE",
      defaultValue = "UTC",
      description = "Zone for days and labels (default: ${DEFAULT-VALUE}).")
  String zone;

  @Mixin
  OutputFormat format;

  @Option(
      names = "--svg",
      paramLabel = "FILE",
      description = "Also draw the range as an SVG picture.")
  Path svg;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    return Cli.guard(spec, () -> {
      ZoneId z = ZoneId.of(zone);
      boolean json = format.json();
      try (JdbiHeldarStore db = store.openExisting()) {
        if (db.cameras().find(camera).isEmpty()) {
          throw new IllegalArgumentException("unknown camera " + camera);
        }
        Instant end = to != null
            ? parse(to, z)
            : db.segments().newest(camera).map(Segment::end).orElse(Instant.now());
        Instant start = from != null ? parse(from, z) : end.minus(Duration.ofHours(24));
        Timeline timeline = new Timeline(db);
        Coverage c = timeline.coverage(camera, start, end, Timeline.DEFAULT_TOLERANCE);
        if (from == null) {
          // Fitted to the data: from the first footage or gap of the last 24 h, not a day of
          // blank space in front of a minute of footage.
          Instant first = end;
          if (!c.runs().isEmpty()) {
            first = c.runs().get(0).start();
          }
          if (!c.gaps().isEmpty() && c.gaps().get(0).start().isBefore(first)) {
            first = c.gaps().get(0).start();
          }
          if (first.isAfter(start) && first.isBefore(end)) {
            start = first;
            c = timeline.coverage(camera, start, end, Timeline.DEFAULT_TOLERANCE);
          }
        }
        LocalDate firstDay = start.atZone(z).toLocalDate();
        LocalDate lastDay = end.minusMillis(1).atZone(z).toLocalDate();
        List<DaySummary> days = timeline.daily(camera, firstDay, lastDay, z);
        List<HealAttempt> heals = db.heals().overlapping(camera, start, end, 10_000);
        if (json) {
          out.println(json(c, days, heals));
        } else {
          text(out, c, days, z, heals);
        }
        if (svg != null) {
          List<Snapshot> snaps = db.snapshots().list(camera, start, end);
          Files.writeString(svg, TimelineSvg.render(c, snaps, z), StandardCharsets.UTF_8);
          if (!json) {
            out.println("picture: " + svg.toAbsolutePath());
          }
        }
        out.flush();
      }
      return 0;
    });
  }

  static Instant parse(String value, ZoneId zone) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(value).atStartOfDay(zone).toInstant();
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException(
            "'" + value + "' is neither an instant (2026-11-21T10:00:00Z) nor a day (2026-11-21)");
      }
    }
  }

  private static void text(
      PrintWriter out, Coverage c, List<DaySummary> days, ZoneId z, List<HealAttempt> heals) {
    out.printf(
        "camera %s, %s .. %s: recorded %s in %d run(s), %d open gap(s)%n",
        c.cameraId(),
        c.from(),
        c.to(),
        Json.human(c.recorded()),
        c.runs().size(),
        c.gaps().size());
    for (Coverage.Run r : c.runs()) {
      out.printf(
          "  footage  %s .. %s  (%s, %d segments)%n",
          r.start(), r.end(), Json.human(r.length()), r.segments());
    }
    for (RecordingGap g : c.gaps()) {
      out.printf(
          "  gap      %s .. %s  (%s, %s)%n",
          g.start(),
          g.end(),
          Json.human(Duration.ofMillis(Math.round(g.gapSeconds() * 1000))),
          g.cause().dbValue());
    }
    for (HealAttempt h : heals) {
      out.printf(
          "  heal     %s .. %s  %s%s, %d tr%s, from %s, %s%s%n",
          h.from(),
          h.to(),
          h.outcome().code(),
          h.landed() ? " " + h.healedSeconds() + " s" : "",
          h.tries(),
          h.tries() == 1 ? "y" : "ies",
          h.source(),
          h.updatedAt(),
          h.code()
              .map(code -> ": " + code + h.reason().map(r -> " (" + r + ")").orElse(""))
              .orElse(""));
    }
    out.printf("per day (%s):%n", z);
    for (DaySummary d : days) {
      out.printf(
          "  %s  %2dh day: recorded %s, %d gap(s) %s, %d segments, %d bytes, %d snapshots%n",
          d.date(),
          d.length().toHours(),
          Json.human(d.recorded()),
          d.gaps(),
          Json.human(d.gapTime()),
          d.segments(),
          d.bytes(),
          d.snapshots());
    }
  }

  private static String json(Coverage c, List<DaySummary> days, List<HealAttempt> heals) {
    Map<String, Object> root = Json.coverage(c);
    root.put("days", days.stream().map(Json::day).toList());
    root.put("heals", heals.stream().map(Json::heal).toList());
    return Json.write(root);
  }
}
