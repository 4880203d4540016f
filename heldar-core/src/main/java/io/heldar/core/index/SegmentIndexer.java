package io.heldar.core.index;

import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.event.EventPublisher;
import io.heldar.core.index.internal.DirectorySegmentIndexer;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.runtime.Ticker;
import io.heldar.core.store.HeldarStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Scans the recordings root and turns closed segment files into rows of the timeline index. Where
 * each camera's files are is the naming pattern's business ({@link SegmentNaming}): by default
 * {@code <root>/<camera id>/...}, or anywhere in the path ({@code %c}, {@code %p}). Every file and
 * directory the scan meets lands in one {@link FileBucket} of the {@link ScanReport}.
 *
 * <p>A file is indexed at most once (its root-relative path is unique). A file modified within the
 * settle time is still being written and waits for a later scan. Its start comes from its name
 * ({@link SegmentNaming}); its end is the start plus the probed duration. A file that fails to probe
 * is recorded in {@code unreadable_files}, raises one {@code segment_unreadable} event, and is probed
 * again only when its size or modification time changes. A probe result the file cannot hold (see
 * {@link Plausibility}) counts as unreadable, with the reason. An indexed file whose size or
 * modification time changes is probed again, its row replaced and its gaps recomputed (event
 * {@code segment_changed}). Each camera's new rows, their gaps
 * ({@link io.heldar.core.gap.GapDetector}) and statistics are written in one transaction per batch; one camera's
 * failure never stops the others.
 */
public interface SegmentIndexer extends AutoCloseable {

  /** Scans every registered camera once. Never throws for a camera's failure: see the report. */
  ScanReport scanOnce();

  /** Scans one camera once. */
  CameraScanReport scanCamera(String cameraId);

  /**
   * Compares every registered camera's files on the disk with its index rows (what a scan does by
   * itself every {@link IndexingOptions#reconcileInterval()}) and reports what vanished and what came back.
   *
   * @param apply mark vanished rows missing and restore returned ones; {@code false} changes nothing
   * @param force apply even what the {@link IndexingOptions#vanishGuard() vanish guard} refuses (a mass disappearance)
   */
  List<ReconcileReport> check(boolean apply, boolean force);

  /**
   * When files vanish at once in such numbers that the storage, not the files, is the likelier
   * culprit (an unmounted disk, a stalled share, a mass deletion by another tool), nothing is marked.
   *
   * @param maxFiles more vanished files than this in one pass is a mass disappearance
   * @param maxShare a larger share of a camera's indexed files than this is one, once more than
   *     {@link #MIN_FILES_FOR_SHARE} files vanished
   */
  record VanishGuard(long maxFiles, double maxShare) {
    /** Default: over 1,000 files in one pass. */
    public static final long DEFAULT_MAX_FILES = 1_000;
    /** Default: over 20 % of a camera's indexed files. */
    public static final double DEFAULT_MAX_SHARE = 0.20;
    /** Below this many vanished files the share rule does not apply (a camera with five files that loses two). */
    public static final long MIN_FILES_FOR_SHARE = 10;
    /** The defaults. */
    public static final VanishGuard DEFAULTS =
        new VanishGuard(DEFAULT_MAX_FILES, DEFAULT_MAX_SHARE);

    /** Validates. */
    public VanishGuard {
      if (maxFiles < 0) {
        throw new IllegalArgumentException(
            "max vanished files must not be negative, not " + maxFiles);
      }
      if (!(maxShare >= 0 && maxShare <= 1)) {
        throw new IllegalArgumentException("max vanished share must be in [0, 1], not " + maxShare);
      }
    }

    /** Why {@code vanished} of {@code indexed} files is a mass disappearance, if it is one. */
    public Optional<String> refusal(long vanished, long indexed) {
      if (vanished == 0) {
        return java.util.Optional.empty();
      }
      if (vanished > maxFiles) {
        return java.util.Optional.of(
            vanished + " files vanished in one pass (more than " + maxFiles + ")");
      }
      if (vanished == indexed && indexed > 1) {
        return java.util.Optional.of(
            "every one of the camera's " + indexed + " indexed files vanished");
      }
      if (vanished > MIN_FILES_FOR_SHARE && vanished > maxShare * indexed) {
        return java.util.Optional.of(vanished + " of " + indexed
            + " indexed files vanished (more than " + Math.round(maxShare * 100) + " %)");
      }
      return java.util.Optional.empty();
    }
  }

