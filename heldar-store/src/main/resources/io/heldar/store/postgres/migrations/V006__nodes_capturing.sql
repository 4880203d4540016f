-- Heldar schema on PostgreSQL, version 6: a node whose clock is off the database's takes no capture
-- leases, and says so in its heartbeat, so the other nodes share the cameras without it instead of
-- leaving its share uncaptured.
ALTER TABLE heldar_nodes ADD COLUMN capturing BOOLEAN NOT NULL DEFAULT TRUE;
