package io.heldar.store.jdbi.internal;

import io.heldar.core.model.InvalidRow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.mapper.RowMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows that do not make valid values: mapped to {@code null} (callers drop them) and remembered,
 * so one edited row never fails a whole query, and never goes unnoticed.
 */
public final class InvalidRows {
  private static final Logger log = LoggerFactory.getLogger(InvalidRows.class);
  private static final int MAX_REMEMBERED = 10_000;

  private final Map<String, InvalidRow> rows = new LinkedHashMap<>();

  /** Creates an empty record. */
  public InvalidRows() {}

  /** {@code mapper}, returning {@code null} for a row its value's checks refuse. */
  public <T> RowMapper<T> tolerant(String table, RowMapper<T> mapper) {
    return (rs, ctx) -> {
      try {
        return mapper.map(rs, ctx);
      } catch (IllegalArgumentException
          | NullPointerException
          | DateTimeException
          | ArithmeticException e) {
        remember(new InvalidRow(
            table, column(rs, "path"), column(rs, "camera_id"), String.valueOf(e.getMessage())));
        return null;
      }
    };
  }

  /**
   * Remembers a row of {@code table} (its {@code path}, of camera {@code cameraId}) that a reader
   * reading it column by column found invalid, as {@link #tolerant} does for a mapper's row.
   */
  void skipped(String table, String path, String cameraId, RuntimeException why) {
    remember(new InvalidRow(
        table, String.valueOf(path), String.valueOf(cameraId), String.valueOf(why.getMessage())));
  }

  /** {@code mapped} without the {@code null}s a {@link #tolerant} mapper made of invalid rows. */
  public static <T> List<T> valid(List<T> mapped) {
    return mapped.stream().filter(java.util.Objects::nonNull).toList();
  }

  private static String column(ResultSet rs, String name) {
    try {
      return rs.getString(name);
    } catch (SQLException e) {
      return "";
    }
  }

  /**
   * One entry per row (table and path): a row read through several mappers (a whole segment, its
   * span) is remembered once, warned about once, with the latest reason and the camera any of them
   * knew.
   */
  private synchronized void remember(InvalidRow row) {
    String key = row.table() + "\u0000" + row.path();
    InvalidRow before = rows.remove(key);
    if (before != null && row.cameraId().isEmpty() && !before.cameraId().isEmpty()) {
      row = new InvalidRow(row.table(), row.path(), before.cameraId(), row.reason());
    }
    if (before == null) {
      log.warn(
          "{} row {} (camera {}) skipped: {}",
          row.table(),
          io.heldar.core.model.PrintableText.of(row.path()),
          io.heldar.core.model.PrintableText.of(row.cameraId()),
          io.heldar.core.model.PrintableText.of(row.reason()));
    }
    rows.put(key, row);
    if (rows.size() > MAX_REMEMBERED) {
      rows.remove(rows.keySet().iterator().next());
    }
  }

  /** The rows skipped so far, oldest first. */
  public synchronized List<InvalidRow> list() {
    return List.copyOf(new ArrayList<>(rows.values()));
  }
}
