-- Heldar schema on SQLite, version 11: retention prunes events older than a configured age, oldest
-- first; this index finds them without reading the whole table.
CREATE INDEX events_created_at ON events (created_at, id);
