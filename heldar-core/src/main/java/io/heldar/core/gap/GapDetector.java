package io.heldar.core.gap;

import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.gap.internal.NeighbourGapDetector;
import io.heldar.core.internal.Checks;
import io.heldar.core.model.GapCause;
import io.heldar.core.model.Segment;
import io.heldar.core.store.HeldarStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Finds the holes in a camera's recording and keeps {@code recording_gaps} equal to them.
 *
 * <p>A hole is a stretch longer than the {@linkplain Options#threshold() threshold} between the end
 * of the footage before it and the start of the footage after it. The open gaps are a function of
 * the set of indexed segments, whatever order the files arrived in: late footage inside an open
 * gap shrinks or splits it; footage covering it entirely marks it {@code filled} and raises {@code
 * recording_gap_filled}. A new hole raises one {@code recording_gap} event. The pieces of a split
 * gap keep the gap's identity for the first piece and add rows for the others without raising
 * another {@code recording_gap} event: no new hole appeared.
 */
public interface GapDetector {

  /**
   * Reconciles the gaps around newly indexed segments. Runs inside the caller's store transaction
   * (if any) and returns the events it recorded, for the caller to pass to listeners after commit.
   */
  List<HeldarEvent> onSegmentsIndexed(String cameraId, List<Segment> added);

  /**
   * Reconciles the gaps around segments just deleted (by retention): holes they leave between the
   * remaining footage become gaps with {@code cause}, absorbing the gaps inside them, and raise no
   * event; gaps before the camera's first remaining footage are dropped. Runs inside the caller's
   * transaction; call it after the rows are deleted.
   */
  void onSegmentsRemoved(String cameraId, List<Segment> removed, GapCause cause);

  /**
   * Recomputes a camera's gaps over {@code [from, to]} (widened to the neighbouring footage) in its
   * own transaction, and notifies listeners. Returns the events raised.
   */
  List<HeldarEvent> recompute(String cameraId, Instant from, Instant to);

  /**
   * Cluster mode: the camera is pinned to storage node {@code nodeId}, which is down. Opens the
   * camera's {@link GapCause#NODE_DOWN} gap from the end of its last indexed footage ({@code
   * downSince} when it has none) to now, or stretches the open one to now. Runs inside the caller's
   * transaction (if any) and returns the events it recorded ({@code storage_node_down} when the gap
   * opens), for the caller to pass to listeners after commit. Node-down gaps are not holes between segments: indexing and retention leave them
   * alone.
   */
  List<HeldarEvent> onStorageNodeDown(String cameraId, String nodeId, Instant downSince);

  /**
   * Cluster mode: {@code nodeId}'s index of the camera has caught up with its disk (a complete
   * listing was indexed). Closes (marks filled) the camera's open {@link GapCause#NODE_DOWN} gap,
   * if any; the holes really left in that stretch are {@code missing} gaps found by indexing. Runs
   * inside the caller's transaction (if any) and returns the events it recorded ({@code
   * storage_node_caught_up}), for the caller to pass to listeners after commit.
   */
  List<HeldarEvent> onCaughtUp(String cameraId, String nodeId);

  /** A detector on {@code store}. */
  static GapDetector create(
      HeldarStore store, EventPublisher events, Clock clock, Options options) {
    return new NeighbourGapDetector(store, events, clock, options);
  }

  /**
   * Detector settings: immutable, every value checked once, here. Start from {@link #DEFAULTS} or
   * {@link #builder()}, change one value of an existing configuration with {@link #from(Options)};
   * pass it to {@code IndexingOptions.builder().gaps(…)}.
   *
   * @param threshold holes longer than this are gaps
   * @param overlapTolerance a segment starting before the previous one ends by more than this
   *     raises {@code segment_overlap}
   */
  record Options(Duration threshold, Duration overlapTolerance) {
    /** Default gap threshold: 3 s. */
    public static final Duration DEFAULT_THRESHOLD = Duration.ofSeconds(3);
    /** Default overlap tolerance: 0.5 s. */
    public static final Duration DEFAULT_OVERLAP_TOLERANCE = Duration.ofMillis(500);
    /** The defaults. */
    public static final Options DEFAULTS =
        new Options(DEFAULT_THRESHOLD, DEFAULT_OVERLAP_TOLERANCE);

    /** Checks every value, each by its one rule below, with the value in the message. */
    public Options {
      checkThreshold(threshold);
      checkOverlapTolerance(overlapTolerance);
    }

    private static Duration checkThreshold(Duration d) {
      return Checks.positive("gap threshold", d);
    }

    private static Duration checkOverlapTolerance(Duration d) {
      return Checks.notNegative("overlap tolerance", d);
    }

    /** A copy with another threshold. */
    public Options withThreshold(Duration t) {
      return from(this).threshold(t).build();
    }

    /** A builder starting from {@link #DEFAULTS}. */
    public static Builder builder() {
      return new Builder(DEFAULTS);
    }

    /** A builder starting from {@code options}. */
    public static Builder from(Options options) {
      return new Builder(Objects.requireNonNull(options, "options"));
    }

    /** Builds {@link Options}; each setter checks its value at once, by the record's rule. */
    public static final class Builder {
      private Duration threshold;
      private Duration overlapTolerance;

      private Builder(Options start) {
        threshold = start.threshold;
        overlapTolerance = start.overlapTolerance;
      }

      /** See {@link #DEFAULT_THRESHOLD}; positive. */
      public Builder threshold(Duration v) {
        threshold = checkThreshold(v);
        return this;
      }

      /** See {@link #DEFAULT_OVERLAP_TOLERANCE}; zero or positive. */
      public Builder overlapTolerance(Duration v) {
        overlapTolerance = checkOverlapTolerance(v);
        return this;
      }

      /** The configuration. */
      public Options build() {
        return new Options(threshold, overlapTolerance);
      }
    }
  }
}
