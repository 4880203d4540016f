-- Heldar schema, version 10: a scheduled snapshot records the slot it was taken for, and the node
-- and lease epoch that committed it. (schedule_id, slot_at) is unique: a slot is captured at most
-- once, whichever process or node fires it. Rows without a slot (manual snapshots, rows of older
-- versions) have slot_at NULL and never conflict.
ALTER TABLE snapshots ADD COLUMN slot_at INTEGER;
ALTER TABLE snapshots ADD COLUMN node_id TEXT;
ALTER TABLE snapshots ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX snapshots_schedule_slot ON snapshots (schedule_id, slot_at);
