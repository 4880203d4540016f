-- Heldar schema on PostgreSQL, version 2: cluster mode's nodes and leases. Their times are
-- timestamptz on the database's clock (clock_timestamp()), never a node's: leases expire by the one
-- clock every node shares.

CREATE TABLE heldar_nodes (
  node_id       text COLLATE "C" PRIMARY KEY CHECK (length(node_id) BETWEEN 1 AND 128),
  capacity      integer     NOT NULL CHECK (capacity >= 0),
  started_at    timestamptz NOT NULL,
  heartbeat_at  timestamptz NOT NULL
);

-- One row per (camera, duty): who holds it, at which epoch (raised at each takeover), until when.
CREATE TABLE camera_leases (
  camera_id    text COLLATE "C" NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
  duty         text        NOT NULL CHECK (duty IN ('files', 'capture')),
  node_id      text COLLATE "C" NOT NULL,
  epoch        bigint      NOT NULL CHECK (epoch >= 1),
  acquired_at  timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  PRIMARY KEY (camera_id, duty)
);
CREATE INDEX camera_leases_node ON camera_leases (node_id);
