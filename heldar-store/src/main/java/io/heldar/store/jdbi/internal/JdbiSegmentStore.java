package io.heldar.store.jdbi.internal;

import io.heldar.core.model.FileVersion;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.Segment;
import io.heldar.core.model.SegmentSpan;
import io.heldar.core.model.TimelineBucket;
import io.heldar.core.store.RetentionCandidate;
import io.heldar.core.store.SegmentStore;
import io.heldar.store.jdbi.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link SegmentStore} on any {@link io.heldar.store.jdbi.SqlDialect}. */
public final class JdbiSegmentStore implements SegmentStore {
  /** The columns {@link #MAPPER} reads, in its order; queries select these, not {@code *}. */
  static final String COLUMNS =
      "camera_id, path, start_time, end_time, container, codec, width, height, fps, bitrate_kbps, audio_codec, "
          + "size_bytes, file_mtime, locked, incident_id, created_at, tier";

  /** Reads {@link #COLUMNS} by position: timeline pages map thousands of rows. */
  static final RowMapper<Segment> MAPPER = (rs, ctx) -> read(rs, null);

  /** {@link #COLUMNS} without {@code camera_id}, for queries of one camera. */
  static final String CAMERA_COLUMNS = COLUMNS.substring("camera_id, ".length());

  /**
   * Reads {@link #COLUMNS}, or {@link #CAMERA_COLUMNS} when {@code camera} is given (the camera
   * every row is of: one native call and one string fewer per row).
   */
  static Segment read(java.sql.ResultSet rs, String camera) throws java.sql.SQLException {
    int o = camera == null ? 0 : -1;
    return read(rs, camera, Sql.text(rs, 2 + o), rs.getLong(3 + o));
  }

  /** {@link #read(java.sql.ResultSet, String)} with the path and start already read. */
  private static Segment read(java.sql.ResultSet rs, String camera, String path, long startMs)
      throws java.sql.SQLException {
    int o = camera == null ? 0 : -1;
    Instant start = Instant.ofEpochMilli(startMs);
    Instant end = Instant.ofEpochMilli(rs.getLong(4 + o));
    // NULL reads as 0, which no valid row holds (MediaInfo wants both positive): no wasNull(),
    // which costs the driver another native call per column.
    double fps = rs.getDouble(9 + o);
    OptionalDouble fpsOpt = fps == 0 ? OptionalDouble.empty() : OptionalDouble.of(fps);
    double kbps = rs.getDouble(10 + o);
    OptionalLong bitRate =
        kbps == 0 ? OptionalLong.empty() : OptionalLong.of(Math.round(kbps * 1000));
    MediaInfo media = new MediaInfo(
        Duration.between(start, end),
        Sql.text(rs, 5 + o),
        Sql.text(rs, 6 + o),
        rs.getInt(7 + o),
        rs.getInt(8 + o),
        fpsOpt,
        bitRate,
        Optional.ofNullable(Sql.text(rs, 11 + o)));
    return new Segment(
        camera != null ? camera : Sql.text(rs, 1),
        path,
        start,
        end,
        media,
        rs.getLong(12 + o),
        Instant.ofEpochMilli(rs.getLong(13 + o)),
        rs.getBoolean(14 + o),
        Optional.ofNullable(Sql.text(rs, 15 + o)),
        Instant.ofEpochMilli(rs.getLong(16 + o)),
        Optional.ofNullable(Sql.text(rs, 17 + o)));
  }

  private final Database db;
  private final InvalidRows invalidRows;
  /** {@link #MAPPER} that maps an invalid row to {@code null} (dropped by {@link #valid}) and remembers it. */
  private final RowMapper<Segment> rows;

