-- Heldar schema, version 9: the (camera_id, start_time, path) index also carries end_time and
-- size_bytes, so a timeline page of segment spans is read from the index alone, without a visit to
-- the table per row. Its leading columns are unchanged: every query that used it still does.
DROP INDEX segments_camera_start;
CREATE INDEX segments_camera_start ON segments (camera_id, start_time, path, end_time, size_bytes);
