package io.heldar.store.jdbi.internal;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.ParsedSql;
import org.jdbi.v3.core.statement.SqlParser;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Finds {@code ?} and {@code :name} parameters in one linear pass, skipping string literals, quoted
 * identifiers, comments and PostgreSQL's {@code ::} casts. It replaces Jdbi's default parser, a
 * generated lexer whose cache misses on every statement with a list of a new length ({@code IN
 * (<paths>)}, multi-row inserts): profiling the indexer showed that lexer taking a third of the
 * committing thread.
 */
public final class PlainSqlParser implements SqlParser {
  /** The one instance: it holds no state. */
  public static final PlainSqlParser INSTANCE = new PlainSqlParser();

  private PlainSqlParser() {}

  /** Makes {@code jdbi} parse statements with this parser; returns it. */
  public static Jdbi install(Jdbi jdbi) {
    jdbi.getConfig(SqlStatements.class).setSqlParser(INSTANCE);
    return jdbi;
  }

  @Override
  public ParsedSql parse(String sql, StatementContext ctx) {
    ParsedSql.Builder out = ParsedSql.builder();
    StringBuilder text = new StringBuilder(sql.length());
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        int end = closing(sql, i + 1, c);
        text.append(sql, i, end);
        i = end;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? n : end;
        text.append(sql, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        text.append(sql, i, end);
        i = end;
      } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
        text.append("::");
        i += 2;
      } else if (c == ':' && i + 1 < n && isNameChar(sql.charAt(i + 1))) {
        int end = i + 1;
        while (end < n && isNameChar(sql.charAt(end))) {
          end++;
        }
        out.append(text.toString());
        text.setLength(0);
        out.appendNamedParameter(sql.substring(i + 1, end));
        i = end;
      } else if (c == '?') {
        out.append(text.toString());
        text.setLength(0);
        out.appendPositionalParameter();
        i++;
      } else {
        text.append(c);
        i++;
      }
    }
    out.append(text.toString());
    return out.build();
  }

  /** The index after the quote closing one opened before {@code from} ({@code ''} escapes it). */
  private static int closing(String sql, int from, char quote) {
    int i = from;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '.';
  }

  @Override
  public String nameParameter(String rawName, StatementContext ctx) {
    return ":" + rawName;
  }
}
