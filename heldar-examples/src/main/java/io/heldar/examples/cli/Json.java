package io.heldar.examples.cli;

import io.heldar.core.index.CameraScanReport;
import io.heldar.core.index.FileBucket;
import io.heldar.core.index.FileTally;
import io.heldar.core.index.ReconcileReport;
import io.heldar.core.index.ScanReport;
import io.heldar.core.model.Camera;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.core.retention.PlannedDeletion;
import io.heldar.core.retention.SweepReport;
import io.heldar.core.timeline.Coverage;
import io.heldar.core.timeline.DaySummary;
import io.heldar.http.ApiJson;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of {@code --format json}: one place, so every command writes a row the same way;
 * the rows the HTTP API serves too come from {@link ApiJson}.
 * Keys are the {@code snake_case} column names of the tables (see docs/schema.md), in a fixed order;
 * instants are ISO-8601 UTC strings, durations are seconds (numbers), absent values are {@code null}
 * (never missing keys). Documented in docs/cli.md.
 */
final class Json {
  private Json() {}

  static String write(Object value) {
    return ApiJson.write(value);
  }

  /** An ordered map from alternating keys and values (see {@link ApiJson#object}). */
  static Map<String, Object> object(Object... keysAndValues) {
    return ApiJson.object(keysAndValues);
  }

  static Map<String, Object> camera(Camera c) {
    return ApiJson.camera(c);
  }

  static Map<String, Object> heal(io.heldar.core.heal.HealAttempt h) {
    return object(
        "from",
        h.from(),
        "to",
        h.to(),
        "outcome",
        h.outcome().code(),
        "tries",
        h.tries(),
        "code",
        h.code(),
        "reason",
        h.reason(),
        "healed_seconds",
        h.healedSeconds(),
        "healed_path",
        h.healedPath(),
        "source",
        h.source(),
        "next_try_at",
        h.nextTryAt(),
        "first_try_at",
        h.firstTryAt(),
        "updated_at",
        h.updatedAt());
  }

  static Map<String, Object> schedule(SnapshotSchedule s) {
    return object(
        "id",
        s.id(),
        "camera_id",
        s.cameraId(),
        "interval_seconds",
        s.interval().toSeconds(),
        "enabled",
        s.enabled(),
        "last_fired_at",
        s.lastFiredAt());
  }

  /** A timeline's coverage: the range, recorded seconds, runs and open gaps. */
  static Map<String, Object> coverage(Coverage c) {
    return ApiJson.coverage(c);
  }

  /** One local day's summary. */
  static Map<String, Object> day(DaySummary d) {
    return ApiJson.day(d);
  }

  static Map<String, Object> gap(RecordingGap g) {
    return ApiJson.gap(g);
  }

  static Map<String, Object> tally(FileTally t) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (FileBucket b : FileBucket.values()) {
      m.put(
          b.name().toLowerCase(java.util.Locale.ROOT),
          object("count", t.count(b), "examples", t.examples(b)));
    }
    return m;
  }

  static Map<String, Object> scan(ScanReport r) {
    List<Map<String, Object>> cameras =
        r.cameras().stream().map(Json::cameraScan).toList();
    return object(
        "started_at",
        r.startedAt(),
        "took_seconds",
        r.took(),
        "indexed",
        r.indexed(),
        "cameras",
        cameras,
        "outside_cameras",
        tally(r.outsideCameras()),
        "conflicts",
        r.conflicts().stream()
            .map(c -> object("camera_id", c.cameraId(), "recorder_names", c.recorderNames()))
            .toList());
  }

  private static Map<String, Object> cameraScan(CameraScanReport c) {
    return object("camera_id", c.cameraId(), "failure", c.failure(), "files", tally(c.files()));
  }

  static Map<String, Object> reconcile(ReconcileReport r) {
    return object(
        "camera_id",
        r.cameraId(),
        "indexed_rows",
        r.indexedRows(),
        "files_on_disk",
        r.filesOnDisk(),
        "vanished",
        r.vanished(),
        "vanished_examples",
        r.vanishedExamples(),
        "restorable",
        r.restorable(),
        "applied",
        r.applied(),
        "refused",
        r.refused(),
        "in_sync",
        r.inSync());
  }

  static Map<String, Object> sweep(SweepReport r) {
    return sweep(r, java.util.List.of(), java.util.Optional.empty());
  }

  /** A sweep with the tier moves planned (and, unless a dry run, their round's outcome). */
  static Map<String, Object> sweep(
      SweepReport r,
      java.util.List<io.heldar.core.tier.PlannedMove> moves,
      java.util.Optional<io.heldar.core.tier.MoveReport> moved) {
    Map<String, Object> out = new java.util.LinkedHashMap<>(sweepOnly(r));
    out.put(
        "moves",
        moves.stream()
            .map(m -> object(
                "camera_id",
                m.cameraId(),
                "path",
                m.path(),
                "bytes",
                m.bytes(),
                "from",
                m.from(),
                "to",
                m.to(),
                "reason",
                m.reason().name().toLowerCase(java.util.Locale.ROOT),
                "time",
                m.start()))
            .toList());
    moved.ifPresent(mr -> out.put(
        "moved",
        object(
            "segments",
            mr.moved(),
            "bytes",
            mr.bytes(),
            "failed",
            mr.failed(),
            "finished_from_earlier",
            mr.finished(),
            "unavailable_tiers",
            new java.util.TreeMap<>(mr.unavailable()))));
    return out;
  }

  private static Map<String, Object> sweepOnly(SweepReport r) {
    return object(
        "dry_run",
        r.dryRun(),
        "segments_deleted",
        r.segmentsDeleted(),
        "snapshots_deleted",
        r.snapshotsDeleted(),
        "bytes_freed",
        r.bytesFreed(),
        "finished_from_earlier",
        r.finishedFromEarlier(),
        "plan",
        object(
            "bytes",
            r.plan().bytes(),
            "segments",
            r.plan().segments().stream().map(Json::deletion).toList(),
            "snapshots",
            r.plan().snapshots().stream().map(Json::deletion).toList(),
            "refused",
            new java.util.TreeMap<>(r.plan().refused())));
  }

  private static Map<String, Object> deletion(PlannedDeletion d) {
    return object(
        "camera_id",
        d.cameraId(),
        "path",
        d.path(),
        "bytes",
        d.bytes(),
        "reason",
        d.reason().name().toLowerCase(java.util.Locale.ROOT),
        "time",
        d.time(),
        "tier",
        d.tier());
  }

  /** A duration for people: {@code 45s}, {@code 3m 05s}, {@code 1h 06m 40s}, {@code 2d 03h 00m}; fractions of a second for short ones. */
  static String human(Duration d) {
    return io.heldar.core.HumanDuration.format(d);
  }
}
