package io.heldar.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heldar.core.Heldar;
import io.heldar.core.model.Camera;
import io.heldar.core.testing.Await;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.spring.boot.host.HostApplication;
import io.heldar.store.postgres.PostgresHeldarStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter in a real Spring Boot web application (Tomcat, the actuator, Micrometer's Prometheus
 * registry) on real MP4 files: Heldar starts after the web server, its health and meters show in
 * the actuator with the names of its own {@code /metrics}, cameras added at run time get meters,
 * its API and page are served under {@code /heldar}, the host's own controller writes Heldar's
 * records as the API does, the store can be the application's PostgreSQL {@code DataSource}, and
 * closing the context leaves no thread of Heldar's behind.
 */
class HeldarStarterTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  /** gate: 2 s segments at 0, 2 and 6 s (a hole at 4, a gap over a threshold of 1 s). */
  private Path recordings() {
    Path root = dir.resolve("rec");
    for (int k : new int[] {0, 1, 3}) {
      Path f = TestMedia.make(
          root.resolve("gate").resolve(NAME.format(T0.plusSeconds(2L * k)) + ".mp4"),
          TestMedia.Spec.plain());
      TestMedia.touch(f, Instant.now().minusSeconds(60));
    }
    return root;
  }

  private ConfigurableApplicationContext start(Map<String, Object> extra) {
    HostApplication.ORDER.clear();
    Map<String, Object> props = new TreeMap<>(Map.of(
        "server.port", "0",
        "heldar.recordings-root", recordings().toString(),
        "heldar.discover-cameras", "true",
        "heldar.scan-interval", "200ms",
        "heldar.gap-threshold", "1s",
        "heldar.metrics.refresh", "100ms",
        "heldar.http.enabled", "true",
        "management.endpoints.web.exposure.include", "health,prometheus",
        "management.endpoint.health.show-details", "always",
        "spring.main.banner-mode", "off"));
    props.putAll(extra);
    return new SpringApplicationBuilder(HostApplication.class).properties(props).run();
  }

  private String get(ConfigurableApplicationContext ctx, String path) throws Exception {
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port") + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  private static Set<String> heldarThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("heldar"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Every {@code heldar_…} sample of a Prometheus text, as {@code name{labels}} (values dropped). */
  private static Set<String> samples(String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^(heldar_[a-z_]+(?:\\{[^}]*\\})?) (\\S+)$").matcher(text);
    while (m.find()) {
      if (!m.group(2).equals("NaN")) {
        out.add(m.group(1).replace(",}", "}"));
      }
    }
    return out;
  }

  @Test
  void runsWithTheApplicationWithItsHealthMetricsApiAndJsonAndStopsWithIt() throws Exception {
    Set<String> before = heldarThreads();
    try (ConfigurableApplicationContext ctx = start(Map.of(
        "heldar.store.url",
        dir.resolve("heldar.db").toString(),
        // an application without a database of its own
        "spring.autoconfigure.exclude",
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"))) {
      Heldar heldar = ctx.getBean(Heldar.class);
      Await.until(
          Duration.ofSeconds(30),
          () -> heldar.store().segments().count("gate") == 3,
          "the footage indexed");
      assertThat(HostApplication.ORDER)
          .as("the web server was up before the first probe")
          .startsWith("web server", "probe");

      // health: the same rule as /health
      JsonNode health = JSON.readTree(get(ctx, "/actuator/health"));
      assertThat(health.path("components").path("heldar").path("status").asText())
          .isEqualTo("UP");
      assertThat(health
              .path("components")
              .path("heldar")
              .path("details")
              .path("status")
              .asText())
          .isEqualTo("ok");

      // metrics: every sample of Heldar's own /metrics is in the actuator's, named the same
      Await.until(
          Duration.ofSeconds(10),
          () -> {
            try {
              return samples(get(ctx, "/actuator/prometheus"))
                  .containsAll(samples(get(ctx, "/heldar/metrics")));
            } catch (Exception e) {
              return false;
            }
          },
          "the actuator's samples to include /heldar/metrics's");
      String scrape = get(ctx, "/actuator/prometheus");
      assertThat(scrape)
          .contains("heldar_segments_indexed_total{camera=\"gate\"} 3.0")
          .contains("heldar_open_gaps{camera=\"gate\"} 1.0")
          .contains("heldar_camera_status{camera=\"gate\",status=\"stale\"} 1.0");

      // a camera added at run time gets meters; a deleted one loses them
      heldar.client().registerCamera(Camera.of("door", Instant.now()));
      Await.until(
          Duration.ofSeconds(10),
          () -> {
            try {
              return get(ctx, "/actuator/prometheus").contains("camera=\"door\"");
            } catch (Exception e) {
              return false;
            }
          },
          "meters for the camera added");
      assertThat(heldar.client().deleteCamera("door")).isTrue();
      Await.until(
          Duration.ofSeconds(10),
          () -> {
            try {
              return !get(ctx, "/actuator/prometheus").contains("camera=\"door\"");
            } catch (Exception e) {
              return false;
            }
          },
          "the deleted camera's meters gone");

      // the API and the page under /heldar; the host's controller writes the API's JSON
      String range = "from=2026-11-21T09:00:00Z&to=2026-11-21T11:00:00Z";
      JsonNode api = JSON.readTree(get(ctx, "/heldar/api/cameras/gate/timeline?" + range));
      JsonNode mine = JSON.readTree(get(ctx, "/mine/gate/timeline?" + range));
      assertThat(mine).isEqualTo(api);
      assertThat(api.path("gaps"))
          .singleElement()
          .satisfies(g -> assertThat(g.path("cause").asText()).isEqualTo("missing"));
      assertThat(get(ctx, "/heldar/")).contains("<title>Heldar</title>");
      HttpResponse<Void> bare = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                  + ctx.getEnvironment().getProperty("local.server.port") + "/heldar"))
              .build(),
          HttpResponse.BodyHandlers.discarding());
      assertThat(bare.statusCode()).isEqualTo(308);
      assertThat(bare.headers().firstValue("Location")).contains("/heldar/");
    }
    Await.until(
        Duration.ofSeconds(10),
        () -> heldarThreads().equals(before),
        "Heldar's threads to end (still: " + heldarThreads() + ")");
  }

  @Test
  void theStoreCanBeTheApplicationsPostgresDataSource() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        ConfigurableApplicationContext ctx = start(Map.of(
            "spring.datasource.url",
            pg.getJdbcUrl("postgres", "postgres"),
            "spring.datasource.username",
            "postgres"))) {
      Heldar heldar = ctx.getBean(Heldar.class);
      assertThat(heldar.store()).isInstanceOf(PostgresHeldarStore.class);
      Await.until(
          Duration.ofSeconds(30),
          () -> heldar.store().segments().count("gate") == 3,
          "the footage indexed in the application's database");
      List<String> tables = new ArrayList<>();
      try (var c = ctx.getBean(javax.sql.DataSource.class).getConnection();
          var rs = c.getMetaData().getTables(null, "public", "segments", null)) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
        }
      }
      assertThat(tables).containsExactly("segments");
      assertThat(Optional.ofNullable(ctx.getEnvironment().getProperty("heldar.store.url")))
          .isEmpty();
    }
  }
}
