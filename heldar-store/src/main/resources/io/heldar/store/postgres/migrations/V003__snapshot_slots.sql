-- Heldar schema on PostgreSQL, version 3: a scheduled snapshot records the slot it was taken for,
-- and the node and lease epoch that committed it. (schedule_id, slot_at) is unique: a slot is
-- captured at most once across the cluster. Rows without a slot have slot_at NULL and never conflict.
ALTER TABLE snapshots ADD COLUMN slot_at bigint;
ALTER TABLE snapshots ADD COLUMN node_id text COLLATE "C";
ALTER TABLE snapshots ADD COLUMN epoch bigint NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX snapshots_schedule_slot ON snapshots (schedule_id, slot_at);
