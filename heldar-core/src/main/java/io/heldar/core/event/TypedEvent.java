package io.heldar.core.event;

import io.heldar.core.event.internal.EventCodec;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.Severity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Every event Heldar raises, as a record of its own: pattern-match on {@link HeldarEvent#typed()}
 * instead of reading payload keys by name.
 *
 * <pre>{@code // Java 21 switch patterns; on 17, instanceof patterns
 * switch (event.typed()) {
 *   case TypedEvent.GapOpened g -> pager.alert(event.cameraId(), g.gapSeconds());
 *   case TypedEvent.SnapshotFailed f when f.timedOut() -> camerasToCheck.add(event.cameraId());
 *   default -> {}
 * }
 * }</pre>
 *
 * <p>Each record knows its {@link #kind()}, {@link #severity()} and {@link #payload()}; the payload
 * is exactly the JSON object stored in {@code events.payload}, key for key and in order (see
 * {@code docs/schema.md}). {@link #decode} turns any stored event back into its record, and into
 * {@link Unrecognised} when the kind is not one of these or its payload lacks what the record
 * needs (a row written by another tool or version): decoding never throws.
 */
public sealed interface TypedEvent {
  /** The {@code events.kind} value, from the one table of kinds and keys. */
  default String kind() {
    return EventCodec.kindOf(this);
  }

  /** How much it matters. */
  Severity severity();

  /**
   * The payload, in the stored key order: the record's components under the keys of the one table
   * ({@code io.heldar.core.event.internal.EventCodec}), each spelled once.
   */
  default Map<String, Object> payload() {
    return EventCodec.payload(this);
  }

  /** A hole longer than the gap threshold opened in a camera's recording ({@value EventKinds#RECORDING_GAP}). */
  record GapOpened(long gapId, double gapSeconds, Instant previousEnd, Instant nextStart)
      implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.WARNING;
    }
  }

  /** Late footage covered an open gap entirely ({@value EventKinds#RECORDING_GAP_FILLED}). */
  record GapFilled(long gapId, double gapSeconds, Instant previousEnd, Instant nextStart)
      implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.INFO;
    }
  }

  /** A segment starts before the previous one ends ({@value EventKinds#SEGMENT_OVERLAP}). */
  record SegmentOverlap(
      String path, String overlapsPath, double overlapSeconds, Instant start, Instant previousEnd)
      implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.WARNING;
    }
  }

  /** An indexed file changed and its row was replaced ({@value EventKinds#SEGMENT_CHANGED}). */
  record SegmentChanged(
      String path, Optional<Instant> oldEnd, OptionalLong oldSizeBytes, Instant end, long sizeBytes)
      implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.INFO;
    }
  }

  /** A segment file could not be probed ({@value EventKinds#SEGMENT_UNREADABLE}). */
  record SegmentUnreadable(String path, String file, String reason, long sizeBytes)
      implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.WARNING;
    }
  }

  /** An indexed segment's file vanished ({@value EventKinds#SEGMENT_MISSING}). */
  record SegmentMissing(String path, String file, Instant start, Instant end)
      implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.WARNING;
    }
  }

  /** A missing segment's file came back unchanged ({@value EventKinds#SEGMENT_RESTORED}). */
  record SegmentRestored(String path, Instant start, Instant end) implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.INFO;
    }
  }

  /** A camera's files seem gone at once; nothing was marked ({@value EventKinds#STORAGE_UNAVAILABLE}). */
  record StorageUnavailable(
      String reason, long vanished, long indexed, String examples, String action)
      implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.ERROR;
    }
  }

  /** The indexer found a camera in the recorder's layout and registered it ({@value EventKinds#CAMERA_REGISTERED}). */
  record CameraRegistered(String cameraId, String recorderName) implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.INFO;
    }
  }

  /** Recorder camera names that map to one camera id ({@value EventKinds#CAMERA_ID_CONFLICT}). */
  record CameraIdConflict(String cameraId, String recorderNames) implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.ERROR;
    }
  }

  /**
   * A directory (or the camera part of a path) under the root whose name cannot be a camera: its
   * files are not indexed, every other camera is ({@value EventKinds#CAMERA_NAME_REJECTED}). The
   * name is as on disk: escape it ({@link io.heldar.core.model.PrintableText}) before printing it.
   */
  record CameraNameRejected(String recorderName, String reason) implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.WARNING;
    }
  }

  /** A camera's directory could not be scanned ({@value EventKinds#CAMERA_SCAN_FAILED}). */
  record CameraScanFailed(String root, String reason) implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.ERROR;
    }
  }

  /**
   * A snapshot slot whose capture failed ({@value EventKinds#SNAPSHOT_FAILED}). {@code cause} says
   * whose the failure was: {@value #CAUSE_CAMERA} (the source failed or timed out) or {@value
   * #CAUSE_SATURATED} (the capture never started: every capture thread of Heldar was busy, the
   * camera was not asked); the stored payload carries {@code cause} only for the latter.
   */
  record SnapshotFailed(
      long scheduleId, Instant slot, String reason, boolean timedOut, String cause)
      implements TypedEvent {
    /** The source failed or timed out. */
    public static final String CAUSE_CAMERA = "camera";
    /** Heldar was saturated: the capture never started. */
    public static final String CAUSE_SATURATED = "saturated";

    /** Validates. */
    public SnapshotFailed {
      Objects.requireNonNull(cause, "cause");
    }

    /** A failure of the camera. */
    public SnapshotFailed(long scheduleId, Instant slot, String reason, boolean timedOut) {
      this(scheduleId, slot, reason, timedOut, CAUSE_CAMERA);
    }

    @Override
    public Severity severity() {
      return Severity.WARNING;
    }
  }

  /** Snapshot rows whose file is gone ({@value EventKinds#SNAPSHOT_FILE_MISSING}). */
  record SnapshotFileMissing(long count, String firstPath, Optional<String> reason)
      implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.WARNING;
    }
  }

  /** A retention sweep refused (or, forced, went ahead despite) a camera ({@value EventKinds#RETENTION_REFUSED}). */
  record RetentionRefused(String reason, boolean forced) implements TypedEvent {
    @Override
    public Severity severity() {
      return forced ? Severity.WARNING : Severity.ERROR;
    }
  }

  /**
   * The forecast says the camera's age limit will not hold: the recordings file system fills at
   * {@code breaksAt} at the current rates ({@value EventKinds#RETENTION_GUARANTEE_AT_RISK}).
   *
   * @param keepsDays the age limit, in days
   * @param holdsDays the days it would keep at steady state, or -1 when that is unknown
   * @param breaksAt when the file system's free-space floor is reached
   * @param bytesPerDay what the camera records a day
   * @param root the recordings root
   */
  record RetentionGuaranteeAtRisk(
      double keepsDays, double holdsDays, Instant breaksAt, double bytesPerDay, String root)
      implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.WARNING;
    }
  }

  /**
   * Footage fetched from the camera's own storage was written into a gap ({@value
   * EventKinds#GAP_HEALED}); the indexer indexes it like any segment, which closes the gap.
   *
   * @param from where the healed footage starts (the gap's side it was asked from)
   * @param to where it ends
   * @param seconds its length
   * @param partial the edge had less than was asked for; the rest stays a gap
   * @param path the file, relative to the recordings root
   * @param source where it was fetched from ({@code EdgeSource.describe}: no credentials)
   */
  record GapHealed(
      Instant from, Instant to, double seconds, boolean partial, String path, String source)
      implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.INFO;
    }
  }

  /**
   * A range of a gap was not healed from the camera's own storage ({@value
   * EventKinds#GAP_HEAL_FAILED}).
   *
   * @param from the range asked for
   * @param to its end
   * @param code {@code edge_has_no_footage}, {@code edge_unreachable}, {@code
   *     edge_footage_rejected}, or {@code heal_error} (an unexpected error in Heldar or its
   *     store, named in the reason)
   * @param reason the detail
   * @param tries tries of this range so far
   * @param givenUp no more tries: the range stays a gap
   */
  record GapHealFailed(
      Instant from, Instant to, String code, String reason, long tries, boolean givenUp)
      implements TypedEvent {
    @Override
    public Severity severity() {
      return givenUp ? Severity.WARNING : Severity.INFO;
    }
  }

  /**
   * A segment's file could not be moved to the next storage tier ({@value
   * EventKinds#TIER_MOVE_FAILED}); it stays where it was and the move is tried again next round.
   *
   * @param path the segment's path
   * @param from the tier it lives on
   * @param to the tier it was to move to
   * @param reason why (the copy did not verify, the source changed while copied, an I/O error)
   */
  record TierMoveFailed(String path, String from, String to, String reason) implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.WARNING;
    }
  }

  /**
   * A storage tier cannot be used ({@value EventKinds#STORAGE_TIER_UNAVAILABLE}): moves to and from
   * it wait, nothing on it is marked lost. Raised once, until {@link StorageTierAvailable}.
   *
   * @param tier the tier's name
   * @param root its root
   * @param reason why (root missing, marker missing: unmounted?, not writable)
   * @param waiting segments waiting to move to it this round
   */
  record StorageTierUnavailable(String tier, String root, String reason, long waiting)
      implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.ERROR;
    }
  }

  /** A storage tier is usable again ({@value EventKinds#STORAGE_TIER_AVAILABLE}). */
  record StorageTierAvailable(String tier, String root) implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.INFO;
    }
  }

  /**
   * A file retention meant to delete could not be deleted, or (with the {@code table} it is in) an
   * index row it cannot read and leaves alone ({@value EventKinds#RETENTION_FAILED}).
   */
  record RetentionFailed(Optional<String> table, String path, String reason) implements TypedEvent {
    /** A file of the index that could not be deleted. */
    public RetentionFailed(String path, String reason) {
      this(Optional.empty(), path, reason);
    }

    @Override
    public Severity severity() {
      return Severity.WARNING;
    }
  }

  /** A periodic task threw ({@value EventKinds#TASK_FAILED}). */
  record TaskFailed(String task, String error, long consecutiveFailures) implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.ERROR;
    }
  }

  /**
   * Slots of a schedule passed without a capture ({@value EventKinds#SNAPSHOT_MISSED}); {@code
   * cause} is {@code failover} for the slots a camera's capture lease was between nodes, else why
   * the grid skipped them.
   */
  record SnapshotMissed(long scheduleId, long missed, String cause, Instant nextSlot)
      implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.WARNING;
    }
  }

  /** Cluster mode: {@code nodeId} took the camera's {@code duty} lease ({@value EventKinds#LEASE_ACQUIRED}). */
  record LeaseAcquired(String duty, String nodeId, long epoch) implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.INFO;
    }
  }

  /**
   * Cluster mode: {@code nodeId} lost the camera's {@code duty} lease at {@code epoch}, or the fence
   * rejected a write of it ({@value EventKinds#LEASE_LOST}).
   */
  record LeaseLost(String duty, String nodeId, long epoch, String reason) implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.WARNING;
    }
  }

  /**
   * Cluster mode: {@code nodeId}'s clock is {@code offsetMillis} off the database's, more than
   * {@code limitMillis}; it stops capturing until it is back within ({@value EventKinds#CLOCK_SKEW}).
   */
  record ClockSkew(String nodeId, long offsetMillis, long limitMillis) implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.ERROR;
    }
  }

  /**
   * Cluster mode: the camera is pinned to storage node {@code nodeId}, which is down; gap {@code
   * gapId} (cause {@code node_down}) is open from {@code since}, the end of its last indexed footage
   * ({@value EventKinds#STORAGE_NODE_DOWN}). Raised once, when the gap opens.
   */
  record StorageNodeDown(String nodeId, long gapId, Instant since) implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.WARNING;
    }
  }

  /**
   * Cluster mode: storage node {@code nodeId} is back and its index of the camera has caught up;
   * the {@code node_down} gap {@code gapId}, {@code since} .. {@code until}, is closed (holes really
   * left in that stretch are {@code missing} gaps of their own) ({@value
   * EventKinds#STORAGE_NODE_CAUGHT_UP}).
   */
  record StorageNodeCaughtUp(String nodeId, long gapId, Instant since, Instant until)
      implements TypedEvent {
    @Override
    public Severity severity() {
      return Severity.INFO;
    }
  }

  /**
   * An event of a kind this version does not know, or whose payload lacks what its record needs
   * (written by another tool or version): kept as stored.
   */
  record Unrecognised(String kind, Severity severity, Map<String, Object> payload)
      implements TypedEvent {
    /**
     * Checks the kind ({@code [a-z][a-z0-9_]{0,63}}) and that every payload value is a string, a
     * finite number or a boolean; freezes the payload (insertion order kept).
     */
    public Unrecognised {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(severity, "severity");
      Objects.requireNonNull(payload, "payload");
      if (!kind.matches("[a-z][a-z0-9_]{0,63}")) {
        throw new IllegalArgumentException("invalid event kind: " + kind);
      }
      Map<String, Object> copy = new LinkedHashMap<>();
      payload.forEach((k, v) -> {
        Objects.requireNonNull(k, "payload key");
        Objects.requireNonNull(v, () -> "payload value for " + k);
        if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
          throw new IllegalArgumentException(
              "payload value for " + k + " must be a string, number or boolean");
        }
        if ((v instanceof Double d && !Double.isFinite(d))
            || (v instanceof Float f && !Float.isFinite(f))) {
          throw new IllegalArgumentException("payload value for " + k + " must be finite");
        }
        copy.put(k, v);
      });
      payload = java.util.Collections.unmodifiableMap(copy);
    }
  }

  /**
   * The record of a stored event: the codec's reading side, the inverse of {@link #payload()}.
   * Never throws; anything it cannot read is {@link Unrecognised}.
   */
  static TypedEvent decode(String kind, Severity severity, Map<String, Object> payload) {
    return EventCodec.decode(kind, severity, payload);
  }
}
