package io.heldar.store.jdbi.internal;

import io.heldar.core.model.Segment;
import io.heldar.core.model.Snapshot;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Keeps {@code timeline_buckets} in step with segments and snapshots, inside the caller's transaction. */
final class Buckets {
  static final long MS = 15 * 60 * 1000L;

  private Buckets() {}

  private record Key(String camera, long start) {}

  /**
   * Adds ({@code sign = 1}) or removes ({@code -1}) segments: counted in the bucket they start in;
   * call it after the rows are inserted or deleted. Recorded time is not summed but recomputed for
   * every bucket the segments span, as the union of the footage in it: overlapping segments count
   * once, so a day's recorded time always agrees with its coverage.
   */
  static void segments(Handle h, Collection<Segment> segments, int sign) {
    Map<Key, long[]> sums = new HashMap<>();
    long longest = 0;
    for (Segment s : segments) {
      long start = Sql.ms(s.start());
      long end = Sql.ms(s.end());
      longest = Math.max(longest, end - start);
      boolean first = true;
      for (long b = Math.floorDiv(start, MS) * MS; b < end; b += MS) {
        long[] v = sums.computeIfAbsent(new Key(s.cameraId(), b), k -> new long[4]);
        if (first) {
          v[1] += 1;
          v[2] += s.sizeBytes();
          first = false;
        }
      }
    }
    write(h, sums, sign);
    for (Key k : sums.keySet()) {
      recomputeRecorded(h, k.camera(), k.start(), longest);
    }
  }

  /** Sets a bucket's {@code recorded_ms} to the union of the camera's footage inside it. */
  static void recomputeRecorded(Handle h, String camera, long bucket, long longestKnown) {
    long end = bucket + MS;
    java.util.Optional<Long> stored = h.createQuery(
            "SELECT max_segment_ms FROM camera_stats WHERE camera_id = ?")
        .bind(0, camera)
        .mapTo(Long.class)
        .findOne();
    // Jdbi's findOne() is empty for no row and for a NULL max_segment_ms alike.
    long lowest =
        stored.isPresent() ? bucket - Math.max(stored.get(), longestKnown) : Long.MIN_VALUE;
    long[] acc = {0, Long.MIN_VALUE, Long.MIN_VALUE}; // total, current run start, current run end
    h.createQuery(
            "SELECT start_time, end_time FROM segments WHERE camera_id = ? AND start_time < ? AND end_time > ? "
                + "AND start_time >= ? ORDER BY start_time")
        .bind(0, camera)
        .bind(1, end)
        .bind(2, bucket)
        .bind(3, lowest)
        .map(
            (rs, ctx) -> new long[] {Math.max(bucket, rs.getLong(1)), Math.min(end, rs.getLong(2))})
        .forEach(r -> {
          if (r[0] > acc[2]) {
            acc[0] += Math.max(0, acc[2] - acc[1]);
            acc[1] = r[0];
            acc[2] = r[1];
          } else if (r[1] > acc[2]) {
            acc[2] = r[1];
          }
        });
    long total = acc[0] + Math.max(0, acc[2] - acc[1]);
    h.createUpdate(
            "UPDATE timeline_buckets SET recorded_ms = ? WHERE camera_id = ? AND bucket_start = ?")
        .bind(0, total)
        .bind(1, camera)
        .bind(2, bucket)
        .execute();
  }

  /** Recomputes every bucket's recorded time (a one-off repair of roll-ups written by older versions). */
  static void recomputeAllRecorded(Handle h) {
    java.util.List<Key> keys = h.createQuery("SELECT camera_id, bucket_start FROM timeline_buckets")
        .map((rs, ctx) -> new Key(rs.getString(1), rs.getLong(2)))
        .list();
    for (Key k : keys) {
      recomputeRecorded(h, k.camera(), k.start(), 0);
    }
  }

  /** Adds or removes snapshots. */
  static void snapshots(Handle h, Collection<Snapshot> snapshots, int sign) {
    Map<Key, long[]> sums = new HashMap<>();
    for (Snapshot s : snapshots) {
      sums.computeIfAbsent(
              new Key(s.cameraId(), Math.floorDiv(Sql.ms(s.takenAt()), MS) * MS), k -> new long[4])[
          3] += 1;
    }
    write(h, sums, sign);
  }

  private static void write(Handle h, Map<Key, long[]> sums, int sign) {
    if (sums.isEmpty()) {
      return;
    }
    PreparedBatch batch = h.prepareBatch(
        "INSERT INTO timeline_buckets (camera_id, bucket_start, recorded_ms, segment_count, segment_bytes, snapshot_count) "
            + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (camera_id, bucket_start) DO UPDATE SET "
            + "recorded_ms = timeline_buckets.recorded_ms + excluded.recorded_ms, "
            + "segment_count = timeline_buckets.segment_count + excluded.segment_count, "
            + "segment_bytes = timeline_buckets.segment_bytes + excluded.segment_bytes, "
            + "snapshot_count = timeline_buckets.snapshot_count + excluded.snapshot_count");
    sums.forEach((k, v) -> batch
        .bind(0, k.camera())
        .bind(1, k.start())
        .bind(2, sign * v[0])
        .bind(3, sign * v[1])
        .bind(4, sign * v[2])
        .bind(5, sign * v[3])
        .add());
    batch.execute();
  }
}
