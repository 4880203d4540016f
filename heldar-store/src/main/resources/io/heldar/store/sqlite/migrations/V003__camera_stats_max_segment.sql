-- Heldar schema, version 3: the longest segment per camera, so "segments touching a range" can
-- bound its index scan from below (start_time >= from - longest segment) instead of scanning
-- every earlier segment of the camera.
ALTER TABLE camera_stats ADD COLUMN max_segment_ms INTEGER;
UPDATE camera_stats SET max_segment_ms = (
  SELECT max(end_time - start_time) FROM segments WHERE segments.camera_id = camera_stats.camera_id);
