-- Heldar schema, version 4: retention (holds, crash-safe deletion marks) and timeline roll-ups.

-- A host's hold on a camera's time range (an incident): overlapping segments are never deleted.
CREATE TABLE retention_holds (
  id          INTEGER PRIMARY KEY,
  camera_id   TEXT    NOT NULL REFERENCES cameras(id),
  start_time  INTEGER NOT NULL,
  end_time    INTEGER NOT NULL,
  reason      TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  CHECK (end_time > start_time)
);
CREATE INDEX retention_holds_camera ON retention_holds (camera_id, start_time);

-- Rows retention decided to delete: marked first, then files unlinked, then rows removed; a sweep
-- after a crash finishes what is marked.
ALTER TABLE segments ADD COLUMN delete_pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE snapshots ADD COLUMN delete_pending INTEGER NOT NULL DEFAULT 0;
CREATE INDEX segments_delete_pending ON segments (delete_pending) WHERE delete_pending = 1;
CREATE INDEX snapshots_delete_pending ON snapshots (delete_pending) WHERE delete_pending = 1;
-- Oldest footage first across cameras (the free-space floor).
CREATE INDEX segments_start ON segments (start_time);

-- 15-minute roll-ups per camera, kept by the store as segments and snapshots come and go, so a
-- per-day summary in any time zone (all offsets are multiples of 15 minutes) adds up at most 100
-- rows a day instead of scanning every segment.
CREATE TABLE timeline_buckets (
  camera_id       TEXT    NOT NULL REFERENCES cameras(id),
  bucket_start    INTEGER NOT NULL,
  recorded_ms     INTEGER NOT NULL DEFAULT 0,
  segment_count   INTEGER NOT NULL DEFAULT 0,
  segment_bytes   INTEGER NOT NULL DEFAULT 0,
  snapshot_count  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (camera_id, bucket_start)
) WITHOUT ROWID;

-- Back-fill from what is there (a segment's footage is split across the buckets it spans).
WITH RECURSIVE parts(camera_id, s, e, first, size_bytes) AS (
  SELECT camera_id, start_time, end_time, 1, size_bytes FROM segments
  UNION ALL
  SELECT camera_id, (s / 900000 + 1) * 900000, e, 0, size_bytes FROM parts WHERE (s / 900000 + 1) * 900000 < e
)
INSERT INTO timeline_buckets (camera_id, bucket_start, recorded_ms, segment_count, segment_bytes)
SELECT camera_id, (s / 900000) * 900000,
       sum(min(e, (s / 900000 + 1) * 900000) - s), sum(first), sum(CASE WHEN first = 1 THEN size_bytes ELSE 0 END)
FROM parts GROUP BY camera_id, (s / 900000) * 900000;

INSERT INTO timeline_buckets (camera_id, bucket_start, snapshot_count)
SELECT camera_id, (taken_at / 900000) * 900000, count(*) FROM snapshots WHERE true GROUP BY 1, 2
ON CONFLICT (camera_id, bucket_start) DO UPDATE SET snapshot_count = excluded.snapshot_count;
