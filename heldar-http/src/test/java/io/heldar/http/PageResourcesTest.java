package io.heldar.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The page's files are in the jar, small, and load nothing from anywhere else. */
class PageResourcesTest {
  static final List<String> FILES = List.of("index.html", "app.js", "style.css", "icon.svg");

  @Test
  void thePageIsSmallAndSelfContained() throws Exception {
    long total = 0;
    for (String f : FILES) {
      try (InputStream in = HeldarApiServlet.class.getResourceAsStream("page/" + f)) {
        assertThat(in).as(f).isNotNull();
        byte[] bytes = in.readAllBytes();
        total += bytes.length;
        String text = new String(bytes, StandardCharsets.UTF_8);
        // The only absolute URL allowed is the SVG namespace, which is a name, not a load.
        assertThat(text.replace("http://www.w3.org/2000/svg", ""))
            .as(f)
            .doesNotContain("http://", "https://", "//cdn");
      }
    }
    assertThat(total).as("page weight in bytes").isLessThan(200_000);
    assertThat(HeldarApiServlet.PAGE_POLICY).contains("default-src 'none'", "script-src 'self'");
  }
}
