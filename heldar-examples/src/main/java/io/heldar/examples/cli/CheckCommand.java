package io.heldar.examples.cli;

import io.heldar.core.Heldar;
import io.heldar.core.index.ReconcileReport;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.model.PrintableText;
import io.heldar.core.probe.MediaProbes;
import io.heldar.store.jdbi.JdbiHeldarStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heldar check}: compares the disk with the index; marks vanished files only when asked. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Compare each registered camera's files under --root with its index rows: which files vanished, which came back.",
      "Changes nothing unless --apply; a mass disappearance (a camera's whole storage, over 1,000 files or over 20 %%)"
          + " is refused even then unless --force."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:disk and index agree, or the changes were applied",
      "1:differences remain (not applied, or refused)",
      "2:the check could not run (bad arguments, no such database, an unreadable root)"
    })
final class CheckCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions store;

  @Mixin
  IndexingFlags indexing;

  @Mixin
  TierOptions tiers;

  @Option(
      names = "--apply",
      description = "Mark vanished files missing (lost gaps) and restore files that came back.")
  boolean apply;

  @Option(names = "--force", description = "With --apply: apply even a mass disappearance.")
  boolean force;

  @Mixin
  OutputFormat format;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (force && !apply) {
      err.println("heldar check: --force only goes with --apply");
      return 2;
    }
    boolean json;
    try {
      indexing.validate();
      json = format.json();
    } catch (RuntimeException e) {
      err.println("heldar check: " + e.getMessage());
      return 2;
    }
    try (JdbiHeldarStore db = store.openExisting()) {
      Clock clock = Clock.systemUTC();
      Heldar.Builder hb = Heldar.builder().store(db).clock(clock);
      if (!json) {
        hb.listener(new IndexCommand.EventPrinter(out));
      }
      Heldar heldar = hb.build();
      List<ReconcileReport> reports;
      try (SegmentIndexer indexer = SegmentIndexer.builder()
          .store(db)
          .probe(MediaProbes.nativeMp4()) // a check compares, it never probes
          .recordingsRoot(indexing.root)
          .options(io.heldar.core.index.IndexingOptions.builder()
              .naming(indexing.naming())
              .build())
          .clock(clock)
          .events(heldar.events())
          .build()) {
        reports = indexer.check(apply, force);
      }
      // Further storage tiers: each one's rows against its files (the same rules and guard).
      java.util.Map<String, List<ReconcileReport>> onTiers = java.util.Map.of();
      java.util.Optional<io.heldar.core.tier.StorageTiers> storageTiers =
          tiers.storageTiers(indexing.root);
      if (storageTiers.isPresent()) {
        try (io.heldar.core.tier.TierMoves moves = io.heldar.core.tier.TierMoves.builder()
            .store(db)
            .storageTiers(storageTiers.get())
            .events(heldar.events())
            .build()) {
          onTiers = moves.checkFiles(apply, force);
        }
      }
      boolean differences = false;
      for (ReconcileReport r : reports) {
        differences |= json ? !(r.inSync() || r.applied()) : print(out, r);
      }
      for (java.util.Map.Entry<String, List<ReconcileReport>> e : onTiers.entrySet()) {
        for (ReconcileReport r : e.getValue()) {
          if (!json) {
            out.print("tier " + e.getKey() + ": ");
          }
          differences |= json ? !(r.inSync() || r.applied()) : print(out, r);
        }
      }
      if (json) {
        List<java.util.Map<String, Object>> all = new java.util.ArrayList<>();
        reports.forEach(r -> all.add(Json.reconcile(r)));
        onTiers.forEach((tier, list) -> list.forEach(r -> {
          java.util.Map<String, Object> m = new java.util.LinkedHashMap<>(Json.reconcile(r));
          m.put("tier", tier);
          all.add(m);
        }));
        out.println(Json.write(all));
      }
      out.flush();
      return differences ? 1 : 0;
    } catch (RuntimeException e) {
      err.println("heldar check: " + e.getMessage());
      return 2;
    }
  }

  /** Prints one camera's line; returns whether a difference remains. */
  private boolean print(PrintWriter out, ReconcileReport r) {
    out.printf(
        "%s: %d indexed, %d file(s) on disk", r.cameraId(), r.indexedRows(), r.filesOnDisk());
    if (r.inSync()) {
      out.println("; in sync");
      return false;
    }
    out.printf("; %d vanished", r.vanished());
    if (!r.vanishedExamples().isEmpty()) {
      out.printf(
          " (%s%s)",
          String.join(", ", r.vanishedExamples().stream().map(PrintableText::of).toList()),
          r.vanished() > r.vanishedExamples().size() ? ", ..." : "");
    }
    out.printf(", %d back unchanged", r.restorable());
    if (r.refused().isPresent()) {
      out.printf(
          " -- refused: %s; nothing marked%s%n",
          r.refused().get(), apply ? " (--force to mark anyway)" : "");
      return true;
    }
    if (r.applied()) {
      out.println(" -- marked missing / restored");
      return false;
    }
    out.println(" -- would mark missing / restore (run with --apply)");
    return true;
  }
}
