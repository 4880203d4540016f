package io.heldar.core.clip;

import io.heldar.core.clip.internal.ClipAssembler;
import io.heldar.core.clip.internal.ClipTargets;
import io.heldar.core.clip.internal.TimelapseWriter;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.tier.StorageTiers;
import io.heldar.core.timeline.Timeline;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Cuts footage out of the index: any range of a camera as MP4 or fragmented MP4, by copying the
 * recorded samples (no re-encoding, no external process), with every gap of the range named in the
 * {@link ClipReport}. Obtain it from {@link io.heldar.core.Heldar#clips()}, or build one on a store
 * and the recordings root.
 *
 * <p>What it reads: MP4 and fragmented-MP4 segments (H.264, H.265, AAC and whatever else the sample
 * description carries; it is copied verbatim); other containers through a {@link SegmentRemuxer}
 * ({@link #withRemuxer}). The clip starts at the sync sample at or before the
 * request's start (its parts say the real start) and ends at the request's end; time runs on
 * without a jump from one segment to the next. A change of format (codec, resolution, codec
 * configuration) starts a new part. A segment that is gone becomes a {@code lost} gap, one that
 * cannot be read an {@code unreadable} gap, never a torn clip. Memory is one segment's sample table
 * and one fragment's media, whatever the clip's length; a progressive part spools its index to
 * disk beside the clip.
 *
 * <p>Thread-safe: exports run on the caller's thread, any number at once. {@link #close()} stops
 * running exports at their next segment; what they wrote is removed.
 */
public final class Clips implements AutoCloseable {
  /** Holes between segments up to this long are not gaps: the timeline's tolerance. */
  public static final Duration DEFAULT_TOLERANCE = Timeline.DEFAULT_TOLERANCE;

  private final HeldarStore store;
  private final Path recordingsRoot;
  private final Clock clock;
  private final Duration tolerance;
  private final SegmentRemuxer remuxer;
  private final Path snapshotsRoot;
  private final StorageTiers tiers;
  private volatile boolean closed;

  /** Clips of {@code store}'s segments under {@code recordingsRoot}, gaps past the default tolerance. */
  public Clips(HeldarStore store, Path recordingsRoot, Clock clock) {
    this(store, recordingsRoot, clock, DEFAULT_TOLERANCE);
  }

  /** As {@link #Clips(HeldarStore, Path, Clock)}, with holes up to {@code tolerance} not gaps. */
  public Clips(HeldarStore store, Path recordingsRoot, Clock clock, Duration tolerance) {
    this(store, recordingsRoot, clock, tolerance, null, null, null);
  }

  private Clips(
      HeldarStore store,
      Path recordingsRoot,
      Clock clock,
      Duration tolerance,
      SegmentRemuxer remuxer,
      Path snapshotsRoot,
      StorageTiers tiers) {
    this.tiers = tiers != null ? tiers : StorageTiers.of(recordingsRoot);
    this.remuxer = remuxer;
    this.snapshotsRoot = snapshotsRoot;
    this.store = Objects.requireNonNull(store, "store");
    this.recordingsRoot = Objects.requireNonNull(recordingsRoot, "recordingsRoot");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
    if (tolerance.isNegative()) {
      throw new IllegalArgumentException("tolerance must not be negative: " + tolerance);
    }
  }

  /**
   * Writes the clip to {@code file}; a clip of several parts writes part 1 there and part {@code
   * n} beside it as {@code <name>-<n>.<ext>} ({@link #partFile}). Each part is written to a
   * temporary file in the same directory, forced to disk and moved into place when complete; a
   * clip that fails leaves nothing under these names.
   *
   * @throws NoFootageException the range holds no readable footage
   * @throws ClipGapException the request said {@link GapPolicy#FAIL} and the range has a gap
   * @throws ClipException the clip could not be written (the message says why)
   */
  public ClipReport write(ClipRequest request, Path file) {
    return write(request, file, ClipProgress.NONE);
  }

  /** As {@link #write(ClipRequest, Path)}, telling {@code progress} after each segment. */
  public ClipReport write(ClipRequest request, Path file, ClipProgress progress) {
    Path target = file.toAbsolutePath().normalize();
    Path dir = target.getParent();
    return assembler(dir).run(request, ClipTargets.files(target), progress);
  }

  /**
   * Streams part {@code part} (1-based) of the clip to {@code out} as it is read, and counts the
   * other parts without writing them; the report lists every part. Bytes sent cannot be taken
   * back: when a source changes under a progressive part already being sent, the export fails
   * with a {@link ClipException} and the stream is incomplete (its receiver must treat it so).
   * {@code out} is not closed.
   *
   * @throws NoFootageException the range holds no readable footage, or fewer parts than {@code
   *     part}
   * @throws ClipException as {@link #write(ClipRequest, Path)}
   */
  public ClipReport stream(ClipRequest request, int part, OutputStream out) {
    return stream(request, part, out, Optional.empty());
  }

  /**
   * As {@link #stream(ClipRequest, int, OutputStream)} for the clip {@code sized} describes
   * (from {@link #size}, moments before): a fragmented clip's header is then not sized again.
   */
  public ClipReport stream(ClipReport sized, int part, OutputStream out) {
    return stream(sized.request(), part, out, Optional.of(sized));
  }

  private ClipReport stream(
      ClipRequest request, int part, OutputStream out, Optional<ClipReport> sized) {
    Objects.requireNonNull(out, "out");
    if (part < 1) {
      throw new IllegalArgumentException("parts are numbered from 1: " + part);
    }
    ClipReport report =
        assembler(tempDir()).run(request, ClipTargets.stream(part, out), ClipProgress.NONE, sized);
    if (report.parts().size() < part) {
      throw new NoFootageException(
          "clip of " + request.cameraId() + " has " + report.parts().size() + " part(s), no part "
              + part,
          report.gaps());
    }
    return report;
  }

  /**
   * The report of the clip without writing it: every part is made, counted and hashed, so the
   * sizes and SHA-256 are those {@link #stream} and {@link #write} give for the same request and
   * footage. For a manifest of a clip that is streamed: the sources are hashed too.
   */
  public ClipReport measure(ClipRequest request) {
    return assembler(tempDir())
        .run(request.withSourceHashes(), ClipTargets.measure(), ClipProgress.NONE);
  }

  /**
   * The clip's parts with their sizes and durations, from the segments' sample tables alone: no
   * media is read and nothing is hashed (the parts' and sources' hashes are empty). {@link
   * #stream} and {@link #write} then give exactly these sizes, unless a source changes in
   * between; for an HTTP response's length and byte ranges.
   *
   * @throws NoFootageException the range holds no readable footage
   */
  public ClipReport size(ClipRequest request) {
    return assembler(tempDir()).size(request);
  }

  /** The gaps of the range as the index has them (holes between segments), reading no file. */
  public List<ClipGap> indexGaps(ClipRequest request) {
    return assembler(tempDir()).indexGaps(request);
  }

  /** Where part {@code part} of a clip written to {@code file} goes. */
  public static Path partFile(Path file, int part) {
    return ClipTargets.partFile(file, part);
  }

  /**
   * Clips like these that hand segments the native reader does not read (another container, a
   * layout it refuses) to {@code remuxer} first, instead of calling them unreadable.
   */
  public Clips withRemuxer(SegmentRemuxer remuxer) {
    return new Clips(
        store,
        recordingsRoot,
        clock,
        tolerance,
        Objects.requireNonNull(remuxer, "remuxer"),
        snapshotsRoot,
        tiers);
  }

  /**
   * Clips like these that find segments moved to further storage tiers there (the first tier's
   * root must be the recordings root).
   */
  public Clips withTiers(StorageTiers tiers) {
    if (!tiers.primary().root().equals(recordingsRoot.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("the first tier's root "
          + tiers.primary().root() + " is not the recordings root " + recordingsRoot);
    }
    return new Clips(store, recordingsRoot, clock, tolerance, remuxer, snapshotsRoot, tiers);
  }

  /** Clips like these that make time-lapses from the snapshots under {@code root}. */
  public Clips withSnapshotsRoot(Path root) {
    return new Clips(
        store,
        recordingsRoot,
        clock,
        tolerance,
        remuxer,
        Objects.requireNonNull(root, "root"),
        tiers);
  }

  /**
   * A time-lapse of a snapshot schedule: the JPEG of each slot of its grid in the range (up to
   * now) as one frame of a progressive MP4 (MJPEG, natively; {@code heldar-ffmpeg}'s {@code
   * FfmpegTimelapse} turns it into H.264), the slots without a usable snapshot listed with why.
   * Written to a temporary file, forced to disk and moved into place.
   *
   * @throws NoFootageException no slot of the range has a usable snapshot
   * @throws ClipException no such schedule, too many slots ({@value
   *     io.heldar.core.clip.internal.TimelapseWriter#MAX_FRAMES}), no snapshots root, or the file
   *     cannot be written
   */
  public TimelapseReport timelapse(TimelapseRequest request, Path file) {
    if (snapshotsRoot == null) {
      throw new ClipException("time-lapses need the snapshots root (withSnapshotsRoot)");
    }
    if (closed) {
      throw new ClipException("clips are closed: Heldar is stopping");
    }
    return new TimelapseWriter(store, snapshotsRoot).write(request, file, clock.instant());
  }

  /** Stops running exports at their next segment; later exports fail at once. */
  @Override
  public void close() {
    closed = true;
  }

  private ClipAssembler assembler(Path spoolDir) {
    if (closed) {
      throw new ClipException("clips are closed: Heldar is stopping");
    }
    return new ClipAssembler(
        store, tiers, clock, tolerance, spoolDir, () -> closed, Optional.ofNullable(remuxer));
  }

  private static Path tempDir() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }
}
