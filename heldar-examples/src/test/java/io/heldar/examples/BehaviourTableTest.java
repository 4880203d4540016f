package io.heldar.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps the "Behaviour → class" table of docs/architecture.md true: every class it names exists. */
class BehaviourTableTest {
  @Test
  void everyClassTheTableNamesExists() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "architecture.md"));
    int start = doc.indexOf("## Behaviour → class");
    assertThat(start).as("the table's heading").isNotNegative();
    int end = doc.indexOf("\n## ", start + 1);
    String table = doc.substring(start, end < 0 ? doc.length() : end);
    Matcher m =
        Pattern.compile("\\| [^|]+ \\| `(io\\.heldar\\.[A-Za-z0-9_.]+)` \\|").matcher(table);
    List<String> named = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    while (m.find()) {
      named.add(m.group(1));
      try {
        Class.forName(m.group(1), false, getClass().getClassLoader());
      } catch (ClassNotFoundException e) {
        missing.add(m.group(1));
      }
    }
    assertThat(named).as("rows of the table").hasSizeGreaterThan(15);
    assertThat(missing).as("classes the table names that do not exist").isEmpty();
  }
}
