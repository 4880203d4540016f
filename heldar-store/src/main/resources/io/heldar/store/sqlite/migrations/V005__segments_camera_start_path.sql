-- Heldar schema, version 5: the (camera_id, start_time) index gains path as its last column, so
-- timeline pages ordered by (start_time, path) come straight off the index instead of a sort.
-- Its first two columns are still (camera_id, start_time): every query that used it still does.
DROP INDEX segments_camera_start;
CREATE INDEX segments_camera_start ON segments (camera_id, start_time, path);
