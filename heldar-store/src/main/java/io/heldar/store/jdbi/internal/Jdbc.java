package io.heldar.store.jdbi.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The hot read paths (timeline pages, retention planning) on the handle's own connection with plain
 * JDBC: positional parameters set directly and rows mapped as they come. Jdbi's per-argument
 * binding (a type lookup and a map entry per argument) and its result pipeline cost more than
 * SQLite's own work on a page of thousands of rows (measured in docs/performance.md). A failure is a
 * Jdbi exception, so the database turns it into a {@code StoreException} as for any query.
 */
final class Jdbc {
  private Jdbc() {}

  /** {@code ?, ?, ?} for {@code n} values: what replaces {@code <paths>} in an IN list. */
  static String marks(int n) {
    StringBuilder sb = new StringBuilder(n * 3);
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "?" : ", ?");
    }
    return sb.toString();
  }

  /** Runs the update {@code sql} with {@code args}; returns the rows it changed. */
  static int update(Handle h, String sql, List<?> args) {
    try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
      bind(ps, args.toArray());
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException("update failed: " + e.getMessage(), e, null);
    }
  }

  /** Runs {@code sql} with {@code args} (Long, Integer, String or Boolean) and maps every row. */
  static <T> List<T> list(Handle h, String sql, RowMapper<T> mapper, Object... args) {
    try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
      bind(ps, args);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(mapper.map(rs, null));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException("query failed: " + e.getMessage(), e, null);
    }
  }

  /** Sets {@code args} (Long, Integer, String or Boolean) as the statement's parameters, in order. */
  static void bind(PreparedStatement ps, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof Long l) {
        ps.setLong(i + 1, l);
      } else if (a instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else if (a instanceof String s) {
        ps.setString(i + 1, s);
      } else if (a instanceof Boolean b) {
        ps.setBoolean(i + 1, b);
      } else {
        throw new IllegalArgumentException("unsupported parameter " + a);
      }
    }
  }

  /** Sets parameter {@code i} to {@code v}'s text, or SQL NULL when it is empty. */
  static void setText(PreparedStatement ps, int i, java.util.Optional<String> v)
      throws SQLException {
    if (v.isPresent()) {
      ps.setString(i, v.get());
    } else {
      ps.setNull(i, java.sql.Types.VARCHAR);
    }
  }
}
