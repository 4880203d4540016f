package io.heldar.spring.boot;

import io.heldar.core.Heldar;
import io.heldar.core.clip.SegmentRemuxer;
import io.heldar.core.cluster.ClusterOptions;
import io.heldar.core.event.HeldarListener;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.index.IndexingOptions;
import io.heldar.core.index.SegmentNaming;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.retention.RetentionPolicy;
import io.heldar.core.runtime.RuntimeOptions;
import io.heldar.core.snapshot.SnapshotSource;
import io.heldar.core.store.HeldarStore;
import io.heldar.http.HeldarApiServlet;
import io.heldar.http.HeldarJacksonModule;
import io.heldar.http.HttpApiOptions;
import io.heldar.store.HeldarStores;
import io.heldar.store.postgres.PostgresHeldarStore;
import java.time.ZoneId;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Heldar in a Spring Boot application, from {@code heldar.*} ({@link HeldarProperties}): the store
 * (a file or URL, or the application's PostgreSQL {@code DataSource}), Heldar itself (started by
 * {@link HeldarLifecycle} after the web server, stopped before it), its health ({@link
 * HeldarHealthIndicator}) and meters ({@link HeldarMeterBinder}) when the actuator and Micrometer
 * are there, Heldar's JSON shapes on the application's {@code ObjectMapper} ({@link
 * HeldarJacksonModule}), and with {@code heldar.http.enabled} the API and the page as a servlet under
 * {@code heldar.http.path}, behind whatever security the application puts in front of it. Each bean
 * gives way to one of the application's own ({@code @ConditionalOnMissingBean}).
 */
