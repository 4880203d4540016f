package io.heldar.store.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.store.jdbi.internal.PlainSqlParser;
import org.jdbi.v3.core.statement.ParsedSql;
import org.junit.jupiter.api.Test;

/** The statement parser Heldar's stores use instead of Jdbi's generated lexer. */
class PlainSqlParserTest {
  private static ParsedSql parse(String sql) {
    return PlainSqlParser.INSTANCE.parse(sql, null);
  }

  @Test
  void namedAndPositionalParametersAreFoundOutsideQuotesCommentsAndCasts() {
    ParsedSql named = parse(
        "SELECT ':no', \"a:b\", x::bigint /* :no */ FROM t -- :no\n WHERE a = :cam AND b.c = :b.c");
    assertThat(named.getParameters().getParameterNames()).containsExactly("cam", "b.c");
    assertThat(named.getSql())
        .isEqualTo(
            "SELECT ':no', \"a:b\", x::bigint /* :no */ FROM t -- :no\n WHERE a = ? AND b.c = ?");

    ParsedSql positional = parse("UPDATE t SET a = ? WHERE b = 'it''s ?' AND c IN (?, ?)");
    assertThat(positional.getParameters().isPositional()).isTrue();
    assertThat(positional.getParameters().getParameterCount()).isEqualTo(3);
    assertThat(positional.getSql())
        .isEqualTo("UPDATE t SET a = ? WHERE b = 'it''s ?' AND c IN (?, ?)");

    assertThat(parse("SELECT 1").getSql()).isEqualTo("SELECT 1");
    assertThat(parse("SELECT 'unclosed :x").getParameters().getParameterCount()).isZero();
  }
}
