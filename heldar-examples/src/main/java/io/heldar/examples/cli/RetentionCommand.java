package io.heldar.examples.cli;

import io.heldar.core.retention.PlannedDeletion;
import io.heldar.core.retention.RetentionPlan;
import io.heldar.core.retention.RetentionPolicy;
import io.heldar.core.retention.RetentionSweeper;
import io.heldar.core.retention.SweepReport;
import io.heldar.core.tier.MoveReport;
import io.heldar.core.tier.PlannedMove;
import io.heldar.core.tier.StorageTiers;
import io.heldar.core.tier.TierMoves;
import io.heldar.store.jdbi.JdbiHeldarStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heldar retention}: print the plan, then carry it out. */
@Command(
    name = "retention",
    mixinStandardHelpOptions = true,
    description = {
      "Plan what the policy deletes (and why), print it, and carry it out (unless --dry-run).",
      "Only indexed files are deleted; locked, held and newest segments never are."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:done (or, with --dry-run, a plan nothing refused)",
      "1:the plan was refused for some camera (it would delete more than --max-delete-share of it):"
          + " nothing of that camera was deleted; look, then --force",
      "2:it could not run: bad arguments, or the database or a file could not be used (the reason"
          + " is printed)"
    })
final class RetentionCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions store;

  @Mixin
  RetentionOptions retention;

  @Mixin
  TierOptions tiers;

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "Recordings root.")
  Path root;

  @Option(
      names = "--snapshots",
      paramLabel = "DIR",
      description = "Snapshots root (needed to delete snapshots).")
  Path snapshots;

  @Option(
      names = {"--dry-run", "--plan"},
      description =
          "Print the plan (moves per tier and deletions, with their reasons) and the storage"
              + " forecast; move and delete nothing.")
  boolean dryRun;

  @picocli.CommandLine.Mixin
  OutputFormat format;

  @Option(
      names = "--force",
      description = "Carry out plans that break the --max-delete-share safety check.")
  boolean force;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    return Cli.guard(spec, () -> {
      boolean json = format.json();
      if (!Files.isDirectory(root)) {
        throw new IllegalArgumentException("recordings root " + root + " is not a directory");
      }
      Optional<StorageTiers> storageTiers = tiers.storageTiers(root);
      RetentionPolicy policy = retention
          .policy()
          .or(() -> storageTiers.map(t -> RetentionPolicy.builder().build()))
          .orElseThrow(() -> new IllegalArgumentException(
              "give at least one of --max-age, --max-bytes, --min-free, --snapshot-max-age"
                  + " (or --tier with its move rules)"));
      try (JdbiHeldarStore db = store.openExisting()) {
        // Moves first: footage flows to the next tier before the last one is swept.
        Optional<TierMoves> mover = storageTiers.map(t -> TierMoves.builder()
            .store(db)
            .storageTiers(t)
            .options(tiers.moveOptions())
            .build());
        List<PlannedMove> moves = List.of();
        Optional<MoveReport> moved = Optional.empty();
        try {
          if (mover.isPresent() && dryRun) {
            moves = mover.get().plan();
          } else if (mover.isPresent()) {
            moved = Optional.of(mover.get().round());
            moves = moved.get().planned();
          }
        } finally {
          mover.ifPresent(TierMoves::close);
        }
        RetentionSweeper.Builder b =
            RetentionSweeper.builder().store(db).policy(policy).recordingsRoot(root);
        storageTiers.ifPresent(b::storageTiers);
        if (snapshots != null) {
          b.snapshotsRoot(snapshots);
        }
        RetentionSweeper sweeper = b.build();
        SweepReport report = dryRun ? sweeper.dryRun() : sweeper.sweep(force);
        if (json) {
          out.println(Json.write(Json.sweep(report, moves, moved)));
        } else {
          if (storageTiers.isPresent()) {
            printMoves(out, moves, moved);
          }
          print(out, report.plan());
          forecast(
              out,
              io.heldar.core.retention.StorageForecast.compute(
                  db,
                  policy,
                  storageTiers.orElseGet(() -> StorageTiers.of(root)),
                  io.heldar.core.retention.DiskSpace.fileStore(),
                  java.time.Instant.now()));
          if (dryRun) {
            out.println("dry run: nothing deleted");
          } else {
            out.printf(
                "deleted %d segment(s) and %d snapshot(s), %d bytes%s%n",
                report.segmentsDeleted(),
                report.snapshotsDeleted(),
                report.bytesFreed(),
                report.finishedFromEarlier() > 0
                    ? " (finished " + report.finishedFromEarlier() + " from an interrupted sweep)"
                    : "");
          }
        }
        out.flush();
        return !report.plan().refused().isEmpty() && !force ? 1 : 0;
      }
    });
  }

  /** The tier moves for people: per direction and camera, how many by which rule. */
  static void printMoves(PrintWriter out, List<PlannedMove> moves, Optional<MoveReport> moved) {
    Map<String, Map<String, List<PlannedMove>>> byDirection = new TreeMap<>();
    for (PlannedMove m : moves) {
      byDirection
          .computeIfAbsent(m.from() + " -> " + m.to(), k -> new TreeMap<>())
          .computeIfAbsent(m.cameraId(), k -> new java.util.ArrayList<>())
          .add(m);
    }
    out.printf(
        "moves: %d segment(s), %d bytes%n",
        moves.size(), moves.stream().mapToLong(PlannedMove::bytes).sum());
    byDirection.forEach((direction, cameras) -> cameras.forEach((cam, list) -> out.printf(
        "  %s %s: %s%n",
        direction,
        cam,
        list.stream()
            .collect(Collectors.groupingBy(
                m -> m.reason().name().toLowerCase(java.util.Locale.ROOT),
                TreeMap::new,
                Collectors.toList()))
            .entrySet()
            .stream()
            .map(e -> e.getValue().size() + " by " + e.getKey().replace('_', ' ') + " ("
                + e.getValue().stream().mapToLong(PlannedMove::bytes).sum() + " bytes, oldest "
                + e.getValue().get(0).start() + ")")
            .collect(Collectors.joining(", ")))));
    moved.ifPresent(r -> {
      out.printf("moved %d segment(s), %d bytes; %d failed%n", r.moved(), r.bytes(), r.failed());
      r.unavailable()
          .forEach((tier, why) ->
              out.printf("  tier %s cannot be used: %s; its moves wait%n", tier, why));
    });
  }

  /** The storage forecast for people: each file system, then whether each guarantee holds. */
  static void forecast(PrintWriter out, io.heldar.core.retention.StorageForecast f) {
    boolean first = true;
    for (io.heldar.core.retention.StorageForecast.TierForecast t : f.tiers()) {
      out.printf(
          "%s%s: %s free of %s (floor %s), %s a day; %s%n",
          first ? "forecast (rates over the last 7 days): " : "  ",
          f.tiers().size() > 1 ? "tier " + t.name() + " " + t.root() : t.root().toString(),
          bytes(t.freeBytes()),
          bytes(t.totalBytes()),
          bytes(t.floorBytes()),
          bytes((long) t.bytesPerDay()),
          t.fullAt().isPresent()
              ? "reaches the floor in "
                  + Json.human(java.time.Duration.between(f.at(), t.fullAt().get())) + " ("
                  + t.fullAt().get().truncatedTo(java.time.temporal.ChronoUnit.MINUTES) + ")"
              : "does not fill within 10 years");
      first = false;
    }
    for (io.heldar.core.retention.StorageForecast.CameraForecast c : f.cameras()) {
      String guarantee = c.keeps().isEmpty()
          ? "no age limit"
          : "keeps " + Json.human(c.keeps().get()) + " ("
              + bytes(c.bytesToKeep().orElse(0L)) + ")"
              + (c.atRisk()
                  ? " — AT RISK from "
                      + c.breaksAt()
                          .orElseThrow()
                          .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                      + (c.holdsDays().isPresent()
                          ? String.format(
                              java.util.Locale.ROOT,
                              ": would keep %.1f days",
                              c.holdsDays().getAsDouble())
                          : "")
                  : " — holds");
      out.printf(
          "  %s: %s a day, holds %s; %s%n",
          c.cameraId(), bytes((long) c.bytesPerDay()), bytes(c.bytesHeld()), guarantee);
    }
  }

  private static String bytes(long b) {
    return b >= 1_000_000_000L
        ? String.format(java.util.Locale.ROOT, "%.1f GB", b / 1e9)
        : String.format(java.util.Locale.ROOT, "%.1f MB", b / 1e6);
  }

  /** ", on nas" when the deletions live on further tiers. */
  private static String tierNames(List<PlannedDeletion> list) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    list.forEach(d -> d.tier().ifPresent(names::add));
    return names.isEmpty() ? "" : ", on " + String.join(", ", names);
  }

  static void print(PrintWriter out, RetentionPlan plan) {
    Map<String, Map<String, List<PlannedDeletion>>> byCamera = new TreeMap<>();
    for (PlannedDeletion d : plan.segments()) {
      byCamera
          .computeIfAbsent(d.cameraId(), k -> new TreeMap<>())
          .computeIfAbsent(
              d.reason().name().toLowerCase(java.util.Locale.ROOT),
              k -> new java.util.ArrayList<>())
          .add(d);
    }
    for (PlannedDeletion d : plan.snapshots()) {
      byCamera
          .computeIfAbsent(d.cameraId(), k -> new TreeMap<>())
          .computeIfAbsent("snapshot age", k -> new java.util.ArrayList<>())
          .add(d);
    }
    out.printf(
        "plan: %d segment(s), %d snapshot(s), %d bytes%n",
        plan.segments().size(), plan.snapshots().size(), plan.bytes());
    byCamera.forEach((cam, reasons) -> out.printf(
        "  %s: %s%s%n",
        cam,
        reasons.entrySet().stream()
            .map(e -> e.getValue().size() + " by " + e.getKey() + " ("
                + e.getValue().stream().mapToLong(PlannedDeletion::bytes).sum() + " bytes, oldest "
                + e.getValue().get(0).time()
                + tierNames(e.getValue()) + ")")
            .collect(Collectors.joining(", ")),
        plan.refused().containsKey(cam) ? " — REFUSED: " + plan.refused().get(cam) : ""));
    out.flush();
  }
}
