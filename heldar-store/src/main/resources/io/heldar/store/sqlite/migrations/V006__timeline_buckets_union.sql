-- Heldar schema, version 6: timeline_buckets.recorded_ms is the union of the footage in the bucket
-- (overlapping segments count once), no longer the sum of segment durations. The recomputation of
-- existing buckets runs in Java in the same transaction as this script (Migrations, version 6).
UPDATE timeline_buckets SET recorded_ms = recorded_ms;
