-- The camera's name in the recorder's layout (a MediaMTX path name such as cam2/main), when it is
-- not the id itself. NULL means the id is the name. One recorder name belongs to one camera.
ALTER TABLE cameras ADD COLUMN recorder_name TEXT;
CREATE UNIQUE INDEX cameras_recorder_name ON cameras (recorder_name) WHERE recorder_name IS NOT NULL;