  /** Creates the store on {@code db}. */
  public JdbiSegmentStore(Database db, InvalidRows invalidRows) {
    this.db = db;
    this.invalidRows = invalidRows;
    this.rows = invalidRows.tolerant("segments", MAPPER);
    this.span = invalidRows.tolerant(
        "segments",
        (rs, ctx) -> new SegmentSpan(
            Sql.text(rs, 1),
            Instant.ofEpochMilli(rs.getLong(2)),
            Instant.ofEpochMilli(rs.getLong(3)),
            rs.getLong(4)));
    RowMapper<RetentionCandidate> candidateOnly = invalidRows.tolerant(
        "segments",
        (rs, ctx) -> new RetentionCandidate(
            Sql.text(rs, 1),
            Sql.text(rs, 2),
            Instant.ofEpochMilli(rs.getLong(3)),
            Instant.ofEpochMilli(rs.getLong(4)),
            rs.getLong(5),
            rs.getBoolean(6),
            Optional.ofNullable(Sql.text(rs, 7))));
    this.candidate = (rs, ctx) -> {
      RetentionCandidate c = candidateOnly.map(rs, ctx);
      return c != null
          ? new Keyed<>(c.start().toEpochMilli(), c.path(), c)
          : new Keyed<>(rs.getLong(3), Sql.text(rs, 2), null);
    };
  }

  /** A row with its keyset position, for pages that skip invalid rows and still fill up. */
  private record Keyed<T>(long start, String path, T value) {}

  private interface PageQuery<T> {
    List<Keyed<T>> fetch(org.jdbi.v3.core.Handle h, long afterStart, String afterPath, int limit);
  }

  /** Up to {@code limit} valid rows, asking again past skipped invalid rows. */
  private static <T> List<T> fill(
      org.jdbi.v3.core.Handle h, PageQuery<T> q, long afterStart, String afterPath, int limit) {
    List<T> out = new ArrayList<>();
    long cs = afterStart;
    String cp = afterPath;
    while (out.size() < limit) {
      int want = limit - out.size();
      List<Keyed<T>> page = q.fetch(h, cs, cp, want);
      for (Keyed<T> k : page) {
        if (k.value() != null) {
          out.add(k.value());
        }
      }
      if (page.size() < want) {
        break;
      }
      cs = page.get(page.size() - 1).start();
      cp = page.get(page.size() - 1).path();
    }
    return out;
  }

  private RowMapper<Keyed<Segment>> keyed() {
    return (rs, ctx) -> {
      Segment v = rows.map(rs, ctx);
      return v != null
          ? new Keyed<>(v.start().toEpochMilli(), v.path(), v)
          : new Keyed<>(rs.getLong(3), Sql.text(rs, 2), null);
    };
  }

  /**
   * Reads {@link #SPAN_COLUMNS} for {@link #touching}: four columns, one pass, in order. A row
   * that makes no valid span maps to {@code null} (dropped) and is remembered, like a whole segment.
   */
  private final RowMapper<SegmentSpan> span;

  private static final String SPAN_COLUMNS = "path, start_time, end_time, size_bytes";

  @Override
  public List<SegmentSpan> spans(
      String cameraId, Instant from, Instant to, int limit, Optional<SegmentSpan> after) {
    return db.read(h -> rangeRows(
        h,
        SPAN_COLUMNS,
        (rs, path, start) -> new SegmentSpan(
            path, Instant.ofEpochMilli(start), Instant.ofEpochMilli(rs.getLong(3)), rs.getLong(4)),
        cameraId,
        from,
        to,
        limit,
        after.map(s -> Sql.ms(s.start())).orElse(Long.MIN_VALUE),
        after.map(SegmentSpan::path).orElse("")));
  }

  /** The rest of a range row, its path (column 1) and start (column 2) already read. */
  private interface RangeRow<T> {
    T read(java.sql.ResultSet rs, String path, long start) throws java.sql.SQLException;
  }

