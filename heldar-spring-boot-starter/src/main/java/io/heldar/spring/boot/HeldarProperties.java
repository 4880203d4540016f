package io.heldar.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Heldar's {@code heldar.*} properties. Every value is checked when the application starts, by the
 * same builders the library uses: a wrong one fails the start with a message naming the property.
 *
 * <pre>
 * heldar.recordings-root=/var/lib/recordings
 * heldar.store.url=/var/lib/heldar/heldar.db        # or postgresql://heldar@db:5432/heldar
 * heldar.naming=frigate
 * heldar.retention.max-age=30d
 * heldar.http.enabled=true                          # the API and the page under /heldar
 * </pre>
 */
@ConfigurationProperties(prefix = "heldar")
public class HeldarProperties {
  /** Whether Heldar runs in this application at all. */
  private boolean enabled = true;

  /** The recordings root: one sub-directory per camera. Required. */
  private Path recordingsRoot;

  /** Where snapshots are written; with a SnapshotSource bean, enables scheduled snapshots. */
  private Path snapshotsRoot;

  /**
   * How paths under the recordings root name their camera and start: heldar, frigate, mediamtx,
   * shinobi, zoneminder, blueiris, or a pattern (see docs/indexing.md).
   */
  private String naming = "heldar";

  /** The time zone of names that carry local time (mediamtx, shinobi, zoneminder, blueiris). */
  private String zone = "UTC";

  /** Register the cameras found in the layout (otherwise their files count as not registered). */
  private boolean discoverCameras;

  /** Pause between indexing scans. */
  private Duration scanInterval = io.heldar.core.Heldar.Builder.DEFAULT_SCAN_INTERVAL;

  /** Files modified more recently than this are still being written. */
  private Duration settleTime = io.heldar.core.index.IndexingOptions.DEFAULT_SETTLE_TIME;

  /** Holes between segments longer than this are gaps. */
  private Duration gapThreshold = io.heldar.core.gap.GapDetector.Options.DEFAULT_THRESHOLD;

  /** Events older than this are pruned. */
  private Duration eventMaxAge = io.heldar.core.Heldar.Builder.DEFAULT_EVENT_MAX_AGE;

  /** The one deadline of stopping with the application context. */
  private Duration stopTimeout = io.heldar.core.runtime.RuntimeOptions.DEFAULT_STOP_TIMEOUT;

  private final Store store = new Store();
  private final Retention retention = new Retention();
  private final Cluster cluster = new Cluster();
  private final Tier hotTier = new Tier();
  private final java.util.List<Tier> tiers = new java.util.ArrayList<>();
  private final TierMoves tierMoves = new TierMoves();
  private final Healing healing = new Healing();
  private final Http http = new Http();
  private final Metrics metrics = new Metrics();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Path getRecordingsRoot() {
    return recordingsRoot;
  }

  public void setRecordingsRoot(Path recordingsRoot) {
    this.recordingsRoot = recordingsRoot;
  }

  public Path getSnapshotsRoot() {
    return snapshotsRoot;
  }

  public void setSnapshotsRoot(Path snapshotsRoot) {
    this.snapshotsRoot = snapshotsRoot;
  }

  public String getNaming() {
    return naming;
  }

  public void setNaming(String naming) {
    this.naming = naming;
  }

  public String getZone() {
    return zone;
  }

  public void setZone(String zone) {
    this.zone = zone;
  }

  public boolean isDiscoverCameras() {
    return discoverCameras;
  }

  public void setDiscoverCameras(boolean discoverCameras) {
    this.discoverCameras = discoverCameras;
  }

  public Duration getScanInterval() {
    return scanInterval;
  }

  public void setScanInterval(Duration scanInterval) {
    this.scanInterval = scanInterval;
  }

  public Duration getSettleTime() {
    return settleTime;
  }

  public void setSettleTime(Duration settleTime) {
    this.settleTime = settleTime;
  }

  public Duration getGapThreshold() {
    return gapThreshold;
  }

  public void setGapThreshold(Duration gapThreshold) {
    this.gapThreshold = gapThreshold;
  }

  public Duration getEventMaxAge() {
    return eventMaxAge;
  }

  public void setEventMaxAge(Duration eventMaxAge) {
    this.eventMaxAge = eventMaxAge;
  }

  public Duration getStopTimeout() {
    return stopTimeout;
  }

  public void setStopTimeout(Duration stopTimeout) {
    this.stopTimeout = stopTimeout;
  }

  public Store getStore() {
    return store;
  }

  public Retention getRetention() {
    return retention;
  }

  public Cluster getCluster() {
    return cluster;
  }

  /** The move rules of the recordings root, the first storage tier ({@code heldar.hot-tier.*}). */
  public Tier getHotTier() {
    return hotTier;
  }

  /**
   * Further storage tiers after the recordings root, in the order footage moves ({@code
   * heldar.tiers[0].name=nas}, {@code heldar.tiers[0].root=/mnt/nas/rec}); none by default.
   */
  public java.util.List<Tier> getTiers() {
    return tiers;
  }

