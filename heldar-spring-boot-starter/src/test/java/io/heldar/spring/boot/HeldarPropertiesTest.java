package io.heldar.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heldar.core.Heldar;
import io.heldar.core.cluster.ClusterOptions;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.index.IndexingOptions;
import io.heldar.core.retention.RetentionPolicy;
import io.heldar.core.runtime.RuntimeOptions;
import io.heldar.spring.boot.host.HostApplication;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.convert.DurationStyle;

/**
 * The properties' metadata (what an IDE completes) states the library's own defaults, and a
 * missing or wrong property stops the application with a message naming it.
 */
class HeldarPropertiesTest {
  @TempDir
  Path dir;

  @Test
  void theMetadataStatesTheLibrarysDefaults() throws Exception {
    JsonNode meta;
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      meta = new ObjectMapper().readTree(in);
    }
    Map<String, JsonNode> defaults = new HashMap<>();
    meta.path("properties")
        .forEach(p -> defaults.put(p.path("name").asText(), p.path("defaultValue")));
    Map<String, Object> expected = Map.of(
        "heldar.scan-interval", Heldar.Builder.DEFAULT_SCAN_INTERVAL,
        "heldar.settle-time", IndexingOptions.DEFAULT_SETTLE_TIME,
        "heldar.gap-threshold", GapDetector.Options.DEFAULT_THRESHOLD,
        "heldar.event-max-age", Heldar.Builder.DEFAULT_EVENT_MAX_AGE,
        "heldar.stop-timeout", RuntimeOptions.DEFAULT_STOP_TIMEOUT,
        "heldar.retention.interval", Heldar.Builder.DEFAULT_RETENTION_INTERVAL,
        "heldar.cluster.lease", ClusterOptions.DEFAULT_LEASE,
        "heldar.tier-moves.interval", io.heldar.core.tier.TierMoveOptions.DEFAULT_INTERVAL);
    expected.forEach((name, value) -> assertThat(
            DurationStyle.detectAndParse(defaults.get(name).asText()))
        .as(name)
        .isEqualTo(value));
    assertThat(defaults.get("heldar.retention.max-delete-share").asDouble())
        .isEqualTo(RetentionPolicy.DEFAULT_MAX_DELETE_SHARE);
    assertThat(defaults.get("heldar.cluster.capacity").asInt())
        .isEqualTo(ClusterOptions.DEFAULT_CAPACITY);
    assertThat(defaults.get("heldar.tier-moves.bytes-per-second").asLong())
        .isEqualTo(io.heldar.core.tier.TierMoveOptions.DEFAULT_BYTES_PER_SECOND);
    assertThat(defaults.get("heldar.tier-moves.concurrent-files").asInt())
        .isEqualTo(io.heldar.core.tier.TierMoveOptions.DEFAULT_CONCURRENT_FILES);
    assertThat(new HeldarProperties().getTierMoves().getBytesPerSecond())
        .isEqualTo(io.heldar.core.tier.TierMoveOptions.DEFAULT_BYTES_PER_SECOND);
    // and the properties object starts from the same values
    HeldarProperties p = new HeldarProperties();
    assertThat(p.getScanInterval()).isEqualTo(Heldar.Builder.DEFAULT_SCAN_INTERVAL);
    assertThat(p.getRetention().getMaxDeleteShare())
        .isEqualTo(RetentionPolicy.DEFAULT_MAX_DELETE_SHARE);
  }

  @Test
  void aMissingOrWrongPropertyStopsTheStartNamingIt() {
    Map<String, Object> base = Map.of(
        "server.port",
        "0",
        "spring.main.banner-mode",
        "off",
        "spring.autoconfigure.exclude",
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "heldar.store.url",
        dir.resolve("heldar.db").toString());
    assertThatThrownBy(() -> new SpringApplicationBuilder(HostApplication.class)
            .properties(base)
            .run()
            .close())
        .rootCause()
        .hasMessageContaining("heldar.recordings-root is required");
    Map<String, Object> wrong = new HashMap<>(base);
    wrong.put("heldar.recordings-root", dir.toString());
    wrong.put("heldar.scan-interval", "-5s");
    assertThatThrownBy(() -> new SpringApplicationBuilder(HostApplication.class)
            .properties(wrong)
            .run()
            .close())
        .rootCause()
        .hasMessageContaining("scan");
    Map<String, Object> noStore = new HashMap<>(base);
    noStore.remove("heldar.store.url");
    noStore.put("heldar.recordings-root", dir.toString());
    assertThatThrownBy(() -> new SpringApplicationBuilder(HostApplication.class)
            .properties(noStore)
            .run()
            .close())
        .rootCause()
        .hasMessageContaining("set heldar.store.url");
  }

  @Test
  void storageTiersComeFromProperties() throws Exception {
    Path rec = java.nio.file.Files.createDirectories(dir.resolve("rec"));
    Path nas = java.nio.file.Files.createDirectories(dir.resolve("nas"));
    Map<String, Object> props = new HashMap<>(Map.of(
        "server.port",
        "0",
        "spring.main.banner-mode",
        "off",
        "spring.autoconfigure.exclude",
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "heldar.store.url",
        dir.resolve("heldar.db").toString(),
        "heldar.recordings-root",
        rec.toString(),
        "heldar.hot-tier.move-after",
        "2d",
        "heldar.tiers[0].name",
        "nas",
        "heldar.tiers[0].root",
        nas.toString(),
        "heldar.tier-moves.bytes-per-second",
        "1000000"));
    try (var context =
        new SpringApplicationBuilder(HostApplication.class).properties(props).run()) {
      io.heldar.core.tier.StorageTiers tiers =
          context.getBean(io.heldar.core.Heldar.class).storageTiers().orElseThrow();
      assertThat(tiers.all())
          .extracting(io.heldar.core.tier.StorageTier::name)
          .containsExactly("hot", "nas");
      assertThat(tiers.primary().moveAfter()).contains(java.time.Duration.ofDays(2));
      assertThat(tiers.all().get(1).root()).isEqualTo(nas.toAbsolutePath().normalize());
    }
    props.remove("heldar.tiers[0].root");
    assertThatThrownBy(() -> new SpringApplicationBuilder(HostApplication.class)
            .properties(props)
            .run()
            .close())
        .rootCause()
        .hasMessageContaining("heldar.tiers[0] needs both a name and a root");
  }

  /** A host's edge source: the starter turns healing on with it. */
  @org.springframework.context.annotation.Configuration
  static class EdgeConfig {
    @org.springframework.context.annotation.Bean
    io.heldar.core.heal.EdgeSource edgeSource() {
      return (request, sink) -> new io.heldar.core.heal.EdgeFetch.NoFootage("none here");
    }
  }

  @Test
  void anEdgeSourceBeanTurnsHealingOnWithTheHealingProperties() throws Exception {
    Path rec = java.nio.file.Files.createDirectories(dir.resolve("rec"));
    Map<String, Object> props = new HashMap<>(Map.of(
        "server.port",
        "0",
        "spring.main.banner-mode",
        "off",
        "spring.autoconfigure.exclude",
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "heldar.store.url",
        dir.resolve("heldar.db").toString(),
        "heldar.recordings-root",
        rec.toString(),
        "heldar.healing.chunk",
        "2m"));
    try (var context = new SpringApplicationBuilder(HostApplication.class, EdgeConfig.class)
        .properties(props)
        .run()) {
      assertThat(context.getBean(Heldar.class).health())
          .extracting(io.heldar.core.runtime.TaskHealth::name)
          .contains("gap-healer");
    }
    try (var context =
        new SpringApplicationBuilder(HostApplication.class).properties(props).run()) {
      assertThat(context.getBean(Heldar.class).health())
          .extracting(io.heldar.core.runtime.TaskHealth::name)
          .doesNotContain("gap-healer");
    }
    props.put("heldar.healing.concurrent-fetches", "0");
    assertThatThrownBy(() -> new SpringApplicationBuilder(HostApplication.class, EdgeConfig.class)
            .properties(props)
            .run()
            .close())
        .rootCause()
        .hasMessageContaining("concurrentFetches must be between 1 and 256");
  }
}
