package io.heldar.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one codec of event payloads, directly. */
class EventPayloadsTest {
  @Test
  void writesInInsertionOrderAndReadsBackEveryValue() {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("z_first", "kept first");
    payload.put("quote", "a \"quoted\" \\ path\n\ttab\u0001");
    payload.put("unicode", "Café 日本 \uD83D\uDCF9");
    payload.put("long", Long.MAX_VALUE);
    payload.put("negative", -42L);
    payload.put("double", 0.1);
    payload.put("tiny", 1e-7);
    payload.put("huge", 1.5e300);
    payload.put("yes", true);
    payload.put("no", false);
    String json = EventPayloads.write(payload);
    assertThat(json)
        .startsWith(
            "{\"z_first\":\"kept first\",\"quote\":\"a \\\"quoted\\\" \\\\ path\\n\\ttab\\u0001\"");
    assertThat(EventPayloads.read(json)).containsExactlyEntriesOf(payload);
  }

  @Test
  void readsWhatOtherToolsWriteWithoutThrowing() {
    assertThat(EventPayloads.read("{ \"a\" : null , \"b\" : 1 }"))
        .as("null values are left out")
        .containsExactlyEntriesOf(Map.of("b", 1L));
    assertThat(EventPayloads.read("{\"nested\":{\"x\":[1,2,{\"y\":\"}\"}]},\"n\":2}"))
        .containsEntry("nested", "{\"x\":[1,2,{\"y\":\"}\"}]}")
        .containsEntry("n", 2L);
    assertThat(EventPayloads.read("{\"big\":123456789012345678901234567890}").get("big"))
        .isInstanceOf(Double.class);
    assertThat(EventPayloads.read("{\"e\":\"\\u00e9\"}")).containsEntry("e", "é");
    assertThat(EventPayloads.read("{}")).isEmpty();
    assertThat(EventPayloads.read(null)).isEmpty();
    for (String bad : new String[] {
      "",
      "[]",
      "not json",
      "{\"a\":",
      "{\"a\":1} trailing",
      "{\"a\":\"unterminated",
      "{\"a\":\"\\u12\"}",
      "{\"a\":1e}"
    }) {
      assertThat(EventPayloads.read(bad))
          .as(bad)
          .containsExactlyEntriesOf(Map.of(EventPayloads.UNPARSED, bad));
    }
  }

  @Test
  void randomTextNeverThrows() {
    Random random = new Random(11);
    String alphabet = "{}[]\":,\\ u0123456789abcdefnrt.-+eE\n";
    for (int i = 0; i < 5000; i++) {
      StringBuilder sb = new StringBuilder("{");
      int n = random.nextInt(30);
      for (int j = 0; j < n; j++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = sb.toString();
      assertThatCode(() -> EventPayloads.read(text)).as(text).doesNotThrowAnyException();
    }
  }
}
