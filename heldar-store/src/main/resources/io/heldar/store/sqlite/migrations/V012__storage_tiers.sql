-- Heldar schema on SQLite, version 12: storage tiers. A segment lives in the recordings root (tier
-- NULL) or on a named tier it was moved to; its file is the tier's root plus its path either way.
-- move_to names the tier a move is under way to: set before the copy, kept until the source is
-- unlinked, so a restart finds every move a crash interrupted.
ALTER TABLE segments ADD COLUMN tier TEXT;
ALTER TABLE segments ADD COLUMN move_to TEXT;
ALTER TABLE missing_segments ADD COLUMN tier TEXT;
CREATE INDEX segments_camera_tier_start ON segments (camera_id, tier, start_time, path);
CREATE INDEX segments_move_to ON segments (move_to) WHERE move_to IS NOT NULL;
