package io.heldar.examples.cli;

import io.heldar.core.retention.RetentionPolicy;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Retention policy options ({@code retention}, {@code run}). */
final class RetentionOptions {
  @Option(
      names = "--max-age",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Delete segments that ended longer ago than this (e.g. 30d).")
  Duration maxAge;

  @Option(
      names = "--max-bytes",
      paramLabel = "SIZE",
      converter = ByteSizeConverter.class,
      description = "Keep at most this much footage per camera, oldest deleted first (e.g. 500GB).")
  Long maxBytes;

  @Option(
      names = "--min-free",
      paramLabel = "SIZE|PERCENT%",
      description =
          "Keep at least this much free on the recordings file system (e.g. 50GB or 10%%).")
  String minFree;

  @Option(
      names = "--snapshot-max-age",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Delete snapshots older than this (e.g. 7d).")
  Duration snapshotMaxAge;

  @Option(
      names = "--max-delete-share",
      paramLabel = "PERCENT",
      defaultValue = "50",
      description =
          "Refuse to touch a camera whose plan would delete more than this percentage of its segments (default: ${DEFAULT-VALUE}).")
  double maxDeleteShare;

  /** Whether any limit was given. */
  boolean any() {
    return maxAge != null || maxBytes != null || minFree != null || snapshotMaxAge != null;
  }

  /** The policy, or empty without any limit. */
  Optional<RetentionPolicy> policy() {
    if (!any()) {
      return Optional.empty();
    }
    RetentionPolicy.Builder b = RetentionPolicy.builder().maxDeleteShare(maxDeleteShare / 100.0);
    if (maxAge != null) {
      b.maxAge(maxAge);
    }
    if (maxBytes != null) {
      b.maxBytesPerCamera(maxBytes);
    }
    if (minFree != null) {
      String v = minFree.trim();
      if (v.endsWith("%")) {
        b.minFreePercent(Double.parseDouble(v.substring(0, v.length() - 1)));
      } else {
        b.minFreeBytes(ByteSizeConverter.parse(v));
      }
    }
    if (snapshotMaxAge != null) {
      b.snapshotMaxAge(snapshotMaxAge);
    }
    return Optional.of(b.build());
  }
}
