package io.heldar.core.event;

import io.heldar.core.model.EventKinds;
import io.heldar.core.model.HeldarEvent;
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
  /** The {@code events.kind} value. */
  String kind();

  /** How much it matters. */
  Severity severity();

  /** The payload, in the stored key order. */
  Map<String, Object> payload();

  /** A hole longer than the gap threshold opened in a camera's recording ({@value EventKinds#RECORDING_GAP}). */
  record GapOpened(long gapId, double gapSeconds, Instant previousEnd, Instant nextStart)
      implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.RECORDING_GAP;
    }

    @Override
    public Severity severity() {
      return Severity.WARNING;
    }

    @Override
    public Map<String, Object> payload() {
      return gapPayload(gapId, gapSeconds, previousEnd, nextStart);
    }
  }

  /** Late footage covered an open gap entirely ({@value EventKinds#RECORDING_GAP_FILLED}). */
  record GapFilled(long gapId, double gapSeconds, Instant previousEnd, Instant nextStart)
      implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.RECORDING_GAP_FILLED;
    }

    @Override
    public Severity severity() {
      return Severity.INFO;
    }

    @Override
    public Map<String, Object> payload() {
      return gapPayload(gapId, gapSeconds, previousEnd, nextStart);
    }
  }

  /** A segment starts before the previous one ends ({@value EventKinds#SEGMENT_OVERLAP}). */
  record SegmentOverlap(
      String path, String overlapsPath, double overlapSeconds, Instant start, Instant previousEnd)
      implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.SEGMENT_OVERLAP;
    }

    @Override
    public Severity severity() {
      return Severity.WARNING;
    }

    @Override
    public Map<String, Object> payload() {
      return new PayloadBuilder()
          .put("path", path)
          .put("overlaps_path", overlapsPath)
          .put("overlap_seconds", overlapSeconds)
          .put("start", start.toString())
          .put("previous_end", previousEnd.toString())
          .map();
    }
  }

  /** An indexed file changed and its row was replaced ({@value EventKinds#SEGMENT_CHANGED}). */
  record SegmentChanged(
      String path, Optional<Instant> oldEnd, OptionalLong oldSizeBytes, Instant end, long sizeBytes)
      implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.SEGMENT_CHANGED;
    }

    @Override
    public Severity severity() {
      return Severity.INFO;
    }

    @Override
    public Map<String, Object> payload() {
      PayloadBuilder p = new PayloadBuilder().put("path", path);
      oldEnd.ifPresent(t -> p.put("old_end", t.toString()));
      oldSizeBytes.ifPresent(n -> p.put("old_size_bytes", n));
      return p.put("end", end.toString()).put("size_bytes", sizeBytes).map();
    }
  }

  /** A segment file could not be probed ({@value EventKinds#SEGMENT_UNREADABLE}). */
  record SegmentUnreadable(String path, String file, String reason, long sizeBytes)
      implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.SEGMENT_UNREADABLE;
    }

    @Override
    public Severity severity() {
      return Severity.WARNING;
    }

    @Override
    public Map<String, Object> payload() {
      return new PayloadBuilder()
          .put("path", path)
          .put("file", file)
          .put("reason", reason)
          .put("size_bytes", sizeBytes)
          .map();
    }
  }

  /** An indexed segment's file vanished ({@value EventKinds#SEGMENT_MISSING}). */
  record SegmentMissing(String path, String file, Instant start, Instant end)
      implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.SEGMENT_MISSING;
    }

    @Override
    public Severity severity() {
      return Severity.WARNING;
    }

    @Override
    public Map<String, Object> payload() {
      return new PayloadBuilder()
          .put("path", path)
          .put("file", file)
          .put("start", start.toString())
          .put("end", end.toString())
          .map();
    }
  }

  /** A missing segment's file came back unchanged ({@value EventKinds#SEGMENT_RESTORED}). */
  record SegmentRestored(String path, Instant start, Instant end) implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.SEGMENT_RESTORED;
    }

    @Override
    public Severity severity() {
      return Severity.INFO;
    }

    @Override
    public Map<String, Object> payload() {
      return new PayloadBuilder()
          .put("path", path)
          .put("start", start.toString())
          .put("end", end.toString())
          .map();
    }
  }

  /** A camera's files seem gone at once; nothing was marked ({@value EventKinds#STORAGE_UNAVAILABLE}). */
  record StorageUnavailable(
      String reason, long vanished, long indexed, String examples, String action)
      implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.STORAGE_UNAVAILABLE;
    }

    @Override
    public Severity severity() {
      return Severity.ERROR;
    }

    @Override
    public Map<String, Object> payload() {
      return new PayloadBuilder()
          .put("reason", reason)
          .put("vanished", vanished)
          .put("indexed", indexed)
          .put("examples", examples)
          .put("action", action)
          .map();
    }
  }

  /** The indexer found a camera in the recorder's layout and registered it ({@value EventKinds#CAMERA_REGISTERED}). */
  record CameraRegistered(String cameraId, String recorderName) implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.CAMERA_REGISTERED;
    }

    @Override
    public Severity severity() {
      return Severity.INFO;
    }

    @Override
    public Map<String, Object> payload() {
      return new PayloadBuilder()
          .put("camera_id", cameraId)
          .put("recorder_name", recorderName)
          .map();
    }
  }

  /** Recorder camera names that map to one camera id ({@value EventKinds#CAMERA_ID_CONFLICT}). */
  record CameraIdConflict(String cameraId, String recorderNames) implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.CAMERA_ID_CONFLICT;
    }

    @Override
    public Severity severity() {
      return Severity.ERROR;
    }

    @Override
    public Map<String, Object> payload() {
      return new PayloadBuilder()
          .put("camera_id", cameraId)
          .put("recorder_names", recorderNames)
          .map();
    }
  }

  /**
   * A directory (or the camera part of a path) under the root whose name cannot be a camera: its
   * files are not indexed, every other camera is ({@value EventKinds#CAMERA_NAME_REJECTED}). The
   * name is as on disk: escape it ({@link io.heldar.core.model.PrintableText}) before printing it.
   */
  record CameraNameRejected(String recorderName, String reason) implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.CAMERA_NAME_REJECTED;
    }

    @Override
    public Severity severity() {
      return Severity.WARNING;
    }

    @Override
    public Map<String, Object> payload() {
      return new PayloadBuilder()
          .put("recorder_name", recorderName)
          .put("reason", reason)
          .map();
    }
  }

  /** A camera's directory could not be scanned ({@value EventKinds#CAMERA_SCAN_FAILED}). */
  record CameraScanFailed(String root, String reason) implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.CAMERA_SCAN_FAILED;
    }

    @Override
    public Severity severity() {
      return Severity.ERROR;
    }

    @Override
    public Map<String, Object> payload() {
      return new PayloadBuilder().put("root", root).put("reason", reason).map();
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
    public String kind() {
      return EventKinds.SNAPSHOT_FAILED;
    }

    @Override
    public Severity severity() {
      return Severity.WARNING;
    }

    @Override
    public Map<String, Object> payload() {
      PayloadBuilder b = new PayloadBuilder()
          .put("schedule_id", scheduleId)
          .put("slot", slot.toString())
          .put("reason", reason)
          .put("timed_out", timedOut);
      if (!cause.equals(CAUSE_CAMERA)) {
        b.put("cause", cause);
      }
      return b.map();
    }
  }

  /** Snapshot rows whose file is gone ({@value EventKinds#SNAPSHOT_FILE_MISSING}). */
  record SnapshotFileMissing(long count, String firstPath, Optional<String> reason)
      implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.SNAPSHOT_FILE_MISSING;
    }

    @Override
    public Severity severity() {
      return Severity.WARNING;
    }

    @Override
    public Map<String, Object> payload() {
      PayloadBuilder p = new PayloadBuilder().put("count", count).put("first_path", firstPath);
      reason.ifPresent(r -> p.put("reason", r));
      return p.map();
    }
  }

  /** A retention sweep refused (or, forced, went ahead despite) a camera ({@value EventKinds#RETENTION_REFUSED}). */
  record RetentionRefused(String reason, boolean forced) implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.RETENTION_REFUSED;
    }

    @Override
    public Severity severity() {
      return forced ? Severity.WARNING : Severity.ERROR;
    }

    @Override
    public Map<String, Object> payload() {
      return new PayloadBuilder().put("reason", reason).put("forced", forced).map();
    }
  }

  /** A file retention meant to delete could not be deleted ({@value EventKinds#RETENTION_FAILED}). */
  record RetentionFailed(String path, String reason) implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.RETENTION_FAILED;
    }

    @Override
    public Severity severity() {
      return Severity.WARNING;
    }

    @Override
    public Map<String, Object> payload() {
      return new PayloadBuilder().put("path", path).put("reason", reason).map();
    }
  }

  /** A periodic task threw ({@value EventKinds#TASK_FAILED}). */
  record TaskFailed(String task, String error, long consecutiveFailures) implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.TASK_FAILED;
    }

    @Override
    public Severity severity() {
      return Severity.ERROR;
    }

    @Override
    public Map<String, Object> payload() {
      return new PayloadBuilder()
          .put("task", task)
          .put("error", error)
          .put("consecutive_failures", consecutiveFailures)
          .map();
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
    public String kind() {
      return EventKinds.SNAPSHOT_MISSED;
    }

    @Override
    public Severity severity() {
      return Severity.WARNING;
    }

    @Override
    public Map<String, Object> payload() {
      return new PayloadBuilder()
          .put("schedule_id", scheduleId)
          .put("missed", missed)
          .put("cause", cause)
          .put("next_slot", nextSlot.toString())
          .map();
    }
  }

  /** Cluster mode: {@code nodeId} took the camera's {@code duty} lease ({@value EventKinds#LEASE_ACQUIRED}). */
  record LeaseAcquired(String duty, String nodeId, long epoch) implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.LEASE_ACQUIRED;
    }

    @Override
    public Severity severity() {
      return Severity.INFO;
    }

    @Override
    public Map<String, Object> payload() {
      return new PayloadBuilder()
          .put("duty", duty)
          .put("node_id", nodeId)
          .put("epoch", epoch)
          .map();
    }
  }

  /**
   * Cluster mode: {@code nodeId} lost the camera's {@code duty} lease at {@code epoch}, or the fence
   * rejected a write of it ({@value EventKinds#LEASE_LOST}).
   */
  record LeaseLost(String duty, String nodeId, long epoch, String reason) implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.LEASE_LOST;
    }

    @Override
    public Severity severity() {
      return Severity.WARNING;
    }

    @Override
    public Map<String, Object> payload() {
      return new PayloadBuilder()
          .put("duty", duty)
          .put("node_id", nodeId)
          .put("epoch", epoch)
          .put("reason", reason)
          .map();
    }
  }

  /**
   * Cluster mode: {@code nodeId}'s clock is {@code offsetMillis} off the database's, more than
   * {@code limitMillis}; it stops capturing until it is back within ({@value EventKinds#CLOCK_SKEW}).
   */
  record ClockSkew(String nodeId, long offsetMillis, long limitMillis) implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.CLOCK_SKEW;
    }

    @Override
    public Severity severity() {
      return Severity.ERROR;
    }

    @Override
    public Map<String, Object> payload() {
      return new PayloadBuilder()
          .put("node_id", nodeId)
          .put("offset_ms", offsetMillis)
          .put("limit_ms", limitMillis)
          .map();
    }
  }

  /**
   * Cluster mode: the camera is pinned to storage node {@code nodeId}, which is down; gap {@code
   * gapId} (cause {@code node_down}) is open from {@code since}, the end of its last indexed footage
   * ({@value EventKinds#STORAGE_NODE_DOWN}). Raised once, when the gap opens.
   */
  record StorageNodeDown(String nodeId, long gapId, Instant since) implements TypedEvent {
    @Override
    public String kind() {
      return EventKinds.STORAGE_NODE_DOWN;
    }

    @Override
    public Severity severity() {
      return Severity.WARNING;
    }

    @Override
    public Map<String, Object> payload() {
      return new PayloadBuilder()
          .put("node_id", nodeId)
          .put("gap_id", gapId)
          .put("since", since.toString())
          .map();
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
    public String kind() {
      return EventKinds.STORAGE_NODE_CAUGHT_UP;
    }

    @Override
    public Severity severity() {
      return Severity.INFO;
    }

    @Override
    public Map<String, Object> payload() {
      return new PayloadBuilder()
          .put("node_id", nodeId)
          .put("gap_id", gapId)
          .put("since", since.toString())
          .put("until", until.toString())
          .map();
    }
  }

  /**
   * An event of a kind this version does not know, or whose payload lacks what its record needs
   * (written by another tool or version): kept as stored.
   */
  record Unrecognised(String kind, Severity severity, Map<String, Object> payload)
      implements TypedEvent {
    /** Freezes the payload. */
    public Unrecognised {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(severity, "severity");
      payload = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    }
  }

  /**
   * The record of a stored event: the codec's reading side, the inverse of {@link #payload()}.
   * Never throws; anything it cannot read is {@link Unrecognised}.
   */
  static TypedEvent decode(String kind, Severity severity, Map<String, Object> payload) {
    PayloadReader r = new PayloadReader(payload);
    try {
      TypedEvent e =
          switch (kind) {
            case EventKinds.RECORDING_GAP -> new GapOpened(
                r.num("gap_id"),
                r.dbl("gap_seconds"),
                r.instant("prev_end"),
                r.instant("next_start"));
            case EventKinds.RECORDING_GAP_FILLED -> new GapFilled(
                r.num("gap_id"),
                r.dbl("gap_seconds"),
                r.instant("prev_end"),
                r.instant("next_start"));
            case EventKinds.SEGMENT_OVERLAP -> new SegmentOverlap(
                r.str("path"),
                r.str("overlaps_path"),
                r.dbl("overlap_seconds"),
                r.instant("start"),
                r.instant("previous_end"));
            case EventKinds.SEGMENT_CHANGED -> new SegmentChanged(
                r.str("path"),
                r.optInstant("old_end"),
                r.optNum("old_size_bytes"),
                r.instant("end"),
                r.num("size_bytes"));
            case EventKinds.SEGMENT_UNREADABLE -> new SegmentUnreadable(
                r.str("path"), r.str("file"), r.str("reason"), r.num("size_bytes"));
            case EventKinds.SEGMENT_MISSING -> new SegmentMissing(
                r.str("path"), r.str("file"), r.instant("start"), r.instant("end"));
            case EventKinds.SEGMENT_RESTORED -> new SegmentRestored(
                r.str("path"), r.instant("start"), r.instant("end"));
            case EventKinds.STORAGE_UNAVAILABLE -> new StorageUnavailable(
                r.str("reason"),
                r.num("vanished"),
                r.num("indexed"),
                r.str("examples"),
                r.str("action"));
            case EventKinds.CAMERA_REGISTERED -> new CameraRegistered(
                r.str("camera_id"), r.str("recorder_name"));
            case EventKinds.CAMERA_ID_CONFLICT -> new CameraIdConflict(
                r.str("camera_id"), r.str("recorder_names"));
            case EventKinds.CAMERA_NAME_REJECTED -> new CameraNameRejected(
                r.str("recorder_name"), r.str("reason"));
            case EventKinds.CAMERA_SCAN_FAILED -> new CameraScanFailed(
                r.str("root"), r.str("reason"));
            case EventKinds.SNAPSHOT_FAILED -> new SnapshotFailed(
                r.num("schedule_id"),
                r.instant("slot"),
                r.str("reason"),
                r.bool("timed_out"),
                r.optStr("cause").orElse(SnapshotFailed.CAUSE_CAMERA));
            case EventKinds.SNAPSHOT_FILE_MISSING -> new SnapshotFileMissing(
                r.num("count"), r.str("first_path"), r.optStr("reason"));
            case EventKinds.RETENTION_REFUSED -> new RetentionRefused(
                r.str("reason"), r.bool("forced"));
            case EventKinds.RETENTION_FAILED -> new RetentionFailed(r.str("path"), r.str("reason"));
            case EventKinds.TASK_FAILED -> new TaskFailed(
                r.str("task"), r.str("error"), r.num("consecutive_failures"));
            case EventKinds.SNAPSHOT_MISSED -> new SnapshotMissed(
                r.num("schedule_id"), r.num("missed"), r.str("cause"), r.instant("next_slot"));
            case EventKinds.LEASE_ACQUIRED -> new LeaseAcquired(
                r.str("duty"), r.str("node_id"), r.num("epoch"));
            case EventKinds.LEASE_LOST -> new LeaseLost(
                r.str("duty"), r.str("node_id"), r.num("epoch"), r.str("reason"));
            case EventKinds.CLOCK_SKEW -> new ClockSkew(
                r.str("node_id"), r.num("offset_ms"), r.num("limit_ms"));
            case EventKinds.STORAGE_NODE_DOWN -> new StorageNodeDown(
                r.str("node_id"), r.num("gap_id"), r.instant("since"));
            case EventKinds.STORAGE_NODE_CAUGHT_UP -> new StorageNodeCaughtUp(
                r.str("node_id"), r.num("gap_id"), r.instant("since"), r.instant("until"));
            default -> null;
          };
      if (e != null && e.severity() == severity) {
        return e;
      }
    } catch (RuntimeException unreadable) {
      // a missing key, a wrong type, a malformed instant: kept as stored, below
    }
    return new Unrecognised(kind, severity, payload);
  }

  private static Map<String, Object> gapPayload(
      long gapId, double gapSeconds, Instant previousEnd, Instant nextStart) {
    return new PayloadBuilder()
        .put("gap_id", gapId)
        .put("gap_seconds", gapSeconds)
        .put("prev_end", previousEnd.toString())
        .put("next_start", nextStart.toString())
        .map();
  }
}
