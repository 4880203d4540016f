-- Heldar schema on SQLite, version 12: storage tiers. A segment lives in the recordings root (tier
-- NULL) or on a named tier it was moved to; its file is the tier's root plus its path either way.
-- move_to names the tier a move is under way to: set before the copy, kept until the source is
-- unlinked, so a restart finds every move a crash interrupted.
ALTER TABLE segments ADD COLUMN tier TEXT;
ALTER TABLE segments ADD COLUMN move_to TEXT;
ALTER TABLE missing_segments ADD COLUMN tier TEXT;
CREATE INDEX segments_camera_tier_start ON segments (camera_id, tier, start_time, path);
CREATE INDEX segments_move_to ON segments (move_to) WHERE move_to IS NOT NULL;
-- Each camera's segments and bytes per tier ('' for the recordings root), kept in step with the
-- segments by the store: the storage forecast reads these, never the segments.
CREATE TABLE segment_tier_totals (
  camera_id     TEXT   NOT NULL REFERENCES cameras(id),
  tier          TEXT   NOT NULL,
  segment_count BIGINT NOT NULL,
  segment_bytes BIGINT NOT NULL,
  PRIMARY KEY (camera_id, tier)
);
INSERT INTO segment_tier_totals (camera_id, tier, segment_count, segment_bytes)
  SELECT camera_id, COALESCE(tier, ''), count(*), sum(size_bytes) FROM segments
  GROUP BY camera_id, COALESCE(tier, '');
