-- Segments whose file vanished from the disk: moved here, not deleted, so the footage that was lost
-- stays known (and a file that comes back unchanged is restored). Same columns as segments, plus
-- when the file was found missing.
CREATE TABLE missing_segments (
  path          TEXT    PRIMARY KEY,
  camera_id     TEXT    NOT NULL REFERENCES cameras(id),
  start_time    INTEGER NOT NULL,
  end_time      INTEGER NOT NULL,
  duration_s    REAL    NOT NULL,
  codec         TEXT    NOT NULL,
  width         INTEGER NOT NULL,
  height        INTEGER NOT NULL,
  fps           REAL,
  bitrate_kbps  REAL,
  audio_codec   TEXT,
  size_bytes    INTEGER NOT NULL,
  file_mtime    INTEGER NOT NULL,
  container     TEXT    NOT NULL,
  locked        INTEGER NOT NULL DEFAULT 0,
  incident_id   TEXT,
  created_at    INTEGER NOT NULL,
  missing_since INTEGER NOT NULL
);
CREATE INDEX missing_segments_camera_path ON missing_segments (camera_id, path);

-- Reconciliation walks a camera's rows in path order.
CREATE INDEX segments_camera_path ON segments (camera_id, path);

-- Gaps gain the cause 'lost' (footage whose files vanished). SQLite cannot change a CHECK
-- constraint in place: the table is rebuilt with the same columns in the same order.
CREATE TABLE recording_gaps_v8 (
  id           INTEGER PRIMARY KEY,
  camera_id    TEXT    NOT NULL REFERENCES cameras(id),
  start_time   INTEGER NOT NULL,
  end_time     INTEGER NOT NULL,
  gap_seconds  REAL    NOT NULL,
  status       TEXT    NOT NULL CHECK (status IN ('open', 'filled')),
  cause        TEXT    NOT NULL DEFAULT 'missing' CHECK (cause IN ('missing', 'retention', 'lost')),
  detected_at  INTEGER NOT NULL,
  filled_at    INTEGER,
  updated_at   INTEGER NOT NULL,
  CHECK (end_time > start_time)
);
INSERT INTO recording_gaps_v8 (id, camera_id, start_time, end_time, gap_seconds, status, cause, detected_at, filled_at, updated_at)
  SELECT id, camera_id, start_time, end_time, gap_seconds, status, cause, detected_at, filled_at, updated_at FROM recording_gaps;
DROP TABLE recording_gaps;
ALTER TABLE recording_gaps_v8 RENAME TO recording_gaps;
CREATE INDEX recording_gaps_camera_status_start ON recording_gaps (camera_id, status, start_time);
