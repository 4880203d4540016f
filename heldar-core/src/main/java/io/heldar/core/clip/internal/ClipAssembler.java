package io.heldar.core.clip.internal;

import io.heldar.core.clip.ClipException;
import io.heldar.core.clip.ClipFormat;
import io.heldar.core.clip.ClipGap;
import io.heldar.core.clip.ClipGapException;
import io.heldar.core.clip.ClipPart;
import io.heldar.core.clip.ClipProgress;
import io.heldar.core.clip.ClipReport;
import io.heldar.core.clip.ClipRequest;
import io.heldar.core.clip.ClipSource;
import io.heldar.core.clip.GapPolicy;
import io.heldar.core.clip.NoFootageException;
import io.heldar.core.clip.SegmentRemuxer;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.model.SegmentSpan;
import io.heldar.core.probe.internal.Mp4Format;
import io.heldar.core.probe.internal.PositionalReader;
import io.heldar.core.store.HeldarStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a camera's range into parts: walks the indexed segments in time order, reads each one's
 * tables ({@link SegmentMedia}), chooses its samples (the sync sample at or before the start, up
 * to the end), places them on the part's timeline so time runs on without a jump across segment
 * boundaries, and hands them to a {@link PartWriter}. Holes in the index, files that vanished and
 * files that cannot be read become {@link ClipGap}s with their cause; a change of format starts a
 * new part, and so does a gap under {@link GapPolicy#SPLIT}.
 */
public final class ClipAssembler {
  private static final Logger log = LoggerFactory.getLogger(ClipAssembler.class);
  private static final int PAGE = 1000;
  /** A fragment is cut at the first sync sample after this much footage. */
  private static final double FRAGMENT_SECONDS = 1.0;
  /** ... or anywhere once it holds this many bytes or samples, whatever the GOP. */
  private static final long FRAGMENT_MAX_BYTES = 8L << 20;

  private static final int FRAGMENT_MAX_SAMPLES = 3000;

  /** Segments opened and read ahead of their turn. */
  private static final int READ_AHEAD = 6;

  /** One read window per read-ahead thread. */
  private static final ThreadLocal<ByteBuffer> READ_WINDOW =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(PositionalReader.MAX_WINDOW));

  /**
   * A segment opened ahead of its turn: {@code file} null when its path leaves the root, {@code
   * channel} null when it is gone, else its tables ({@code media}) or why they cannot be read.
   */
  private record Opened(
      SegmentSpan span,
      Path file,
      FileChannel channel,
      SegmentMedia media,
      RuntimeException failure) {
    void close() throws IOException {
      if (channel != null) {
        channel.close();
      }
    }
  }

  /** Where parts go. */
  public interface Targets {
    /** The output of part {@code number}, or empty to count and hash it only. */
    Optional<ClipOutput> open(int number) throws IOException;

    /** Part {@code number} is complete; returns the file name it was given, if any. */
    Optional<String> done(int number, ClipOutput out) throws IOException;

    /** The export failed: remove everything written. */
    void abandon();

    /** True when a part written may be made again (a file, not a stream already sent). */
    boolean canRetry();
  }

  private final HeldarStore store;
  private final Path root;
  private final io.heldar.core.tier.StorageTiers tiers;
  private final Clock clock;
  private final Duration tolerance;
  private final Path spoolDir;
  private final BooleanSupplier cancelled;
  private final Optional<SegmentRemuxer> remuxer;

  /**
   * @param store the index
   * @param tiers the storage tiers: the recordings root first, where the segments' paths are looked
   *     up first; a segment not there is looked up in the index and read where it lives now
   * @param clock the clock stamped on reports
   * @param tolerance holes between segments up to this long are not gaps
   * @param spoolDir where progressive parts spool their tables
   * @param cancelled polled before each segment: true stops the export with a {@link ClipException}
   * @param remuxer what rewrites segments the native reader does not read, if anything
   */
  public ClipAssembler(
      HeldarStore store,
      io.heldar.core.tier.StorageTiers tiers,
      Clock clock,
      Duration tolerance,
      Path spoolDir,
      BooleanSupplier cancelled,
      Optional<SegmentRemuxer> remuxer) {
    this.remuxer = remuxer;
    this.store = store;
    this.tiers = tiers;
    this.root = tiers.primary().root();
    this.clock = clock;
    this.tolerance = tolerance;
    this.spoolDir = spoolDir;
    this.cancelled = cancelled;
  }

  /** Makes the clip; a progressive part whose sources changed under it is made again, twice. */
  public ClipReport run(ClipRequest request, Targets targets, ClipProgress progress) {
    return run(request, targets, progress, Optional.empty());
  }

  /**
   * As {@link #run(ClipRequest, Targets, ClipProgress)}, with the clip already sized ({@link
   * #size}) for a fragmented clip's header.
   */
  public ClipReport run(
      ClipRequest request, Targets targets, ClipProgress progress, Optional<ClipReport> sized) {
    for (int attempt = 1; ; attempt++) {
      // A fragmented clip states each part's duration in its header (mehd), so players know it
      // before the last fragment: a first pass over the tables alone learns it.
      List<Duration> durations = request.format() == ClipFormat.FRAGMENTED_MP4
          ? (attempt == 1 && sized.isPresent() ? sized.get() : size(request))
              .parts().stream().map(ClipPart::duration).toList()
          : List.of();
      Run run = new Run(request, targets, progress, false, durations);
      try {
        return run.run();
      } catch (SourceChangedException e) {
        targets.abandon();
        if (!targets.canRetry() || attempt == 3) {
          throw new ClipException("clip of " + request.cameraId() + " " + request.from() + ".."
              + request.to() + ": a source changed while it was copied (" + e.getMessage()
              + "); nothing was kept");
        }
        log.info(
            "Clip of {}: a source changed while copying ({}); making it again",
            request.cameraId(),
            e.getMessage());
      } catch (IOException e) {
        targets.abandon();
        throw new ClipException("clip of " + request.cameraId() + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        targets.abandon();
        throw e;
      } finally {
        run.closeWriter();
      }
    }
  }

  /**
   * The clip's parts with their sizes and durations, from the sample tables alone: no media is
   * read and nothing is hashed, so it costs a read of each segment's index. What {@link #run}
   * then writes has exactly these sizes, unless a source changes in between.
   */
  public ClipReport size(ClipRequest request) {
    Run run = new Run(request, ClipTargets.measure(), ClipProgress.NONE, true, List.of());
    try {
      return run.run();
    } catch (IOException e) {
      throw new ClipException("clip of " + request.cameraId() + ": " + e.getMessage(), e);
    } finally {
      run.closeWriter();
    }
  }

  /** The gaps of the range as the index sees it (holes between segments), without reading files. */
  public List<ClipGap> indexGaps(ClipRequest request) {
    List<ClipGap> gaps = new ArrayList<>();
    List<RecordingGap> rows = gapRows(request);
    Instant cursor = request.from();
    Optional<SegmentSpan> after = Optional.empty();
    while (true) {
      List<SegmentSpan> page =
          store.segments().spans(request.cameraId(), request.from(), request.to(), PAGE, after);
      for (SegmentSpan s : page) {
        if (Duration.between(cursor, s.start()).compareTo(tolerance) > 0) {
          gaps.add(hole(cursor, s.start(), rows));
        }
        if (s.end().isAfter(cursor)) {
          cursor = s.end();
        }
      }
      if (page.size() < PAGE) {
        break;
      }
      after = Optional.of(page.get(page.size() - 1));
    }
    if (Duration.between(cursor, request.to()).compareTo(tolerance) > 0) {
      gaps.add(hole(cursor, request.to(), rows));
    }
    return gaps;
  }

  private List<RecordingGap> gapRows(ClipRequest request) {
    return store.gaps().overlapping(request.cameraId(), request.from(), request.to()).stream()
        .filter(g -> g.status() == GapStatus.OPEN)
        .toList();
  }

  /** A hole in the index, its cause from the open gap row overlapping it most (else missing). */
  private static ClipGap hole(Instant start, Instant end, List<RecordingGap> rows) {
    RecordingGap best = null;
    long bestOverlap = 0;
    for (RecordingGap g : rows) {
      Instant s = g.start().isAfter(start) ? g.start() : start;
      Instant e = g.end().isBefore(end) ? g.end() : end;
      long overlap = Duration.between(s, e).toMillis();
      if (overlap > bestOverlap) {
        best = g;
        bestOverlap = overlap;
      }
    }
    if (best == null) {
      return new ClipGap(start, end, ClipGap.Cause.MISSING, "no segment is indexed here");
    }
    return new ClipGap(
        start,
        end,
        ClipGap.Cause.of(best.cause()),
        "gap " + best.id() + " (" + best.cause().dbValue() + ") detected " + best.detectedAt());
  }

  /** One attempt at a clip. */
  private final class Run {
    final ClipRequest request;
    final Targets targets;
    final ClipProgress progress;
    final List<RecordingGap> rows;
    final List<ClipGap> gaps = new ArrayList<>();
    final List<ClipSource> sources = new ArrayList<>();
    final List<ClipReport.LeftOut> leftOut = new ArrayList<>();
    final List<ClipPart> parts = new ArrayList<>();
    final ByteBuffer window = ByteBuffer.allocate(PositionalReader.MAX_WINDOW);
    final byte[] hashBuffer = new byte[1 << 16];
    /** Remuxed copies of the open part's segments, removed when it is written. */
    final List<Path> temporaries = new ArrayList<>();

    Instant cursor;
    long segmentsRead;
    long bytesWritten;
    // the open part
    PartWriter writer;
    ClipOutput output;
    PartFormat format;
    int partNumber;
    long videoCursor;
    long audioCursor;
    long partFrames;
    Instant partStart;
    Instant partEnd;
    boolean firstSegment = true;

    /** Tables only: no media read, nothing hashed ({@link #size}). */
    final boolean sizing;

    /** The parts' durations from a sizing pass, for fragmented headers; empty otherwise. */
    final List<Duration> plannedDurations;

    Run(
        ClipRequest request,
        Targets targets,
        ClipProgress progress,
        boolean sizing,
        List<Duration> plannedDurations) {
      this.sizing = sizing;
      this.plannedDurations = plannedDurations;
      this.request = request;
      this.targets = targets;
      this.progress = progress;
      this.rows = gapRows(request);
      this.cursor = request.from();
    }

    ClipReport run() throws IOException {
      if (request.gaps() == GapPolicy.FAIL) {
        List<ClipGap> holes = indexGaps(request);
        if (!holes.isEmpty()) {
          throw new ClipGapException(
              describe(holes.size() + " gap(s) in the range, the first "
                  + holes.get(0).start() + ".." + holes.get(0).end() + " ("
                  + holes.get(0).cause().jsonName() + ")"),
              holes);
        }
      }
      Optional<SegmentSpan> after = Optional.empty();
      try (ReadAhead ahead = new ReadAhead()) {
        while (true) {
          List<SegmentSpan> page =
              store.segments().spans(request.cameraId(), request.from(), request.to(), PAGE, after);
          ahead.page(page);
          for (int i = 0; i < page.size(); i++) {
            segment(ahead.take(i));
          }
          if (page.size() < PAGE) {
            break;
          }
          after = Optional.of(page.get(page.size() - 1));
        }
      }
      if (Duration.between(cursor, request.to()).compareTo(tolerance) > 0) {
        gap(hole(cursor, request.to(), rows));
      }
      endPart();
      if (parts.isEmpty()) {
        throw new NoFootageException(
            describe("no footage can be read in the range"
                + (gaps.isEmpty()
                    ? ""
                    : ": " + gaps.size() + " gap(s), the first "
                        + gaps.get(0).cause().jsonName() + " (" + gaps.get(0).detail() + ")")),
            gaps);
      }
      return new ClipReport(request, parts, gaps, sources, leftOut, clock.instant());
    }

    String describe(String what) {
      return "clip of " + request.cameraId() + " " + request.from() + ".." + request.to() + ": "
          + what;
    }

    void gap(ClipGap g) throws IOException {
      if (request.gaps() == GapPolicy.FAIL) {
        throw new ClipGapException(
            describe(g.cause().jsonName() + " footage at " + g.start() + ".." + g.end() + ": "
                + g.detail()),
            List.of(g));
      }
      gaps.add(g);
      if (request.gaps() == GapPolicy.SPLIT) {
        endPart();
      }
    }

    void segment(Opened o) throws IOException {
      SegmentSpan span = o.span();
      try {
        if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
          throw new ClipException(describe("stopped before it was finished; nothing was kept"));
        }
        if (!span.end().isAfter(cursor)) {
          leftOut.add(new ClipReport.LeftOut(
              span.path(), "its footage was already taken from an overlapping segment"));
          return;
        }
        if (Duration.between(cursor, span.start()).compareTo(tolerance) > 0) {
          gap(hole(cursor, span.start(), rows));
        }
        Instant lostFrom = span.start().isAfter(cursor) ? span.start() : cursor;
        if (o.file() == null) {
          gap(new ClipGap(
              lostFrom,
              span.end(),
              ClipGap.Cause.UNREADABLE,
              span.path() + ": the path leaves the recordings root"));
          cursor = span.end();
        } else if (o.channel() == null) {
          gap(new ClipGap(
              lostFrom, span.end(), ClipGap.Cause.LOST, span.path() + ": the file is gone"));
          cursor = span.end();
        } else {
          segment(span, o.file(), o.channel(), o.channel(), lostFrom, false, o);
        }
        segmentsRead++;
        progress.segmentDone(segmentsRead, bytesWritten + (output == null ? 0 : output.written()));
      } finally {
        o.close();
      }
    }

    /**
     * Takes a segment's samples from {@code ch} ({@code file}); {@code original} is the indexed
     * file (the same, unless it was remuxed into {@code file}), whose size and hash are reported.
     */
    private void segment(
        SegmentSpan span,
        Path file,
        FileChannel ch,
        FileChannel original,
        Instant lostFrom,
        boolean remuxed,
        Opened readAhead)
        throws IOException {
      SegmentMedia media;
      String unreadable = null;
      try {
        if (readAhead != null && readAhead.failure() != null) {
          throw readAhead.failure();
        }
        media = readAhead != null ? readAhead.media() : SegmentMedia.read(ch, window);
      } catch (Mp4Format.Unsupported e) {
        if (!remuxed && remuxer.isPresent()) {
          remux(span, file, original, lostFrom, e.getMessage());
          return;
        }
        media = null;
        unreadable = e.getMessage();
      } catch (Mp4Format.Truncated | Mp4Format.Malformed e) {
        media = null;
        unreadable = e.getMessage();
      } catch (RuntimeException e) {
        media = null; // whatever else a crafted file makes the reader throw is still its fault
        unreadable = "malformed: " + e;
      }
      SegmentMedia.Track video = media == null ? null : media.video();
      if (media != null && video == null) {
        unreadable = "no video track with samples";
      }
      if (video != null && video.timescale == 0) {
        unreadable = "video timescale 0";
      }
      if (unreadable != null) {
        gap(new ClipGap(
            lostFrom, span.end(), ClipGap.Cause.UNREADABLE, span.path() + ": " + unreadable));
        cursor = span.end();
        return;
      }
      SegmentMedia.Track audio = media.audio();
      if (audio != null && audio.timescale == 0) {
        audio = null;
      }
      Selection s = select(span, file, ch.size(), video, audio);
      if (s == null) {
        leftOut.add(new ClipReport.LeftOut(
            span.path(),
            "no sync sample of it starts in the range after the footage already taken"));
        return;
      }
      PartFormat next = new PartFormat(video, audio);
      String change = format == null ? null : format.differenceTo(next);
      if (change != null) {
        log.debug("Clip of {}: a new part at {}: {}", request.cameraId(), span.path(), change);
        endPart();
      }
      if (writer == null) {
        startPart(next);
      }
      s = placed(s);
      Optional<String> sha =
          sizing || !request.sourceHashes() ? Optional.empty() : Optional.of(sha256(original));
      int written = writer.add(s, ch);
      if (ch != original) {
        temporaries.add(file); // a remuxed copy: the part may read it again when it is written
      }
      int fragments = s.fragmentCount();
      if (written < fragments) {
        String why = ((FragmentedWriter) writer).stoppedBecause();
        if (written == 0) {
          gap(new ClipGap(
              lostFrom, span.end(), ClipGap.Cause.UNREADABLE, span.path() + ": " + why));
          cursor = span.end();
          return;
        }
        s = truncated(s, written);
      }
      double startSeconds = (double) s.video.pts(s.v0) / video.timescale;
      long mediaLength = s.videoEndDts() - s.videoDts(s.v0);
      Instant start = span.start().plus(nanos(startSeconds));
      Instant end = start.plus(nanos((double) mediaLength / video.timescale));
      Duration offset = nanos((double) s.videoBase / video.timescale);
      sources.add(new ClipSource(
          span.path(), original.size(), sha, partNumber, start, end, offset, s.v1 - s.v0));
      partFrames += s.v1 - s.v0;
      if (partStart == null) {
        partStart = start;
      }
      partEnd = end;
      videoCursor = s.videoEndDts();
      audioCursor = s.audio == null ? audioCursor : s.audioEndDts();
      if (written < fragments) {
        Instant stop = end.isAfter(lostFrom) ? end : lostFrom;
        if (span.end().isAfter(stop)) {
          gap(new ClipGap(
              stop,
              span.end(),
              ClipGap.Cause.UNREADABLE,
              span.path() + ": " + ((FragmentedWriter) writer).stoppedBecause()));
        }
        cursor = span.end();
        return;
      }
      if (end.isAfter(cursor)) {
        cursor = end.isAfter(span.end()) ? span.end() : end;
      }
    }

    /**
     * Opens a segment and reads its tables, on the read-ahead pool: the path checked against the
     * root (null file: it leaves it), the file opened (null channel: it is gone), its tables read
     * or why not.
     */
    Opened open(SegmentSpan span) {
      Path file = resolve(span.path());
      if (file == null) {
        return new Opened(span, null, null, null, null);
      }
      FileChannel ch;
      try {
        ch = FileChannel.open(file, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        // Not in the recordings root: moved to a further tier (before this clip, or since its
        // rows were read; a move commits the new location before it unlinks the source).
        Optional<Path> moved = relocated(span.path());
        if (moved.isEmpty()) {
          return new Opened(span, file, null, null, null);
        }
        try {
          file = moved.get();
          ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException again) {
          return new Opened(span, file, null, null, null);
        }
      } catch (IOException e) {
        return new Opened(span, file, null, null, null);
      }
      try {
        return new Opened(span, file, ch, SegmentMedia.read(ch, READ_WINDOW.get()), null);
      } catch (RuntimeException e) {
        return new Opened(span, file, ch, null, e);
      } catch (IOException e) {
        return new Opened(
            span, file, ch, null, new Mp4Format.Truncated("cannot be read: " + e.getMessage()));
      }
    }

    /**
     * The segments of a page opened and read {@link #READ_AHEAD} ahead of their turn on two
     * threads, so reading one segment's tables overlaps copying another; what was opened and not
     * taken is closed.
     */
    private final class ReadAhead implements AutoCloseable {
      private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "heldar-clip-read");
        t.setDaemon(true);
        return t;
      });
      private final Map<Integer, Future<Opened>> pending = new HashMap<>();
      private List<SegmentSpan> page = List.of();

      void page(List<SegmentSpan> spans) {
        drop();
        page = spans;
        for (int i = 0; i < Math.min(READ_AHEAD, spans.size()); i++) {
          submit(i);
        }
      }

      private void submit(int i) {
        SegmentSpan span = page.get(i);
        pending.put(i, pool.submit(() -> open(span)));
      }

      Opened take(int i) throws IOException {
        if (i + READ_AHEAD < page.size()) {
          submit(i + READ_AHEAD);
        }
        Future<Opened> f = pending.remove(i);
        try {
          return f.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ClipException(describe("interrupted; nothing was kept"));
        } catch (ExecutionException e) {
          throw new IOException(
              "reading " + page.get(i).path() + " failed: " + e.getCause(), e.getCause());
        }
      }

      private void drop() {
        for (Future<Opened> f : pending.values()) {
          try {
            f.get().close();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (ExecutionException e) {
            // nothing was opened
          } catch (IOException e) {
            log.debug(
                "Clip of {}: closing a segment read ahead: {}", request.cameraId(), e.toString());
          }
        }
        pending.clear();
      }

      @Override
      public void close() {
        drop();
        pool.shutdownNow();
      }
    }

    /** Hands the segment to the remuxer and takes its samples from what it wrote. */
    private void remux(
        SegmentSpan span, Path file, FileChannel original, Instant lostFrom, String why)
        throws IOException {
      Path temp = Files.createTempFile(spoolDir, "heldar-remux-", ".mp4");
      try {
        try {
          remuxer.orElseThrow().remux(file, temp);
        } catch (IOException e) {
          gap(new ClipGap(
              lostFrom,
              span.end(),
              ClipGap.Cause.UNREADABLE,
              span.path() + ": " + why + "; remuxing failed: " + e.getMessage()));
          cursor = span.end();
          return;
        }
        log.debug("Clip of {}: {} remuxed ({})", request.cameraId(), span.path(), why);
        try (FileChannel t = FileChannel.open(temp, StandardOpenOption.READ)) {
          segment(span, temp, t, original, lostFrom, true, null);
        }
      } finally {
        if (!temporaries.contains(temp)) {
          Files.deleteIfExists(temp); // not taken into a part
        }
      }
    }

    /** Samples of the segment in the range, cut into fragments; null when none. */
    private Selection select(
        SegmentSpan span, Path file, long size, SegmentMedia.Track v, SegmentMedia.Track a) {
      double from = seconds(Duration.between(span.start(), request.from()));
      double resume = seconds(Duration.between(span.start(), cursor));
      double to = seconds(Duration.between(span.start(), request.to()));
      int v0 = -1;
      if (firstSegment && from > 0) {
        for (int i = 0; i < v.count; i++) {
          if (v.sync[i] && (double) v.pts(i) / v.timescale <= from + 1e-9) {
            v0 = i; // the last sync sample at or before the start
          }
        }
      }
      if (v0 < 0) {
        // From the first sync sample; after an overlap, the first one not already delivered.
        double notBefore = firstSegment ? Double.NEGATIVE_INFINITY : resume - 1e-3;
        for (int i = 0; i < v.count && v0 < 0; i++) {
          if (v.sync[i] && (double) v.pts(i) / v.timescale >= notBefore) {
            v0 = i;
          }
        }
      }
      if (v0 < 0) {
        return null;
      }
      double startPts = (double) v.pts(v0) / v.timescale;
      int v1 = v0 + 1;
      while (v1 < v.count && startPts + (double) (v.dts[v1] - v.dts[v0]) / v.timescale < to) {
        v1++;
      }
      // Frames presented before the last one taken (B-frames after it in decode order) are taken
      // too: the clip presents every frame between its first and last, with no hole to drop.
      long lastPts = Long.MIN_VALUE;
      for (int i = v0; i < v1; i++) {
        lastPts = Math.max(lastPts, v.pts(i));
      }
      while (v1 < v.count && !v.sync[v1] && v.pts(v1) < lastPts) {
        v1++;
      }
      if (startPts >= to) {
        return null;
      }
      firstSegment = false;
      // Fragments: at sync samples once a second is in, or anywhere when one grows too large.
      List<Integer> cuts = new ArrayList<>();
      cuts.add(v0);
      long bytes = 0;
      int fragmentStart = v0;
      for (int i = v0; i < v1; i++) {
        boolean cut = i > fragmentStart
            && ((v.sync[i]
                    && (double) (v.dts[i] - v.dts[fragmentStart]) / v.timescale >= FRAGMENT_SECONDS)
                || bytes + v.size[i] > FRAGMENT_MAX_BYTES
                || i - fragmentStart >= FRAGMENT_MAX_SAMPLES);
        if (cut) {
          cuts.add(i);
          fragmentStart = i;
          bytes = 0;
        }
        bytes += v.size[i];
      }
      int[] fragments = cuts.stream().mapToInt(Integer::intValue).toArray();
      int a0 = 0;
      int a1 = 0;
      int[] audioStarts = new int[fragments.length];
      if (a != null) {
        // Sound from the first video frame's time to the last one's end, in the same fragments.
        double first = (double) v.dts[v0] / v.timescale;
        double last =
            first + (double) (v.dts[v1 - 1] + v.duration[v1 - 1] - v.dts[v0]) / v.timescale;
        a0 = 0;
        while (a0 < a.count && (double) a.dts[a0] / a.timescale < first - 1e-9) {
          a0++;
        }
        a1 = a0;
        while (a1 < a.count && (double) a.dts[a1] / a.timescale < last - 1e-9) {
          a1++;
        }
        int k = a0;
        for (int f = 0; f < fragments.length; f++) {
          double at = (double) v.dts[fragments[f]] / v.timescale;
          while (f > 0 && k < a1 && (double) a.dts[k] / a.timescale < at - 1e-9) {
            k++;
          }
          audioStarts[f] = k;
        }
      }
      return new Selection(
          file,
          size,
          v,
          a != null && a1 > a0 ? a : null,
          v0,
          v1,
          a0,
          a1,
          0,
          0,
          fragments,
          audioStarts,
          0,
          0);
    }

    /**
     * The selection placed after what the part holds, so time runs on across the boundary; the
     * sound starts with the video (or right after the sound before it), so they stay in step.
     */
    private Selection placed(Selection s) {
      long audioBase = 0;
      if (s.audio != null) {
        long withVideo = Selection.scale(videoCursor, format.videoTimescale, format.audioTimescale);
        audioBase = Math.max(audioCursor, withVideo);
      }
      return new Selection(
          s.file,
          s.fileSize,
          s.video,
          s.audio,
          s.v0,
          s.v1,
          s.a0,
          s.a1,
          videoCursor,
          audioBase,
          s.fragments,
          s.audioStarts,
          format.videoTimescale,
          format.audioTimescale);
    }

    private Selection truncated(Selection s, int fragments) {
      int v1 = s.fragments.length > fragments ? s.fragments[fragments] : s.v1;
      int a1 =
          s.audio == null ? 0 : s.audioStarts.length > fragments ? s.audioStarts[fragments] : s.a1;
      return new Selection(
          s.file,
          s.fileSize,
          s.video,
          s.audio,
          s.v0,
          v1,
          s.a0,
          a1,
          s.videoBase,
          s.audioBase,
          java.util.Arrays.copyOf(s.fragments, fragments),
          java.util.Arrays.copyOf(s.audioStarts, fragments),
          s.videoTimescale,
          s.audioTimescale);
    }

    private void startPart(PartFormat next) throws IOException {
      partNumber++;
      format = next;
      Optional<ClipOutput> target = targets.open(partNumber);
      output = sizing ? ClipOutput.counting() : target.orElseGet(ClipOutput::discarding);
      if (sizing) {
        target.ifPresent(ClipOutput::abandon);
      }
      Duration planned = partNumber <= plannedDurations.size()
          ? plannedDurations.get(partNumber - 1)
          : Duration.ZERO;
      writer = request.format() == ClipFormat.FRAGMENTED_MP4
          ? new FragmentedWriter(output, next, planned, sizing)
          : new ProgressiveWriter(output, next, spoolDir, sizing);
      videoCursor = 0;
      audioCursor = 0;
      partFrames = 0;
      partStart = null;
      partEnd = null;
      targetWritten = target.isPresent();
    }

    boolean targetWritten;

    void endPart() throws IOException {
      if (writer == null) {
        return;
      }
      try {
        writer.finish();
      } finally {
        releaseWriter();
      }
      Optional<String> sha = sizing ? Optional.empty() : Optional.of(output.sha256Hex());
      Optional<String> name = targets.done(partNumber, output);
      bytesWritten += output.written();
      parts.add(new ClipPart(
          partNumber,
          name,
          partStart,
          partEnd,
          nanos((double) videoCursor / format.videoTimescale),
          partFrames,
          format.videoCodec,
          format.width,
          format.height,
          Optional.ofNullable(format.audioCodec),
          targetWritten ? Optional.of(output.written()) : Optional.empty(),
          targetWritten ? sha : Optional.empty()));
      writer = null;
      output = null;
      format = null;
    }

    /** Ends the run: the open part's spool, remuxed copies and hashing thread are released. */
    void closeWriter() {
      if (output != null) {
        output.abandon(); // an unfinished hash's thread ends
      }
      releaseWriter();
    }

    /** Releases the open part's spooled tables and remuxed copies. */
    void releaseWriter() {
      if (writer instanceof ProgressiveWriter p) {
        p.close();
      }
      for (Path t : temporaries) {
        try {
          Files.deleteIfExists(t);
        } catch (IOException e) {
          log.warn(
              "Clip of {}: cannot remove the remuxed file {}: {}",
              request.cameraId(),
              t,
              e.toString());
        }
      }
      temporaries.clear();
    }

    /**
     * Where the index says the segment at {@code path} lives now, when that is a further tier: its
     * file under that tier's root, which no link leads out of.
     */
    private Optional<Path> relocated(String path) {
      if (!tiers.hasFurtherTiers()) {
        return Optional.empty();
      }
      try {
        Optional<io.heldar.core.model.Segment> row = store.segments().findByPath(path);
        if (row.isEmpty() || row.get().tier().isEmpty()) {
          return Optional.empty();
        }
        io.heldar.core.tier.StorageTier tier = tiers.tierOf(row.get());
        Path p = io.heldar.core.tier.StorageTiers.resolve(tier, path);
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)
            && !p.toRealPath().startsWith(tier.root().toRealPath())) {
          return Optional.empty();
        }
        return Optional.of(p);
      } catch (IOException | RuntimeException e) {
        log.warn(
            "Clip: segment {} is not in the recordings root and cannot be found elsewhere: {}",
            path,
            e.toString());
        return Optional.empty();
      }
    }

    /** The segment's path under the root, or null if it would leave the root. */
    private Path resolve(String relative) {
      Path p = root.resolve(relative).normalize();
      if (!p.startsWith(root)) {
        return null;
      }
      try {
        if (realRoot == null) {
          realRoot = root.toRealPath();
        }
        // A symbolic link (of the file or a directory) may not lead out of the root.
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !p.toRealPath().startsWith(realRoot)) {
          return null;
        }
      } catch (IOException e) {
        return p; // gone or unreadable: opening it says which
      }
      return p;
    }

    /** The root with its links resolved, once per clip (read-ahead threads share it). */
    private volatile Path realRoot;

    private String sha256(FileChannel ch) throws IOException {
      MessageDigest d = ClipOutput.sha256();
      InputStream in = Channels.newInputStream(ch.position(0));
      int n;
      while ((n = in.read(hashBuffer)) > 0) {
        d.update(hashBuffer, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    }
  }

  private static double seconds(Duration d) {
    return d.getSeconds() + d.getNano() / 1e9;
  }

  private static Duration nanos(double seconds) {
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }
}
