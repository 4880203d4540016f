package io.heldar.examples.cli;

import io.heldar.core.tier.StorageTier;
import io.heldar.core.tier.StorageTiers;
import io.heldar.core.tier.TierMoveOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Option;

/** Storage tier options ({@code run}, {@code retention}). */
final class TierOptions {
  @Option(
      names = "--tier",
      paramLabel = "NAME=DIR",
      description = "A further storage tier after the recordings root (named hot), in the order"
          + " footage moves: --tier nas=/mnt/nas/rec. Repeatable. A tier root must be outside the"
          + " others; Heldar marks it with a .heldar-tier file the first time.")
  Map<String, Path> tiers = new LinkedHashMap<>();

  @Option(
      names = "--move-after",
      paramLabel = "TIER=DURATION",
      description = "Move segments that ended longer ago than this on to the next tier:"
          + " --move-after hot=2d. Repeatable, one per tier.")
  Map<String, String> moveAfter = new LinkedHashMap<>();

  @Option(
      names = "--move-max-bytes",
      paramLabel = "TIER=SIZE",
      description = "Keep at most this much of each camera's footage on the tier, moving the oldest"
          + " on: --move-max-bytes hot=200GB. Repeatable.")
  Map<String, String> moveMaxBytes = new LinkedHashMap<>();

  @Option(
      names = "--move-min-free",
      paramLabel = "TIER=SIZE|PERCENT%",
      description = "Keep at least this much free on the tier's file system, moving the oldest"
          + " footage of any camera on: --move-min-free hot=15%%. Repeatable.")
  Map<String, String> moveMinFree = new LinkedHashMap<>();

  @Option(
      names = "--move-rate",
      paramLabel = "SIZE",
      description =
          "Bytes per second all tier moves together copy, 0 for unbounded" + " (default: 100MiB).")
  String moveRate;

  @Option(
      names = "--move-files",
      paramLabel = "N",
      description = "Files copied at once by tier moves (default: 2).")
  Integer moveFiles;

  @Option(
      names = "--move-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Pause between rounds of tier moves (default: 1m).")
  java.time.Duration moveInterval;

  /** Whether any further tier was given. */
  boolean any() {
    return !tiers.isEmpty();
  }

  /**
   * The tiers, the recordings root first (named {@value StorageTiers#DEFAULT_PRIMARY_NAME}), or
   * empty without {@code --tier}.
   *
   * @throws IllegalArgumentException a rule names no tier, or a value is wrong
   */
  Optional<StorageTiers> storageTiers(Path recordingsRoot) {
    Set<String> names = new TreeSet<>(tiers.keySet());
    names.add(StorageTiers.DEFAULT_PRIMARY_NAME);
    for (Map<String, String> rules : List.of(moveAfter, moveMaxBytes, moveMinFree)) {
      for (String name : rules.keySet()) {
        if (!names.contains(name)) {
          throw new IllegalArgumentException("a move rule names tier '" + name
              + "', which is not hot or given by --tier (" + String.join(", ", names) + ")");
        }
      }
    }
    if (!any()) {
      if (!moveAfter.isEmpty() || !moveMaxBytes.isEmpty() || !moveMinFree.isEmpty()) {
        throw new IllegalArgumentException(
            "move rules need a tier to move to: give --tier NAME=DIR");
      }
      return Optional.empty();
    }
    List<StorageTier> all = new ArrayList<>();
    all.add(tier(StorageTiers.DEFAULT_PRIMARY_NAME, recordingsRoot));
    tiers.forEach((name, dir) -> all.add(tier(name, dir)));
    return Optional.of(
        StorageTiers.of(all.get(0), all.subList(1, all.size()).toArray(StorageTier[]::new)));
  }

  private StorageTier tier(String name, Path root) {
    StorageTier.Builder b = StorageTier.builder(name, root);
    if (moveAfter.containsKey(name)) {
      b.moveAfter(DurationConverter.parse(moveAfter.get(name)));
    }
    if (moveMaxBytes.containsKey(name)) {
      b.maxBytesPerCamera(ByteSizeConverter.parse(moveMaxBytes.get(name)));
    }
    if (moveMinFree.containsKey(name)) {
      String v = moveMinFree.get(name).trim();
      if (v.endsWith("%")) {
        b.minFreePercent(Double.parseDouble(v.substring(0, v.length() - 1)));
      } else {
        b.minFreeBytes(ByteSizeConverter.parse(v));
      }
    }
    return b.build();
  }

  /** How moves run. */
  TierMoveOptions moveOptions() {
    TierMoveOptions.Builder b = TierMoveOptions.builder();
    if (moveRate != null) {
      b.bytesPerSecond(moveRate.trim().equals("0") ? 0 : ByteSizeConverter.parse(moveRate));
    }
    if (moveFiles != null) {
      b.concurrentFiles(moveFiles);
    }
    if (moveInterval != null) {
      b.interval(moveInterval);
    }
    return b.build();
  }
}
