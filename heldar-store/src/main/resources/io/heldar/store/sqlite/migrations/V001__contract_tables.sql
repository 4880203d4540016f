-- Heldar schema, version 1: the tables of the public table contract.
-- Every instant is INTEGER milliseconds since the Unix epoch (UTC).

CREATE TABLE cameras (
  id          TEXT    PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 64),
  name        TEXT    NOT NULL,
  source_url  TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE segments (
  id            INTEGER PRIMARY KEY,
  camera_id     TEXT    NOT NULL REFERENCES cameras(id),
  path          TEXT    NOT NULL UNIQUE,
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
  locked        INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
  incident_id   TEXT,
  created_at    INTEGER NOT NULL,
  CHECK (end_time > start_time)
);
CREATE INDEX segments_camera_start ON segments (camera_id, start_time);
CREATE INDEX segments_camera_end ON segments (camera_id, end_time);

CREATE TABLE recording_gaps (
  id           INTEGER PRIMARY KEY,
  camera_id    TEXT    NOT NULL REFERENCES cameras(id),
  start_time   INTEGER NOT NULL,
  end_time     INTEGER NOT NULL,
  gap_seconds  REAL    NOT NULL,
  status       TEXT    NOT NULL CHECK (status IN ('open', 'filled')),
  cause        TEXT    NOT NULL DEFAULT 'missing' CHECK (cause IN ('missing', 'retention')),
  detected_at  INTEGER NOT NULL,
  filled_at    INTEGER,
  updated_at   INTEGER NOT NULL,
  CHECK (end_time > start_time)
);
CREATE INDEX recording_gaps_camera_status_start ON recording_gaps (camera_id, status, start_time);

CREATE TABLE camera_stats (
  camera_id         TEXT    PRIMARY KEY NOT NULL REFERENCES cameras(id),
  last_segment_end  INTEGER,
  bitrate_kbps      REAL,
  fps               REAL,
  segment_count     INTEGER NOT NULL,
  total_bytes       INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);

-- camera_id is not a foreign key: events may name a directory that is not (or no longer) a camera.
CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  camera_id   TEXT,
  kind        TEXT    NOT NULL,
  severity    TEXT    NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
  payload     TEXT    NOT NULL CHECK (json_valid(payload)),
  created_at  INTEGER NOT NULL
);
CREATE INDEX events_kind ON events (kind, id);
CREATE INDEX events_camera ON events (camera_id, id);

CREATE TABLE snapshot_schedules (
  id                INTEGER PRIMARY KEY,
  camera_id         TEXT    NOT NULL REFERENCES cameras(id),
  interval_seconds  INTEGER NOT NULL CHECK (interval_seconds >= 1),
  enabled           INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  last_fired_at     INTEGER,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
CREATE INDEX snapshot_schedules_camera ON snapshot_schedules (camera_id);

CREATE TABLE snapshots (
  id           INTEGER PRIMARY KEY,
  camera_id    TEXT    NOT NULL REFERENCES cameras(id),
  schedule_id  INTEGER REFERENCES snapshot_schedules(id) ON DELETE SET NULL,
  path         TEXT    NOT NULL UNIQUE,
  taken_at     INTEGER NOT NULL,
  size_bytes   INTEGER NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX snapshots_camera_taken ON snapshots (camera_id, taken_at);
