package io.heldar.store.jdbi.internal;

import io.heldar.store.jdbi.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Column conversions: instants are INTEGER epoch milliseconds, optionals are NULL when empty. */
final class Sql {
  /** Values per {@code IN (...)} list: well under SQLite's bound-parameter limit. */
  static final int IN_CHUNK = 500;

  private Sql() {}

  /** Runs {@code work} over {@code values} in chunks of {@link #IN_CHUNK}, in one write transaction; sums the results. */
  static int inChunks(
      Database db,
      java.util.Collection<String> values,
      java.util.function.BiFunction<org.jdbi.v3.core.Handle, java.util.List<String>, Integer>
          work) {
    if (values.isEmpty()) {
      return 0;
    }
    java.util.List<String> all = new java.util.ArrayList<>(values);
    return db.write(h -> {
      int total = 0;
      for (int i = 0; i < all.size(); i += IN_CHUNK) {
        total += work.apply(h, all.subList(i, Math.min(all.size(), i + IN_CHUNK)));
      }
      return total;
    });
  }

  /**
   * Column {@code column}'s text, or {@code null}. On SQLite it is read as bytes and decoded here:
   * the xerial driver's {@code getString} hands each value over through a direct buffer made in
   * native code and copied again, which costs a quarter of a timeline page (docs/performance.md);
   * its {@code getBytes} returns the same UTF-8 bytes in one copy. Heldar's SQLite databases are
   * UTF-8 ({@code SqliteDatabase} refuses any other encoding), so the two read the same text.
   */
  static String text(ResultSet rs, int column) throws SQLException {
    if (rs instanceof org.sqlite.core.CoreResultSet) {
      byte[] utf8 = rs.getBytes(column);
      return utf8 == null ? null : new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
    }
    return rs.getString(column);
  }

  static long ms(Instant t) {
    return t.toEpochMilli();
  }

  static Long msOrNull(Optional<Instant> t) {
    return t.map(Instant::toEpochMilli).orElse(null);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    return Instant.ofEpochMilli(rs.getLong(column));
  }

  static Optional<Instant> optInstant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
  }

  static Optional<String> optString(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getString(column));
  }

  static OptionalDouble optDouble(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  static OptionalLong optLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
  }
}
