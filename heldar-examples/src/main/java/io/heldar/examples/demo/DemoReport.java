package io.heldar.examples.demo;

import io.heldar.core.model.Camera;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.model.Snapshot;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.timeline.Coverage;
import io.heldar.core.timeline.Timeline;
import io.heldar.examples.report.TimelineSvg;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** Writes the demo's HTML report: per camera a timeline picture, the gap list and snapshot thumbnails. */
final class DemoReport {
  private DemoReport() {}

  /**
   * Writes {@code <dir>/report.html}, copying the snapshots it shows into {@code <dir>/thumbs/} so
   * the report stands on its own; returns the report file.
   */
  static Path write(
      Path dir,
      HeldarStore store,
      Path snapshotsRoot,
      Path database,
      Instant from,
      Instant to,
      String notes)
      throws IOException {
    Files.createDirectories(dir.resolve("thumbs"));
    Timeline timeline = new Timeline(store);
    StringBuilder html = new StringBuilder();
    html.append(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Heldar demo report</title>\n")
        .append("<style>body{font-family:sans-serif;margin:2em;color:#212529} h2{margin-top:2em} ")
        .append(
            "table{border-collapse:collapse} td,th{border:1px solid #dee2e6;padding:4px 8px;text-align:left} ")
        .append(
            ".thumbs img{width:160px;margin:2px;border:1px solid #adb5bd} code{background:#f1f3f5;padding:1px 4px}</style></head><body>\n");
    html.append("<h1>Heldar demo report</h1>\n<p>")
        .append(TimelineSvg.escape(notes))
        .append("</p>\n");
    html.append("<p>Database: <code>")
        .append(TimelineSvg.escape(database.toAbsolutePath().toString()))
        .append("</code> · range ")
        .append(from)
        .append(" – ")
        .append(to)
        .append(" (UTC)</p>\n");
    for (Camera c : store.cameras().list()) {
      Coverage cov = timeline.coverage(c.id(), from, to, Timeline.DEFAULT_TOLERANCE);
      List<Snapshot> snaps = store.snapshots().list(c.id(), from, to);
      html.append("<h2>Camera ").append(TimelineSvg.escape(c.id())).append("</h2>\n");
      html.append("<p>")
          .append(store.segments().count(c.id()))
          .append(" segments indexed, ")
          .append(cov.runs().size())
          .append(" run(s) of footage, recorded ")
          .append(cov.recorded().toSeconds())
          .append(" s, ")
          .append(snaps.size())
          .append(" snapshots</p>\n");
      html.append(TimelineSvg.render(cov, snaps, ZoneOffset.UTC));
      List<RecordingGap> gaps = store.gaps().list(c.id(), Optional.empty());
      html.append("<h3>Gaps</h3>\n");
      if (gaps.isEmpty()) {
        html.append("<p>none</p>\n");
      } else {
        html.append(
            "<table><tr><th>from</th><th>to</th><th>seconds</th><th>status</th><th>cause</th></tr>\n");
        for (RecordingGap g : gaps) {
          html.append("<tr><td>")
              .append(g.start())
              .append("</td><td>")
              .append(g.end())
              .append("</td><td>")
              .append(g.gapSeconds())
              .append("</td><td>")
              .append(g.status() == GapStatus.OPEN ? "open" : "filled")
              .append("</td><td>")
              .append(g.cause().dbValue())
              .append("</td></tr>\n");
        }
        html.append("</table>\n");
      }
      html.append("<h3>Snapshots</h3>\n<div class=\"thumbs\">\n");
      int step = Math.max(1, snaps.size() / 24);
      for (int i = 0; i < snaps.size(); i += step) {
        Snapshot s = snaps.get(i);
        Path source = snapshotsRoot.resolve(s.path());
        if (Files.exists(source)) {
          String name = s.path().replace('/', '_');
          Files.copy(
              source, dir.resolve("thumbs").resolve(name), StandardCopyOption.REPLACE_EXISTING);
          html.append("<img src=\"thumbs/")
              .append(TimelineSvg.escape(name))
              .append("\" title=\"")
              .append(s.takenAt())
              .append("\" alt=\"snapshot ")
              .append(s.takenAt())
              .append("\">\n");
        }
      }
      html.append("</div>\n");
    }
    html.append("</body></html>\n");
    Path report = dir.resolve("report.html");
    Files.writeString(report, html.toString(), StandardCharsets.UTF_8);
    return report;
  }
}
