package io.heldar.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alert rules docs/operations.md recommends are sound: {@code increase()} and {@code rate()}
 * only over counters ({@code _total}), {@code delta()} only over gauges, and every Heldar metric
 * they name is one the metrics table lists.
 */
class AlertRulesDocTest {
  @Test
  void theDocumentedRulesApplyEachFunctionToItsKindOfMetric() throws Exception {
    String doc = Files.readString(Path.of("../docs/operations.md"));
    String section = doc.substring(doc.indexOf("### Metrics to watch"));
    String table = section.substring(0, section.indexOf("```yaml"));
    String rules = section.substring(
        section.indexOf("```yaml"), section.indexOf("```", section.indexOf("```yaml") + 7));
    List<String> exprs = new ArrayList<>();
    rules.lines().filter(l -> l.strip().startsWith("expr:")).forEach(exprs::add);
    assertThat(exprs).hasSizeGreaterThan(5);
    Matcher counters = Pattern.compile("(increase|rate)\\((\\w+)\\[").matcher(rules);
    while (counters.find()) {
      assertThat(counters.group(2)).as(counters.group()).endsWith("_total");
    }
    Matcher gauges = Pattern.compile("delta\\((\\w+)\\[").matcher(rules);
    while (gauges.find()) {
      assertThat(gauges.group(1)).as(gauges.group()).doesNotEndWith("_total");
    }
    Matcher names = Pattern.compile("\\bheldar_\\w+").matcher(String.join("\n", exprs));
    while (names.find()) {
      assertThat(table).as("the metrics table lists " + names.group()).contains(names.group());
    }
  }
}