@AutoConfiguration(
    afterName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@ConditionalOnProperty(
    prefix = "heldar",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(HeldarProperties.class)
public class HeldarAutoConfiguration {
  /** For Spring. */
  public HeldarAutoConfiguration() {}

  /**
   * The store of {@code heldar.store.url}, or on the application's {@code DataSource} when no URL
   * is given; closed with the context.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(HeldarStore.class)
  public HeldarStore heldarStore(
      HeldarProperties properties, ObjectProvider<DataSource> dataSource) {
    String url = properties.getStore().getUrl();
    if (url != null && !url.isBlank()) {
      return HeldarStores.open(url);
    }
    DataSource shared = dataSource.getIfUnique();
    if (shared == null) {
      throw new IllegalStateException("Heldar has no store: set heldar.store.url (a SQLite file"
          + " or a postgresql:// URL), or give the application one PostgreSQL DataSource");
    }
    return PostgresHeldarStore.shared(
        shared, PostgresHeldarStore.Options.builder().build());
  }

  /** The pure-Java MP4 probe, unless the application has a probe of its own. */
  @Bean
  @ConditionalOnMissingBean(MediaProbe.class)
  public MediaProbe heldarMediaProbe() {
    return MediaProbes.nativeMp4();
  }

  /** Heldar, built from the properties and the application's beans; not started here. */
  @Bean
  @ConditionalOnMissingBean(Heldar.class)
  public Heldar heldar(
      HeldarProperties p,
      HeldarStore store,
      MediaProbe probe,
      ObjectProvider<SnapshotSource> snapshotSource,
      ObjectProvider<SegmentRemuxer> remuxer,
      ObjectProvider<io.heldar.core.heal.EdgeSource> edgeSource,
      ObjectProvider<HeldarListener> listeners,
      ObjectProvider<HeldarCustomizer> customizers) {
    if (p.getRecordingsRoot() == null) {
      throw new IllegalStateException("heldar.recordings-root is required (one sub-directory per"
          + " camera); heldar.enabled=false turns Heldar off");
    }
    ZoneId zone = ZoneId.of(p.getZone());
    IndexingOptions indexing = IndexingOptions.from(IndexingOptions.DEFAULTS)
        .naming(SegmentNaming.byName(p.getNaming(), zone))
        .discoverCameras(p.isDiscoverCameras())
        .settleTime(p.getSettleTime())
        .gaps(GapDetector.Options.builder().threshold(p.getGapThreshold()).build())
        .build();
    Heldar.Builder b = Heldar.builder()
        .store(store)
        .recordingsRoot(p.getRecordingsRoot())
        .probe(probe)
        .indexing(indexing)
        .scanInterval(p.getScanInterval())
        .eventMaxAge(p.getEventMaxAge())
        .runtime(RuntimeOptions.from(RuntimeOptions.DEFAULTS)
            .stopTimeout(p.getStopTimeout())
            .build());
    if (p.getSnapshotsRoot() != null) {
      b.snapshotsRoot(p.getSnapshotsRoot());
      snapshotSource.ifAvailable(b::snapshotSource);
    }
    remuxer.ifAvailable(b::clipRemuxer);
    edgeSource.ifAvailable(e -> b.edgeSource(e).healing(p.getHealing().toOptions()));
    listeners.orderedStream().forEach(b::listener);
    HeldarProperties.Retention r = p.getRetention();
    if (r.any()) {
      RetentionPolicy.Builder policy =
          RetentionPolicy.builder().maxDeleteShare(r.getMaxDeleteShare());
      if (r.getMaxAge() != null) {
        policy.maxAge(r.getMaxAge());
      }
      if (r.getMaxBytesPerCamera() != null) {
        policy.maxBytesPerCamera(r.getMaxBytesPerCamera());
      }
      if (r.getMinFreeBytes() != null) {
        policy.minFreeBytes(r.getMinFreeBytes());
      }
      if (r.getSnapshotMaxAge() != null) {
        policy.snapshotMaxAge(r.getSnapshotMaxAge());
      }
      b.retention(policy.build()).retentionInterval(r.getInterval());
    }
    if (!p.getTiers().isEmpty()) {
      java.util.List<io.heldar.core.tier.StorageTier> further = new java.util.ArrayList<>();
      for (int i = 0; i < p.getTiers().size(); i++) {
        HeldarProperties.Tier t = p.getTiers().get(i);
        if (t.getName() == null || t.getRoot() == null) {
          throw new IllegalArgumentException(
              "heldar.tiers[" + i + "] needs both a name and a root");
        }
        further.add(t.toTier(t.getName(), t.getRoot()));
      }
      b.storageTiers(io.heldar.core.tier.StorageTiers.of(
              p.getHotTier()
                  .toTier(
                      io.heldar.core.tier.StorageTiers.DEFAULT_PRIMARY_NAME, p.getRecordingsRoot()),
              further.toArray(io.heldar.core.tier.StorageTier[]::new)))
          .tierMoves(io.heldar.core.tier.TierMoveOptions.builder()
              .interval(p.getTierMoves().getInterval())
              .bytesPerSecond(p.getTierMoves().getBytesPerSecond())
              .concurrentFiles(p.getTierMoves().getConcurrentFiles())
              .build());
    }
    HeldarProperties.Cluster c = p.getCluster();
    if (c.getNode() != null && !c.getNode().isBlank()) {
      ClusterOptions.Builder cluster = ClusterOptions.builder()
          .nodeId(c.getNode())
          .lease(c.getLease())
          .capacity(c.getCapacity());
      c.getPin().forEach(cluster::pin);
      b.cluster(cluster.build());
    }
    customizers.orderedStream().forEach(x -> x.customize(b));
    return b.build();
  }

  /** Starts and stops Heldar with the context. */
  @Bean
  @ConditionalOnMissingBean(HeldarLifecycle.class)
  public HeldarLifecycle heldarLifecycle(Heldar heldar) {
    return new HeldarLifecycle(heldar);
  }

  /** Heldar's records in the API's JSON shapes, on the application's {@code ObjectMapper}. */
  @Bean
  @ConditionalOnClass(name = "com.fasterxml.jackson.databind.Module")
  @ConditionalOnMissingBean(HeldarJacksonModule.class)
  public HeldarJacksonModule heldarJacksonModule() {
    return new HeldarJacksonModule();
  }

  /** The actuator's health. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "heldarHealthIndicator")
    HeldarHealthIndicator heldarHealthIndicator(Heldar heldar) {
      return new HeldarHealthIndicator(heldar);
    }
  }

  /** Micrometer's meters. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  static class Metrics {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(HeldarMeterBinder.class)
    HeldarMeterBinder heldarMeterBinder(Heldar heldar, HeldarProperties properties) {
      return new HeldarMeterBinder(heldar, properties.getMetrics().getRefresh());
    }
  }

  /** The HTTP API and the page, as a servlet of the application. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "jakarta.servlet.Servlet")
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnProperty(prefix = "heldar.http", name = "enabled", havingValue = "true")
  static class Http {
    @Bean
    @ConditionalOnMissingBean(HttpApiOptions.class)
    HttpApiOptions heldarHttpApiOptions() {
      return HttpApiOptions.defaults();
    }

    @Bean
    ServletRegistrationBean<HeldarApiServlet> heldarApiServlet(
        Heldar heldar, HttpApiOptions options, HeldarProperties properties) {
      String path = properties.getHttp().getPath();
      if (!path.matches("(/[A-Za-z0-9._-]+)+")) {
        throw new IllegalStateException(
            "heldar.http.path must be a path such as /heldar (no trailing slash): " + path);
      }
      ServletRegistrationBean<HeldarApiServlet> bean =
          new ServletRegistrationBean<>(new HeldarApiServlet(heldar, options), path + "/*");
      bean.setName("heldar");
      bean.setAsyncSupported(true);
      return bean;
    }
  }
}
