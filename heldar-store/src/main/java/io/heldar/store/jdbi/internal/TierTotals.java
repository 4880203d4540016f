package io.heldar.store.jdbi.internal;

import io.heldar.core.model.Segment;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Keeps {@code segment_tier_totals} (each camera's segments and bytes per tier, {@code ''} for the
 * recordings root) in step with the segments, inside the caller's transaction.
 */
final class TierTotals {
  private TierTotals() {}

  private record Key(String camera, String tier) {}

  /** Adds ({@code sign = 1}) or removes ({@code -1}) segments, each on its own tier. */
  static void segments(Handle h, Collection<Segment> segments, int sign) {
    Map<Key, long[]> sums = new HashMap<>();
    for (Segment s : segments) {
      long[] v = sums.computeIfAbsent(new Key(s.cameraId(), s.tier().orElse("")), k -> new long[2]);
      v[0] += sign;
      v[1] += sign * s.sizeBytes();
    }
    write(h, sums);
  }

  /** Moves {@code count} segments of {@code bytes} of a camera from one tier to another. */
  static void moved(
      Handle h, String camera, Optional<String> from, String to, long count, long bytes) {
    Map<Key, long[]> sums = new HashMap<>();
    sums.put(new Key(camera, from.orElse("")), new long[] {-count, -bytes});
    sums.put(new Key(camera, to), new long[] {count, bytes});
    write(h, sums);
  }

  private static void write(Handle h, Map<Key, long[]> sums) {
    if (sums.isEmpty()) {
      return;
    }
    PreparedBatch batch = h.prepareBatch(
        "INSERT INTO segment_tier_totals (camera_id, tier, segment_count, segment_bytes) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT (camera_id, tier) DO UPDATE SET "
            + "segment_count = segment_tier_totals.segment_count + excluded.segment_count, "
            + "segment_bytes = segment_tier_totals.segment_bytes + excluded.segment_bytes");
    sums.forEach((k, v) ->
        batch.bind(0, k.camera()).bind(1, k.tier()).bind(2, v[0]).bind(3, v[1]).add());
    batch.execute();
    h.createUpdate("DELETE FROM segment_tier_totals WHERE segment_count <= 0").execute();
  }
}
