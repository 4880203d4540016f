package io.heldar.store.sqlite.internal;

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

  /** Adds ({@code sign = 1}) or removes ({@code -1}) segments: footage split across the buckets it spans. */
  static void segments(Handle h, Collection<Segment> segments, int sign) {
    Map<Key, long[]> sums = new HashMap<>();
    for (Segment s : segments) {
      long start = Sql.ms(s.start());
      long end = Sql.ms(s.end());
      boolean first = true;
      for (long b = Math.floorDiv(start, MS) * MS; b < end; b += MS) {
        long[] v = sums.computeIfAbsent(new Key(s.cameraId(), b), k -> new long[4]);
        v[0] += Math.min(end, b + MS) - Math.max(start, b);
        if (first) {
          v[1] += 1;
          v[2] += s.sizeBytes();
          first = false;
        }
      }
    }
    write(h, sums, sign);
  }

  /** Adds or removes snapshots. */
  static void snapshots(Handle h, Collection<Snapshot> snapshots, int sign) {
    Map<Key, long[]> sums = new HashMap<>();
    for (Snapshot s : snapshots) {
      sums.computeIfAbsent(new Key(s.cameraId(), Math.floorDiv(Sql.ms(s.takenAt()), MS) * MS), k -> new long[4])[3] += 1;
    }
    write(h, sums, sign);
  }

  private static void write(Handle h, Map<Key, long[]> sums, int sign) {
    if (sums.isEmpty()) {
      return;
    }
    PreparedBatch batch =
        h.prepareBatch(
            "INSERT INTO timeline_buckets (camera_id, bucket_start, recorded_ms, segment_count, segment_bytes, snapshot_count) "
                + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (camera_id, bucket_start) DO UPDATE SET "
                + "recorded_ms = recorded_ms + excluded.recorded_ms, segment_count = segment_count + excluded.segment_count, "
                + "segment_bytes = segment_bytes + excluded.segment_bytes, snapshot_count = snapshot_count + excluded.snapshot_count");
    sums.forEach(
        (k, v) ->
            batch.bind(0, k.camera()).bind(1, k.start()).bind(2, sign * v[0]).bind(3, sign * v[1]).bind(4, sign * v[2]).bind(5, sign * v[3]).add());
    batch.execute();
  }
}
