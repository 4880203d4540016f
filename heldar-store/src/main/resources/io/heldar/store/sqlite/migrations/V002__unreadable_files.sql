-- Heldar schema, version 2: segment files whose probe failed, so they are not probed every scan.
CREATE TABLE unreadable_files (
  path         TEXT    PRIMARY KEY NOT NULL,
  camera_id    TEXT    NOT NULL REFERENCES cameras(id),
  size_bytes   INTEGER NOT NULL,
  file_mtime   INTEGER NOT NULL,
  reason       TEXT    NOT NULL,
  detected_at  INTEGER NOT NULL
);
CREATE INDEX unreadable_files_camera ON unreadable_files (camera_id);
