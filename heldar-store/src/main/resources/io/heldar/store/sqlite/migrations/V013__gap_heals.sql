-- Heldar schema on SQLite, version 13: healing gaps from the cameras' own storage. A camera may
-- name where its edge footage is fetched from (a URL template); every range the healer tried is a
-- row of gap_heals, one per camera and range start, updated on each try: its outcome, the tries,
-- the last reason, when the next try may be, and the seconds healed. Tries survive restarts, and a
-- gap keeps its history after it closed (the rows inside its bounds).
ALTER TABLE cameras ADD COLUMN edge_url TEXT;
CREATE TABLE gap_heals (
  camera_id      TEXT    NOT NULL REFERENCES cameras(id),
  range_start    INTEGER NOT NULL,
  range_end      INTEGER NOT NULL,
  source         TEXT    NOT NULL,
  outcome        TEXT    NOT NULL CHECK (outcome IN ('healed', 'partial', 'failed', 'given_up')),
  tries          INTEGER NOT NULL CHECK (tries >= 1),
  code           TEXT,
  reason         TEXT,
  healed_seconds REAL    NOT NULL,
  healed_path    TEXT,
  next_try_at    INTEGER,
  first_try_at   INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (camera_id, range_start),
  CHECK (range_end > range_start)
);