  /** Hears how far a scan is through a camera's backlog: after each batch it commits. */
  @FunctionalInterface
  interface ProgressListener {
    /**
     * @param cameraId the camera being scanned
     * @param done files of this scan's backlog probed and committed so far
     * @param total files in this scan's backlog for the camera
     */
    void onProgress(String cameraId, int done, int total);
  }

  /** Releases the probe threads, within the default stop deadline. Idempotent. */
  @Override
  void close();

  /** A builder; store, probe and recordings root are required. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Configures a {@link SegmentIndexer} run by the host rather than by Heldar; setters validate as
   * they go. How it indexes is one {@link IndexingOptions} record ({@link #options}).
   */
  final class Builder {
    private HeldarStore store;
    private IndexingOptions options = IndexingOptions.DEFAULTS;
    private MediaProbe probe;
    private Path root;
    private Clock clock = Clock.systemUTC();
    private Ticker ticker = io.heldar.core.runtime.Ticker.system();
    private Executor probeExecutor;
    private io.heldar.core.cluster.CameraAssignment assignment =
        io.heldar.core.cluster.CameraAssignment.SINGLE_NODE;
    private EventPublisher events;
    private ProgressListener progress = (camera, done, total) -> {};

    private Builder() {}

    /** Hears each committed batch of a scan (default: nobody); called on the scanning thread, keep it quick. */
    public Builder progress(ProgressListener listener) {
      this.progress = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * How it indexes (default {@link IndexingOptions#DEFAULTS}): naming, camera discovery, settle
     * time, probe parallelism, batch size, reconciliation, gap detection. Change one value with
     * {@link IndexingOptions#from}.
     */
    public Builder options(IndexingOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** The store (required). */
    public Builder store(HeldarStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The probe (required). */
    public Builder probe(MediaProbe probe) {
      this.probe = Objects.requireNonNull(probe, "probe");
      return this;
    }

    /** The recordings root (required); camera directories are its children. */
    public Builder recordingsRoot(Path root) {
      Objects.requireNonNull(root, "root");
      this.root = root.toAbsolutePath().normalize();
      return this;
    }

    /**
     * The monotonic ticker of the indexer's intervals (when a camera is due for a complete listing,
     * how long a scan took); default {@link Ticker#system()}.
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Runs probes on the host's executor instead of Heldar's own pool of {@code probeParallelism}
     * daemon threads. Heldar never shuts it down; a probe still running when a scan fails is
     * cancelled (interrupted). The executor's own size then bounds probe parallelism.
     */
    public Builder probeExecutor(Executor executor) {
      this.probeExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Which cameras this process indexes (default {@link
     * io.heldar.core.cluster.CameraAssignment#SINGLE_NODE}: all). In a cluster, a camera is scanned
     * only while this node holds its files lease, and every commit of it is fenced.
     */
    public Builder assignment(io.heldar.core.cluster.CameraAssignment assignment) {
      this.assignment = Objects.requireNonNull(assignment, "assignment");
      return this;
    }

    /** The clock (default system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where events go (default: the store, no listeners). */
    public Builder events(EventPublisher events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /** Builds the indexer. The recordings root must be an existing directory. */
    public SegmentIndexer build() {
      if (store == null || probe == null || root == null) {
        throw new IllegalStateException("store, probe and recordingsRoot are required");
      }
      EngineContext context = EngineContext.builder(store)
          .clock(clock)
          .ticker(ticker)
          .events(events)
          .assignment(assignment)
          .gapOptions(options.gaps())
          .recordingsRoot(root)
          .probe(probe)
          .probeExecutor(probeExecutor)
          .build();
      return new DirectorySegmentIndexer(context, options, progress);
    }
  }
}