  /** How tier moves run. */
  public Healing getHealing() {
    return healing;
  }

  public TierMoves getTierMoves() {
    return tierMoves;
  }

  public Http getHttp() {
    return http;
  }

  public Metrics getMetrics() {
    return metrics;
  }

  /** Where Heldar keeps its tables. */
  public static class Store {
    /**
     * A SQLite file, or a postgresql://USER@HOST:PORT/DATABASE URL. Without it, the application's
     * DataSource is used (PostgreSQL only).
     */
    private String url;

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }
  }

  /** What retention deletes; nothing when none is set. */
  public static class Retention {
    /** Segments that ended longer ago are deleted. */
    private Duration maxAge;

    /** Bytes per camera; the oldest are deleted first. */
    private Long maxBytesPerCamera;

    /** Free-space floor of the recordings file system, in bytes. */
    private Long minFreeBytes;

    /** Snapshots taken longer ago are deleted. */
    private Duration snapshotMaxAge;

    /** A plan deleting more of a camera's segments than this share is refused. */
    private double maxDeleteShare =
        io.heldar.core.retention.RetentionPolicy.DEFAULT_MAX_DELETE_SHARE;

    /** Pause between sweeps. */
    private Duration interval = io.heldar.core.Heldar.Builder.DEFAULT_RETENTION_INTERVAL;

    public Duration getMaxAge() {
      return maxAge;
    }

    public void setMaxAge(Duration maxAge) {
      this.maxAge = maxAge;
    }

    public Long getMaxBytesPerCamera() {
      return maxBytesPerCamera;
    }

    public void setMaxBytesPerCamera(Long maxBytesPerCamera) {
      this.maxBytesPerCamera = maxBytesPerCamera;
    }

    public Long getMinFreeBytes() {
      return minFreeBytes;
    }

    public void setMinFreeBytes(Long minFreeBytes) {
      this.minFreeBytes = minFreeBytes;
    }

    public Duration getSnapshotMaxAge() {
      return snapshotMaxAge;
    }

    public void setSnapshotMaxAge(Duration snapshotMaxAge) {
      this.snapshotMaxAge = snapshotMaxAge;
    }

    public double getMaxDeleteShare() {
      return maxDeleteShare;
    }

    public void setMaxDeleteShare(double maxDeleteShare) {
      this.maxDeleteShare = maxDeleteShare;
    }

    public Duration getInterval() {
      return interval;
    }

    public void setInterval(Duration interval) {
      this.interval = interval;
    }

    boolean any() {
      return maxAge != null
          || maxBytesPerCamera != null
          || minFreeBytes != null
          || snapshotMaxAge != null;
    }
  }

  /** A storage tier and the rules that move footage on from it (see docs/retention.md). */
  public static class Tier {
    /** The tier's name (further tiers; the recordings root is named hot). */
    private String name;

    /** The tier's root directory (further tiers). */
    private Path root;

    /** Segments that ended longer ago move on to the next tier. */
    private Duration moveAfter;

    /** A camera's bytes on this tier beyond this move on, oldest first. */
    private Long moveMaxBytesPerCamera;

    /** Keep this many bytes free on the tier's file system, moving the oldest footage on. */
    private Long moveMinFreeBytes;

    /** Keep this share (0-100) of the tier's file system free, moving the oldest footage on. */
    private Double moveMinFreePercent;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public Path getRoot() {
      return root;
    }

    public void setRoot(Path root) {
      this.root = root;
    }

    public Duration getMoveAfter() {
      return moveAfter;
    }

    public void setMoveAfter(Duration moveAfter) {
      this.moveAfter = moveAfter;
    }

    public Long getMoveMaxBytesPerCamera() {
      return moveMaxBytesPerCamera;
    }

    public void setMoveMaxBytesPerCamera(Long moveMaxBytesPerCamera) {
      this.moveMaxBytesPerCamera = moveMaxBytesPerCamera;
    }

    public Long getMoveMinFreeBytes() {
      return moveMinFreeBytes;
    }

    public void setMoveMinFreeBytes(Long moveMinFreeBytes) {
      this.moveMinFreeBytes = moveMinFreeBytes;
    }

    public Double getMoveMinFreePercent() {
      return moveMinFreePercent;
    }

    public void setMoveMinFreePercent(Double moveMinFreePercent) {
      this.moveMinFreePercent = moveMinFreePercent;
    }

    /** This tier as the library's, named {@code defaultName} when it has no name of its own. */
    io.heldar.core.tier.StorageTier toTier(String defaultName, Path defaultRoot) {
      io.heldar.core.tier.StorageTier.Builder b = io.heldar.core.tier.StorageTier.builder(
          name != null ? name : defaultName, root != null ? root : defaultRoot);
      if (moveAfter != null) {
        b.moveAfter(moveAfter);
      }
      if (moveMaxBytesPerCamera != null) {
        b.maxBytesPerCamera(moveMaxBytesPerCamera);
      }
      if (moveMinFreeBytes != null) {
        b.minFreeBytes(moveMinFreeBytes);
      }
      if (moveMinFreePercent != null) {
        b.minFreePercent(moveMinFreePercent);
      }
      return b.build();
    }
  }

  /** How tier moves run. */
  public static class TierMoves {
    /** Pause between rounds of moves. */
    private Duration interval = io.heldar.core.tier.TierMoveOptions.DEFAULT_INTERVAL;

    /** Bytes per second all copies together; 0 for unbounded. */
    private long bytesPerSecond = io.heldar.core.tier.TierMoveOptions.DEFAULT_BYTES_PER_SECOND;

    /** Files copied at once. */
    private int concurrentFiles = io.heldar.core.tier.TierMoveOptions.DEFAULT_CONCURRENT_FILES;

    public Duration getInterval() {
      return interval;
    }

    public void setInterval(Duration interval) {
      this.interval = interval;
    }

    public long getBytesPerSecond() {
      return bytesPerSecond;
    }

    public void setBytesPerSecond(long bytesPerSecond) {
      this.bytesPerSecond = bytesPerSecond;
    }

    public int getConcurrentFiles() {
      return concurrentFiles;
    }

    public void setConcurrentFiles(int concurrentFiles) {
      this.concurrentFiles = concurrentFiles;
    }
  }

  /**
   * Healing gaps from the cameras' own storage: on when the context has an {@code
   * io.heldar.core.heal.EdgeSource} bean (e.g. heldar-ffmpeg's {@code EdgeSources.fromCameras}).
   */
  public static class Healing {
    /** Gaps that ended longer ago are not healed. */
    private Duration maxAge = io.heldar.core.heal.HealOptions.DEFAULT_MAX_AGE;

    /** The longest range one fetch asks for. */
    private Duration chunk = io.heldar.core.heal.HealOptions.DEFAULT_CHUNK;

    /** The most fetches at once over all cameras. */
    private int concurrentFetches = io.heldar.core.heal.HealOptions.DEFAULT_CONCURRENT_FETCHES;

    /** The most bytes a second one fetch reads from the edge; 0 for unbounded. */
    private long bytesPerSecond;

    public Duration getMaxAge() {
      return maxAge;
    }

    public void setMaxAge(Duration maxAge) {
      this.maxAge = maxAge;
    }

    public Duration getChunk() {
      return chunk;
    }

    public void setChunk(Duration chunk) {
      this.chunk = chunk;
    }

    public int getConcurrentFetches() {
      return concurrentFetches;
    }

    public void setConcurrentFetches(int concurrentFetches) {
      this.concurrentFetches = concurrentFetches;
    }

    public long getBytesPerSecond() {
      return bytesPerSecond;
    }

    public void setBytesPerSecond(long bytesPerSecond) {
      this.bytesPerSecond = bytesPerSecond;
    }

    io.heldar.core.heal.HealOptions toOptions() {
      return io.heldar.core.heal.HealOptions.builder()
          .maxAge(maxAge)
          .chunk(chunk)
          .concurrentFetches(concurrentFetches)
          .bytesPerSecond(bytesPerSecond)
          .build();
    }
  }

  /** Cluster mode (PostgreSQL only): off unless a node id is given. */
  public static class Cluster {
    /** This node's id, unique in the cluster; cluster mode is on when it is set. */
    private String node;

    /** How long a lease lasts after each renewal. */
    private Duration lease = io.heldar.core.cluster.ClusterOptions.DEFAULT_LEASE;

    /** The most cameras per duty this node takes. */
    private int capacity = io.heldar.core.cluster.ClusterOptions.DEFAULT_CAPACITY;

    /** Cameras pinned to a node: camera id to node id. */
    private Map<String, String> pin = new LinkedHashMap<>();

    public String getNode() {
      return node;
    }

    public void setNode(String node) {
      this.node = node;
    }

    public Duration getLease() {
      return lease;
    }

    public void setLease(Duration lease) {
      this.lease = lease;
    }

    public int getCapacity() {
      return capacity;
    }

    public void setCapacity(int capacity) {
      this.capacity = capacity;
    }

    public Map<String, String> getPin() {
      return pin;
    }

    public void setPin(Map<String, String> pin) {
      this.pin = pin;
    }
  }

  /** The read-only HTTP API and the page, as a servlet of this application. */
  public static class Http {
    /** Register the API servlet (needs a servlet web application). */
    private boolean enabled;

    /** Where the API and the page are served: the page at PATH/, the API under PATH/api. */
    private String path = "/heldar";

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }
  }

  /** The Micrometer meters. */
  public static class Metrics {
    /** How often meters are added for new cameras and removed for deleted ones. */
    private Duration refresh = Duration.ofSeconds(10);

    public Duration getRefresh() {
      return refresh;
    }

    public void setRefresh(Duration refresh) {
      this.refresh = refresh;
    }
  }
}