  /**
   * Up to {@code limit} valid rows of a camera's segments overlapping {@code [from, to)} after the
   * keyset position {@code (cs, cp)}, {@code columns} of each (path and start first), in pages of
   * one plain JDBC loop each. The timeline's two wide reads (spans, whole rows of one camera) use
   * this and nothing else does: through the generic page (a mapper chain and a keyset wrapper per
   * row, shared with every other query) they measured a quarter slower once the process had run
   * other queries (docs/performance.md). A row {@code reader} refuses is skipped and remembered as a
   * mapper's is, and the next page still starts after it.
   */
  private <T> List<T> rangeRows(
      org.jdbi.v3.core.Handle h,
      String columns,
      RangeRow<T> reader,
      String cameraId,
      Instant from,
      Instant to,
      int limit,
      long afterStart,
      String afterPath) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
    List<T> out = new ArrayList<>();
    long cs = afterStart;
    String cp = afterPath;
    while (out.size() < limit) {
      int want = limit - out.size();
      boolean first = cs == Long.MIN_VALUE && cp.isEmpty();
      int read = 0;
      try (java.sql.PreparedStatement ps =
          h.getConnection().prepareStatement(rangeSql(columns, first))) {
        Jdbc.bind(ps, rangeArgs(cameraId, from, to, cs, cp, want, first));
        try (java.sql.ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            read++;
            String path = Sql.text(rs, 1);
            long start = rs.getLong(2);
            cs = start;
            cp = path;
            try {
              out.add(reader.read(rs, path, start));
            } catch (IllegalArgumentException
                | NullPointerException
                | java.time.DateTimeException
                | ArithmeticException e) {
              invalidRows.skipped("segments", path, cameraId, e);
            }
          }
        }
      } catch (java.sql.SQLException e) {
        throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(
            "query failed: " + e.getMessage(), e, null);
      }
      if (read < want) {
        break;
      }
    }
    return out;
  }

  /**
   * The query of one range page: the first page starts at the lowest start an overlapping segment
   * can have; the next ones at the last row read, as a range SQLite seeks to (the OR alone it scans
   * up to).
   */
  private static String rangeSql(String columns, boolean first) {
    return "SELECT " + columns
        + " FROM segments WHERE camera_id = ? AND start_time < ? AND end_time > ? "
        + "AND start_time >= "
        + (first ? LOWEST_START : "? AND (start_time > ? OR (start_time = ? AND path > ?)) ")
        + "ORDER BY start_time, path LIMIT ?";
  }

  /** The parameters of {@link #rangeSql}. */
  private static Object[] rangeArgs(
      String cameraId, Instant from, Instant to, long cs, String cp, int n, boolean first) {
    return first
        ? new Object[] {cameraId, Sql.ms(to), Sql.ms(from), Sql.ms(from), cameraId, n}
        : new Object[] {cameraId, Sql.ms(to), Sql.ms(from), cs, cs, cs, cp, n};
  }

  /**
   * The lowest start a segment overlapping {@code [from, ...)} can have: {@code from} less the
   * camera's longest segment (kept in {@code camera_stats}), so the index is read from there, not
   * from the camera's first segment. Parameters: {@code from}, the camera.
   */
  private static final String LOWEST_START = "? - COALESCE((SELECT max_segment_ms FROM camera_stats"
      + " WHERE camera_id = ?), 9000000000000000000) ";

  /** Rows per multi-row insert: 18 parameters each, well under every database's parameter limit. */
  private static final int INSERT_CHUNK = 500;

  private static final String INSERT_COLUMNS =
      "INSERT INTO segments (camera_id, path, start_time, end_time, duration_s, codec, width, height, fps, "
          + "bitrate_kbps, audio_codec, size_bytes, file_mtime, container, locked, incident_id, created_at, tier) VALUES ";

  /** The insert of a full chunk, made once; shorter ones are made when needed. */
  private static final String FULL_INSERT = buildInsert(INSERT_CHUNK);

  private static String insertSql(int rows) {
    return rows == INSERT_CHUNK ? FULL_INSERT : buildInsert(rows);
  }

  private static String buildInsert(int rows) {
    StringBuilder sb = new StringBuilder(INSERT_COLUMNS);
    for (int i = 0; i < rows; i++) {
      sb.append(i == 0 ? "" : ", ")
          .append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }
    return sb.append(" ON CONFLICT (path) DO NOTHING RETURNING path").toString();
  }

  @Override
  public List<Segment> insertAll(Collection<Segment> segments) {
    if (segments.isEmpty()) {
      return List.of();
    }
    return db.write(h -> {
      // One multi-row INSERT … ON CONFLICT DO NOTHING RETURNING path per chunk: a single round trip
      // for hundreds of rows on a server, and it says which rows were new on every database.
      java.util.LinkedHashMap<String, Segment> byPath = new java.util.LinkedHashMap<>();
      for (Segment s : segments) {
        byPath.putIfAbsent(s.path(), s);
      }
      List<Segment> ordered = new ArrayList<>(byPath.values());
      java.util.Set<String> added = new java.util.HashSet<>();
      for (int from = 0; from < ordered.size(); from += INSERT_CHUNK) {
        List<Segment> chunk = ordered.subList(from, Math.min(ordered.size(), from + INSERT_CHUNK));
        // Plain JDBC: Jdbi would parse this statement (hundreds of rows of parameters) with its
        // SQL lexer whenever the chunk's size is new, which cost more than SQLite's own insert.
        try (java.sql.PreparedStatement insert =
            h.getConnection().prepareStatement(insertSql(chunk.size()))) {
          int p = 0;
          for (Segment s : chunk) {
            MediaInfo m = s.media();
            insert.setString(++p, s.cameraId());
            insert.setString(++p, s.path());
            insert.setLong(++p, Sql.ms(s.start()));
            insert.setLong(++p, Sql.ms(s.end()));
            insert.setDouble(++p, s.duration().toMillis() / 1000.0);
            insert.setString(++p, m.videoCodec());
            insert.setInt(++p, m.width());
            insert.setInt(++p, m.height());
            setDouble(insert, ++p, m.fps());
            if (m.bitRateBps().isPresent()) {
              insert.setDouble(++p, m.bitRateBps().getAsLong() / 1000.0);
            } else {
              insert.setNull(++p, java.sql.Types.DOUBLE);
            }
            Jdbc.setText(insert, ++p, m.audioCodec());
            insert.setLong(++p, s.sizeBytes());
            insert.setLong(++p, Sql.ms(s.fileModified()));
            insert.setString(++p, m.container());
            insert.setBoolean(++p, s.locked());
            Jdbc.setText(insert, ++p, s.incidentId());
            insert.setLong(++p, Sql.ms(s.indexedAt()));
            Jdbc.setText(insert, ++p, s.tier());
          }
          if (insert.execute()) {
            try (java.sql.ResultSet rs = insert.getResultSet()) {
              while (rs.next()) {
                added.add(rs.getString(1));
              }
            }
          }
        } catch (java.sql.SQLException e) {
          throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(
              "insert of " + chunk.size() + " segments failed: " + e.getMessage(), e, null);
        }
      }
      List<Segment> inserted = new ArrayList<>();
      java.util.Map<String, Long> longest = new java.util.HashMap<>();
      for (Segment s : ordered) {
        if (added.contains(s.path())) {
          inserted.add(s);
          longest.merge(s.cameraId(), s.duration().toMillis(), Math::max);
        }
      }
      // Keep the longest-segment bound of touching() true whoever inserts segments.
      longest.forEach((cam, ms) -> h.createUpdate(
              "UPDATE camera_stats SET max_segment_ms = ? WHERE camera_id = ? AND (max_segment_ms IS NULL OR max_segment_ms < ?)")
          .bind(0, ms)
          .bind(1, cam)
          .bind(2, ms)
          .execute());
      Buckets.segments(h, inserted, 1);
      TierTotals.segments(h, inserted, 1);
      return inserted;
    });
  }

  private static void setDouble(java.sql.PreparedStatement ps, int i, OptionalDouble v)
      throws java.sql.SQLException {
    if (v.isPresent()) {
      ps.setDouble(i, v.getAsDouble());
    } else {
      ps.setNull(i, java.sql.Types.DOUBLE);
    }
  }

  @Override
  public Optional<Segment> findByPath(String path) {
    return InvalidRows.valid(
            db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM segments WHERE path = ?")
                .bind(0, path)
                .map(rows)
                .list()))
        .stream()
        .findFirst();
  }

  @Override
  public java.util.Map<String, FileVersion> versionsAmong(Collection<String> paths) {
    java.util.Map<String, FileVersion> found = new java.util.HashMap<>();
    if (paths.isEmpty()) {
      return found;
    }
    List<String> all = new ArrayList<>(paths);
    db.read(h -> {
      for (int i = 0; i < all.size(); i += Sql.IN_CHUNK) {
        List<String> chunk = all.subList(i, Math.min(all.size(), i + Sql.IN_CHUNK));
        Jdbc.list(
                h,
                "SELECT path, size_bytes, file_mtime FROM segments WHERE path IN ("
                    + Jdbc.marks(chunk.size())
                    + ")",
                (rs, ctx) -> java.util.Map.entry(
                    Sql.text(rs, 1),
                    new FileVersion(rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)))),
                chunk.toArray())
            .forEach(e -> found.put(e.getKey(), e.getValue()));
      }
      return null;
    });
    return found;
  }

  @Override
  public List<SegmentSpan> touching(String cameraId, Instant from, Instant to) {
    // The lower bound on start_time (from - the camera's longest segment, LOWEST_START) keeps this
    // an index range scan of the neighbourhood instead of every earlier segment of the camera.
    return db.read(h -> {
      List<SegmentSpan> out = Jdbc.list(
          h,
          "SELECT " + SPAN_COLUMNS + " FROM segments WHERE camera_id = ? AND start_time <= ?"
              + " AND end_time >= ? AND start_time >= " + LOWEST_START
              + "ORDER BY start_time, path",
          span,
          cameraId,
          Sql.ms(to),
          Sql.ms(from),
          Sql.ms(from),
          cameraId);
      out.removeIf(java.util.Objects::isNull); // rows the tolerant mapper skipped
      return out;
    });
  }

  @Override
  public Optional<Instant> latestEndAtOrBefore(String cameraId, Instant t) {
    return db.read(h -> h.createQuery(
            "SELECT max(end_time) FROM segments WHERE camera_id = ? AND end_time <= ?")
        .bind(0, cameraId)
        .bind(1, Sql.ms(t))
        .mapTo(Long.class)
        .findOne()
        .map(Instant::ofEpochMilli));
  }

  @Override
  public Optional<Instant> earliestStartAtOrAfter(String cameraId, Instant t) {
    return db.read(h -> h.createQuery(
            "SELECT min(start_time) FROM segments WHERE camera_id = ? AND start_time >= ?")
        .bind(0, cameraId)
        .bind(1, Sql.ms(t))
        .mapTo(Long.class)
        .findOne()
        .map(Instant::ofEpochMilli));
  }

  @Override
  public List<Segment> overlapping(
      String cameraId, Instant from, Instant to, int limit, Optional<Segment> after) {
    return db.read(h -> rangeRows(
        h,
        CAMERA_COLUMNS,
        (rs, path, start) -> read(rs, cameraId, path, start),
        cameraId,
        from,
        to,
        limit,
        after.map(s -> Sql.ms(s.start())).orElse(Long.MIN_VALUE),
        after.map(Segment::path).orElse("")));
  }

  /** Reads {@code camera_id, path, start_time, end_time, size_bytes, locked, tier}. */
  private final RowMapper<Keyed<RetentionCandidate>> candidate;

  @Override
  public List<RetentionCandidate> oldestCandidates(
      Optional<String> cameraId, int limit, Optional<RetentionCandidate> after) {
    String sql = "SELECT camera_id, path, start_time, end_time, size_bytes, locked, tier"
        + " FROM segments WHERE " + (cameraId.isPresent() ? "camera_id = ? AND " : "")
        + "delete_pending = FALSE AND start_time >= ?"
        + " AND (start_time > ? OR (start_time = ? AND path > ?)) ORDER BY start_time, path LIMIT ?";
    return db.read(h -> fill(
        h,
        (hh, cs, cp, n) -> cameraId.isPresent()
            ? Jdbc.list(hh, sql, candidate, cameraId.get(), cs, cs, cs, cp, n)
            : Jdbc.list(hh, sql, candidate, cs, cs, cs, cp, n),
        after.map(s -> Sql.ms(s.start())).orElse(Long.MIN_VALUE),
        after.map(RetentionCandidate::path).orElse(""),
        limit));
  }

  @Override
  public List<Segment> oldestFirst(Optional<String> cameraId, int limit, Optional<Segment> after) {
    String camera = cameraId.isPresent() ? "camera_id = :cam AND " : "";
    return db.read(h -> fill(
        h,
        (hh, cs, cp, n) -> hh.createQuery(
                "SELECT " + COLUMNS + " FROM segments WHERE " + camera + "delete_pending = FALSE "
                    + "AND start_time >= :cs AND (start_time > :cs OR (start_time = :cs AND path > :cp)) ORDER BY start_time, path LIMIT :limit")
            .bind("cam", cameraId.orElse(null))
            .bind("cs", cs)
            .bind("cp", cp)
            .bind("limit", n)
            .map(keyed())
            .list(),
        after.map(s -> Sql.ms(s.start())).orElse(Long.MIN_VALUE),
        after.map(Segment::path).orElse(""),
        limit));
  }

  @Override
  public Optional<Segment> newest(String cameraId) {
    return InvalidRows.valid(db.read(h -> h.createQuery(
                "SELECT " + COLUMNS
                    + " FROM segments WHERE camera_id = ? ORDER BY start_time DESC, path DESC LIMIT 100")
            .bind(0, cameraId)
            .map(rows)
            .list()))
        .stream()
        .findFirst();
  }

  @Override
  public List<TimelineBucket> buckets(String cameraId, Instant from, Instant to) {
    return db.read(h -> h.createQuery(
            "SELECT * FROM timeline_buckets WHERE camera_id = ? AND bucket_start >= ? AND bucket_start < ? ORDER BY bucket_start")
        .bind(0, cameraId)
        .bind(1, Sql.ms(from))
        .bind(2, Sql.ms(to))
        .map((rs, ctx) -> new TimelineBucket(
            Sql.instant(rs, "bucket_start"),
            Duration.ofMillis(rs.getLong("recorded_ms")),
            rs.getLong("segment_count"),
            rs.getLong("segment_bytes"),
            rs.getLong("snapshot_count")))
        .list());
  }

  @Override
  public List<Segment> oldestOnTier(
      String cameraId, Optional<String> tier, int limit, Optional<Segment> after) {
    String onTier = tier.isPresent() ? "tier = :tier" : "tier IS NULL";
    return db.read(h -> fill(
        h,
        (hh, cs, cp, n) -> hh.createQuery(
                "SELECT " + COLUMNS
                    + " FROM segments WHERE camera_id = :cam AND " + onTier
                    + " AND delete_pending = FALSE AND move_to IS NULL"
                    + " AND start_time >= :cs AND (start_time > :cs OR (start_time = :cs AND path > :cp)) ORDER BY start_time, path LIMIT :limit")
            .bind("cam", cameraId)
            .bind("tier", tier.orElse(null))
            .bind("cs", cs)
            .bind("cp", cp)
            .bind("limit", n)
            .map(keyed())
            .list(),
        after.map(s -> Sql.ms(s.start())).orElse(Long.MIN_VALUE),
        after.map(Segment::path).orElse(""),
        limit));
  }

  @Override
  public java.util.Map<Optional<String>, Long> bytesByTier(String cameraId) {
    // From the roll-up the store keeps, not the segments: what the forecast reads every interval.
    return db.read(h -> {
      java.util.Map<Optional<String>, Long> out = new java.util.HashMap<>();
      h.createQuery(
              "SELECT tier, segment_bytes FROM segment_tier_totals WHERE camera_id = ? AND segment_count > 0")
          .bind(0, cameraId)
          .map((rs, ctx) -> java.util.Map.entry(
              rs.getString(1).isEmpty() ? Optional.<String>empty() : Optional.of(rs.getString(1)),
              rs.getLong(2)))
          .forEach(e -> out.put(e.getKey(), e.getValue()));
      return out;
    });
  }

  @Override
  public List<String> markMoving(Collection<String> paths, String targetTier) {
    Segment.requireTierName(targetTier);
    List<String> marked = new ArrayList<>();
    Sql.inChunks(db, paths, (h, chunk) -> {
      List<String> m = h.createQuery("UPDATE segments SET move_to = :to WHERE path IN (<paths>)"
              + " AND delete_pending = FALSE AND move_to IS NULL"
              + " AND (tier IS NULL OR tier <> :to) RETURNING path")
          .bindList("paths", chunk)
          .bind("to", targetTier)
          .mapTo(String.class)
          .list();
      marked.addAll(m);
      return m.size();
    });
    return marked;
  }

  @Override
  public List<io.heldar.core.model.SegmentMove> moving(int limit) {
    return db.read(h -> h
        .createQuery("SELECT " + COLUMNS
            + ", move_to FROM segments WHERE move_to IS NOT NULL ORDER BY camera_id, path LIMIT ?")
        .bind(0, limit)
        .map((rs, ctx) -> {
          Segment s = rows.map(rs, ctx);
          return s == null ? null : new io.heldar.core.model.SegmentMove(s, Sql.text(rs, 18));
        })
        .list()
        .stream()
        .filter(java.util.Objects::nonNull)
        .toList());
  }

  @Override
  public int relocate(Collection<String> paths, Optional<String> from, String to) {
    String onTier = from.isPresent() ? "tier = :from" : "tier IS NULL";
    return Sql.inChunks(db, paths, (h, chunk) -> {
      java.util.Map<String, long[]> byCamera = new java.util.HashMap<>();
      h.createQuery("UPDATE segments SET tier = :to WHERE path IN (<paths>) AND move_to = :to AND "
              + onTier + " RETURNING camera_id, size_bytes")
          .bindList("paths", chunk)
          .bind("to", to)
          .bind("from", from.orElse(null))
          .map((rs, ctx) -> java.util.Map.entry(rs.getString(1), rs.getLong(2)))
          .forEach(e -> {
            long[] v = byCamera.computeIfAbsent(e.getKey(), k -> new long[2]);
            v[0]++;
            v[1] += e.getValue();
          });
      byCamera.forEach((cam, v) -> TierTotals.moved(h, cam, from, to, v[0], v[1]));
      return (int) byCamera.values().stream().mapToLong(v -> v[0]).sum();
    });
  }

  @Override
  public void finishMoving(Collection<String> paths) {
    Sql.inChunks(db, paths, (h, chunk) -> h.createUpdate(
            "UPDATE segments SET move_to = NULL WHERE path IN (<paths>)")
        .bindList("paths", chunk)
        .execute());
  }

  @Override
  public int markDeletePending(Collection<String> paths) {
    return Sql.inChunks(db, paths, (h, chunk) -> h.createUpdate(
            "UPDATE segments SET delete_pending = TRUE WHERE path IN (<paths>) AND move_to IS NULL")
        .bindList("paths", chunk)
        .execute());
  }

  @Override
  public void clearDeletePending(Collection<String> paths) {
    Sql.inChunks(db, paths, (h, chunk) -> h.createUpdate(
            "UPDATE segments SET delete_pending = FALSE WHERE path IN (<paths>)")
        .bindList("paths", chunk)
        .execute());
  }

  @Override
  public List<Segment> deletePending(int limit) {
    return InvalidRows.valid(db.read(h -> h.createQuery(
            "SELECT " + COLUMNS + " FROM segments WHERE delete_pending = TRUE LIMIT ?")
        .bind(0, limit)
        .map(rows)
        .list()));
  }

  @Override
  public java.util.Set<String> deletePendingPaths(String cameraId) {
    return db.read(h -> new java.util.HashSet<>(
        h.createQuery("SELECT path FROM segments WHERE delete_pending = TRUE AND camera_id = :cam")
            .bind("cam", cameraId)
            .mapTo(String.class)
            .list()));
  }

  @Override
  public int delete(Collection<String> paths) {
    return Sql.inChunks(db, paths, (h, chunk) -> {
      List<Segment> gone = InvalidRows.valid(
          h.createQuery("SELECT " + COLUMNS + " FROM segments WHERE path IN (<paths>)")
              .bindList("paths", chunk)
              .map(rows)
              .list());
      int n = h.createUpdate("DELETE FROM segments WHERE path IN (<paths>)")
          .bindList("paths", chunk)
          .execute();
      Buckets.segments(h, gone, -1);
      TierTotals.segments(h, gone, -1);
      return n;
    });
  }

  @Override
  public long count(String cameraId) {
    return db.read(h -> h.createQuery("SELECT count(*) FROM segments WHERE camera_id = ?")
        .bind(0, cameraId)
        .mapTo(Long.class)
        .one());
  }

  @Override
  public List<java.util.Map.Entry<String, FileVersion>> versionsInPathOrder(
      String cameraId, Optional<String> afterPath, int limit) {
    return db.read(h -> h.createQuery(
            "SELECT path, size_bytes, file_mtime FROM segments WHERE camera_id = ? AND path > ? AND tier IS NULL ORDER BY path LIMIT ?")
        .bind(0, cameraId)
        .bind(1, afterPath.orElse(""))
        .bind(2, limit)
        .map((rs, ctx) -> java.util.Map.entry(
            Sql.text(rs, 1), new FileVersion(rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)))))
        .list());
  }

  /** The segments columns a missing row keeps, in {@link #COLUMNS}' order plus the insert-only ones. */
  private static final String MOVED_COLUMNS =
      "camera_id, path, start_time, end_time, duration_s, codec, width, height, fps, bitrate_kbps, audio_codec, size_bytes, "
          + "file_mtime, container, locked, incident_id, created_at, tier";

  @Override
  public List<Segment> moveToMissing(Collection<String> paths, Instant since) {
    List<Segment> moved = new ArrayList<>();
    Sql.inChunks(db, paths, (h, chunk) -> {
      List<Segment> rowsNow = InvalidRows.valid(
          h.createQuery("SELECT " + COLUMNS + " FROM segments WHERE path IN (<paths>)")
              .bindList("paths", chunk)
              .map(rows)
              .list());
      h.createUpdate("INSERT INTO missing_segments (" + MOVED_COLUMNS + ", missing_since) SELECT "
              + MOVED_COLUMNS
              + ", :since FROM segments WHERE path IN (<paths>) ON CONFLICT (path) DO NOTHING")
          .bindList("paths", chunk)
          .bind("since", Sql.ms(since))
          .execute();
      int n = h.createUpdate("DELETE FROM segments WHERE path IN (<paths>)")
          .bindList("paths", chunk)
          .execute();
      Buckets.segments(h, rowsNow, -1);
      TierTotals.segments(h, rowsNow, -1);
      moved.addAll(rowsNow);
      return n;
    });
    return moved;
  }

  @Override
  public List<Segment> missing(String cameraId, int limit) {
    return db.read(h -> InvalidRows.valid(h.createQuery("SELECT " + COLUMNS
            + " FROM missing_segments WHERE camera_id = ? ORDER BY start_time, path LIMIT ?")
        .bind(0, cameraId)
        .bind(1, limit)
        .map(rows)
        .list()));
  }

  @Override
  public long countMissing(String cameraId) {
    return db.read(h -> h.createQuery("SELECT count(*) FROM missing_segments WHERE camera_id = ?")
        .bind(0, cameraId)
        .mapTo(Long.class)
        .one());
  }

  @Override
  public int forgetMissing(Collection<String> paths) {
    return Sql.inChunks(
        db,
        paths,
        (h, chunk) -> Jdbc.update(
            h,
            "DELETE FROM missing_segments WHERE path IN (" + Jdbc.marks(chunk.size()) + ")",
            chunk));
  }
}
