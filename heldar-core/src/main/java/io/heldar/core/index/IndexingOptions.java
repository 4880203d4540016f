package io.heldar.core.index;

import io.heldar.core.gap.GapDetector;
import io.heldar.core.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SegmentIndexer} indexes: immutable, every value checked once, here. Start from
 * {@link #DEFAULTS} or {@link #builder()}, change one value of an existing configuration with
 * {@link #from(IndexingOptions)}; pass it to {@link SegmentIndexer.Builder#options} or {@code
 * Heldar.builder().indexing(…)}.
 *
 * @param naming how paths map to cameras and start instants (default {@link SegmentNaming#heldar()})
 * @param discoverCameras whether a scan registers the cameras it finds in the layout
 * @param settleTime files modified more recently than this are still being written
 * @param incompleteGrace how long an incomplete file may stay unchanged before it is unreadable
 * @param probeParallelism probes running at once (Heldar's own pool; 1 to 256)
 * @param batchSize files probed and committed per transaction (1 to 100,000)
 * @param maxSegmentDuration a probe reporting a longer duration marks the file unreadable
 * @param reconcileInterval how often each camera's files are compared with its rows in full
 * @param vanishGuard when vanished files are a mass disappearance and nothing is marked
 * @param gaps gap detection settings
 */
public record IndexingOptions(
    SegmentNaming naming,
    boolean discoverCameras,
    Duration settleTime,
    Duration incompleteGrace,
    int probeParallelism,
    int batchSize,
    Duration maxSegmentDuration,
    Duration reconcileInterval,
    SegmentIndexer.VanishGuard vanishGuard,
    GapDetector.Options gaps) {
  /** Files modified more recently than this are still being written: 5 s. */
  public static final Duration DEFAULT_SETTLE_TIME = Duration.ofSeconds(5);
  /**
   * An incomplete file (no moov, data past its end) modified more recently than this is taken to
   * be still being written and looked at again; after it, it is unreadable: 60 s.
   */
  public static final Duration DEFAULT_INCOMPLETE_GRACE = Duration.ofSeconds(60);
  /** Probes running at once: the number of cores, at least 2. */
  public static final int DEFAULT_PROBE_PARALLELISM =
      Math.max(2, Runtime.getRuntime().availableProcessors());
  /** Files probed and committed per transaction: 500. */
  public static final int DEFAULT_BATCH_SIZE = 500;
  /**
   * Longest duration a probe may report for one file: 24 hours. A longer one is taken as a corrupt
   * header (one mutated file claimed 9.1 years), recorded as unreadable with the reason.
   */
  public static final Duration DEFAULT_MAX_SEGMENT_DURATION = Duration.ofHours(24);
  /** How often a camera's files are compared with its index rows in full (and at its first scan): 1 h. */
  public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofHours(1);
  /** Every default. */
  public static final IndexingOptions DEFAULTS = new IndexingOptions(
      SegmentNaming.heldar(),
      false,
      DEFAULT_SETTLE_TIME,
      DEFAULT_INCOMPLETE_GRACE,
      DEFAULT_PROBE_PARALLELISM,
      DEFAULT_BATCH_SIZE,
      DEFAULT_MAX_SEGMENT_DURATION,
      DEFAULT_RECONCILE_INTERVAL,
      SegmentIndexer.VanishGuard.DEFAULTS,
      GapDetector.Options.DEFAULTS);

  /** Checks every value, each by its one rule below, with the value in the message. */
  public IndexingOptions {
    Objects.requireNonNull(naming, "naming");
    checkSettleTime(settleTime);
    checkIncompleteGrace(incompleteGrace);
    checkProbeParallelism(probeParallelism);
    checkBatchSize(batchSize);
    checkMaxSegmentDuration(maxSegmentDuration);
    checkReconcileInterval(reconcileInterval);
    Objects.requireNonNull(vanishGuard, "vanishGuard");
    Objects.requireNonNull(gaps, "gaps");
  }

  private static Duration checkSettleTime(Duration d) {
    return Checks.notNegative("settle time", d);
  }

  private static Duration checkIncompleteGrace(Duration d) {
    return Checks.notNegative("incomplete grace", d);
  }

  private static int checkProbeParallelism(int n) {
    return Checks.inRange("probe parallelism", n, 1, 256);
  }

  private static int checkBatchSize(int n) {
    return Checks.inRange("batch size", n, 1, 100_000);
  }

  private static Duration checkMaxSegmentDuration(Duration d) {
    return Checks.positive("max segment duration", d);
  }

  private static Duration checkReconcileInterval(Duration d) {
    return Checks.positive("reconcile interval", d);
  }

  /** A builder starting from {@link #DEFAULTS}. */
  public static Builder builder() {
    return new Builder(DEFAULTS);
  }

  /** A builder starting from {@code options}. */
  public static Builder from(IndexingOptions options) {
    return new Builder(Objects.requireNonNull(options, "options"));
  }

  /** Builds {@link IndexingOptions}; each setter checks its value at once, by the record's rule. */
  public static final class Builder {
    private SegmentNaming naming;
    private boolean discoverCameras;
    private Duration settleTime;
    private Duration incompleteGrace;
    private int probeParallelism;
    private int batchSize;
    private Duration maxSegmentDuration;
    private Duration reconcileInterval;
    private SegmentIndexer.VanishGuard vanishGuard;
    private GapDetector.Options gaps;

    private Builder(IndexingOptions start) {
      naming = start.naming;
      discoverCameras = start.discoverCameras;
      settleTime = start.settleTime;
      incompleteGrace = start.incompleteGrace;
      probeParallelism = start.probeParallelism;
      batchSize = start.batchSize;
      maxSegmentDuration = start.maxSegmentDuration;
      reconcileInterval = start.reconcileInterval;
      vanishGuard = start.vanishGuard;
      gaps = start.gaps;
    }

    /** See {@link IndexingOptions#naming()}. */
    public Builder naming(SegmentNaming v) {
      naming = Objects.requireNonNull(v, "naming");
      return this;
    }

    /** See {@link IndexingOptions#discoverCameras()}. */
    public Builder discoverCameras(boolean v) {
      discoverCameras = v;
      return this;
    }

    /** See {@link #DEFAULT_SETTLE_TIME}; zero or positive. */
    public Builder settleTime(Duration v) {
      settleTime = checkSettleTime(v);
      return this;
    }

    /** See {@link #DEFAULT_INCOMPLETE_GRACE}; zero or positive. */
    public Builder incompleteGrace(Duration v) {
      incompleteGrace = checkIncompleteGrace(v);
      return this;
    }

    /** See {@link #DEFAULT_PROBE_PARALLELISM}; 1 to 256. */
    public Builder probeParallelism(int v) {
      probeParallelism = checkProbeParallelism(v);
      return this;
    }

    /** See {@link #DEFAULT_BATCH_SIZE}; 1 to 100,000. */
    public Builder batchSize(int v) {
      batchSize = checkBatchSize(v);
      return this;
    }

    /** See {@link #DEFAULT_MAX_SEGMENT_DURATION}; positive. */
    public Builder maxSegmentDuration(Duration v) {
      maxSegmentDuration = checkMaxSegmentDuration(v);
      return this;
    }

    /** See {@link #DEFAULT_RECONCILE_INTERVAL}; positive. */
    public Builder reconcileInterval(Duration v) {
      reconcileInterval = checkReconcileInterval(v);
      return this;
    }

    /** See {@link IndexingOptions#vanishGuard()}. */
    public Builder vanishGuard(SegmentIndexer.VanishGuard v) {
      vanishGuard = Objects.requireNonNull(v, "vanishGuard");
      return this;
    }

    /** See {@link IndexingOptions#gaps()}. */
    public Builder gaps(GapDetector.Options v) {
      gaps = Objects.requireNonNull(v, "gaps");
      return this;
    }

    /** The options. */
    public IndexingOptions build() {
      return new IndexingOptions(
          naming,
          discoverCameras,
          settleTime,
          incompleteGrace,
          probeParallelism,
          batchSize,
          maxSegmentDuration,
          reconcileInterval,
          vanishGuard,
          gaps);
    }
  }
}
