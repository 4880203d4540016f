-- Heldar schema on PostgreSQL, version 4: cluster mode records a gap with cause 'node_down' for a
-- camera pinned to a storage node that is down (footage unreachable, not necessarily lost). At most
-- one such gap per camera is open, whichever live node notices first.
ALTER TABLE recording_gaps DROP CONSTRAINT recording_gaps_cause_check;
ALTER TABLE recording_gaps ADD CONSTRAINT recording_gaps_cause_check
  CHECK (cause IN ('missing', 'retention', 'lost', 'node_down'));
CREATE UNIQUE INDEX recording_gaps_one_open_node_down ON recording_gaps (camera_id)
  WHERE cause = 'node_down' AND status = 'open';
