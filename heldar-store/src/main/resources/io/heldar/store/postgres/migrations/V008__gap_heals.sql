-- Heldar schema on PostgreSQL, version 8: healing gaps from the cameras' own storage. A camera may
-- name where its edge footage is fetched from (a URL template); every range the healer tried is a
-- row of gap_heals, one per camera and range start, updated on each try: its outcome, the tries,
-- the last reason, when the next try may be, and the seconds healed. Tries survive restarts, and a
-- gap keeps its history after it closed (the rows inside its bounds).
ALTER TABLE cameras ADD COLUMN edge_url text;
CREATE TABLE gap_heals (
  camera_id      text COLLATE "C" NOT NULL REFERENCES cameras(id),
  range_start    bigint NOT NULL,
  range_end      bigint NOT NULL,
  source         text   NOT NULL,
  outcome        text   NOT NULL CHECK (outcome IN ('healed', 'partial', 'failed', 'given_up')),
  tries          integer NOT NULL CHECK (tries >= 1),
  code           text,
  reason         text,
  healed_seconds double precision NOT NULL,
  healed_path    text,
  next_try_at    bigint,
  first_try_at   bigint NOT NULL,
  updated_at     bigint NOT NULL,
  PRIMARY KEY (camera_id, range_start),
  CHECK (range_end > range_start)
);
