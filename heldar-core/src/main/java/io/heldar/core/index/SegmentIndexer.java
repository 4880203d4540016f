package io.heldar.core.index;

import io.heldar.core.event.EventPublisher;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.index.internal.DirectorySegmentIndexer;
import io.heldar.core.internal.Checks;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.store.HeldarStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

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
 * ({@link GapDetector}) and statistics are written in one transaction per batch; one camera's
 * failure never stops the others.
 */
public interface SegmentIndexer extends AutoCloseable {

  /** Scans every registered camera once. Never throws for a camera's failure: see the report. */
  ScanReport scanOnce();

  /** Scans one camera once. */
  CameraScanReport scanCamera(String cameraId);

  /** Releases the probe threads. Idempotent. */
  @Override
  void close();

  /** A builder; store, probe and recordings root are required. */
  static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link SegmentIndexer}; setters validate as they go. */
  final class Builder {
    /** Files modified more recently than this are still being written. */
    public static final Duration DEFAULT_SETTLE_TIME = Duration.ofSeconds(5);
    /**
     * An incomplete file (no moov, data past its end) modified more recently than this is taken to
     * be still being written and looked at again; after it, it is unreadable.
     */
    public static final Duration DEFAULT_INCOMPLETE_GRACE = Duration.ofSeconds(60);
    /** Probes running at once. */
    public static final int DEFAULT_PROBE_PARALLELISM = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** Files probed and committed per transaction. */
    public static final int DEFAULT_BATCH_SIZE = 500;
    /**
     * Default longest duration a probe may report for one file: 24 hours. A longer one is taken as
     * a corrupt header (one mutated file claimed 9.1 years), recorded as unreadable with the reason,
     * never indexed.
     */
    public static final Duration DEFAULT_MAX_SEGMENT_DURATION = Duration.ofHours(24);

    private HeldarStore store;
    private MediaProbe probe;
    private Path root;
    private SegmentNaming naming = SegmentNaming.heldar();
    private Duration settleTime = DEFAULT_SETTLE_TIME;
    private Duration incompleteGrace = DEFAULT_INCOMPLETE_GRACE;
    private int probeParallelism = DEFAULT_PROBE_PARALLELISM;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration maxSegmentDuration = DEFAULT_MAX_SEGMENT_DURATION;
    private Clock clock = Clock.systemUTC();
    private EventPublisher events;
    private GapDetector.Options gapOptions = GapDetector.Options.DEFAULTS;
    private boolean discoverCameras;

    private Builder() {}

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

    /** How file names map to start instants (default {@link SegmentNaming#heldar()}). */
    public Builder naming(SegmentNaming naming) {
      this.naming = Objects.requireNonNull(naming, "naming");
      return this;
    }

    /** See {@link #DEFAULT_SETTLE_TIME}; zero or positive. */
    public Builder settleTime(Duration settleTime) {
      this.settleTime = Checks.notNegative("settle time", settleTime);
      return this;
    }

    /** See {@link #DEFAULT_INCOMPLETE_GRACE}; zero or positive. */
    public Builder incompleteGrace(Duration grace) {
      this.incompleteGrace = Checks.notNegative("incomplete grace", grace);
      return this;
    }

    /** See {@link #DEFAULT_PROBE_PARALLELISM}; 1 to 256. */
    public Builder probeParallelism(int n) {
      this.probeParallelism = Checks.inRange("probe parallelism", n, 1, 256);
      return this;
    }

    /** See {@link #DEFAULT_BATCH_SIZE}; 1 to 100,000. */
    public Builder batchSize(int n) {
      this.batchSize = Checks.inRange("batch size", n, 1, 100_000);
      return this;
    }

    /** See {@link #DEFAULT_MAX_SEGMENT_DURATION}; positive. */
    public Builder maxSegmentDuration(Duration max) {
      this.maxSegmentDuration = Checks.positive("max segment duration", max);
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

    /** Gap detection settings (default {@link GapDetector.Options#DEFAULTS}). */
    public Builder gapOptions(GapDetector.Options gapOptions) {
      this.gapOptions = Objects.requireNonNull(gapOptions, "gapOptions");
      return this;
    }

    /**
     * Whether a scan registers the cameras it finds in the layout (default {@code false}: only
     * registered cameras are indexed, the others counted as {@link FileBucket#CAMERA_NOT_REGISTERED}).
     * A camera is found when a file's path matches the naming pattern; its recorder name maps to an
     * id through {@link CameraNames}, and an id another camera already has is a conflict, reported,
     * never merged. Directories in which nothing matches are reported, never registered.
     */
    public Builder discoverCameras(boolean discover) {
      this.discoverCameras = discover;
      return this;
    }

    /** Builds the indexer. The recordings root must be an existing directory. */
    public SegmentIndexer build() {
      if (store == null || probe == null || root == null) {
        throw new IllegalStateException("store, probe and recordingsRoot are required");
      }
      if (!Files.isDirectory(root)) {
        throw new IllegalArgumentException("recordings root is not a directory: " + root);
      }
      EventPublisher ev = events != null ? events : EventPublisher.storing(store, List.of());
      GapDetector gaps = GapDetector.create(store, ev, clock, gapOptions);
      return new DirectorySegmentIndexer(
          store, probe, root, naming, settleTime, incompleteGrace, probeParallelism, batchSize,
          new Plausibility(maxSegmentDuration), clock, ev, gaps, discoverCameras);
    }
  }
}
