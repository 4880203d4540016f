package io.heldar.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.Heldar;
import io.heldar.core.cluster.ClusterOptions;
import io.heldar.core.cluster.ClusterStatus;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.runtime.RuntimeOptions;
import io.heldar.core.store.LeaseLostException;
import io.heldar.core.store.LeaseStore;
import io.heldar.core.store.LeaseStore.Duty;
import io.heldar.core.store.LeaseStore.Lease;
import io.heldar.core.testing.Await;
import io.heldar.store.contract.StoreContract;
import io.heldar.store.sqlite.SqliteHeldarStore;
import io.heldar.store.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster nodes (each a {@link Heldar} with a store and pool of its own) on a real PostgreSQL:
 * dividing cameras, rebalancing, handing over at stop, the fence on a node that lost a lease, and
 * a skewed clock. The kill and freeze scenarios with separate JVMs are in {@code heldar-examples}
 * ({@code ClusterProcessesTest}).
 */
class PostgresClusterNodeTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  private final List<Heldar> nodes = new ArrayList<>();
  private final List<PostgresHeldarStore> stores = new ArrayList<>();

  @AfterEach
  void stopAll() {
    nodes.forEach(Heldar::stop);
    stores.forEach(PostgresHeldarStore::close);
  }

  private PostgresHeldarStore store(String url) {
    PostgresHeldarStore s = PostgresHeldarStore.open(
        PostgresLocation.parse(url),
        PostgresHeldarStore.Options.builder().poolSize(2).build());
    stores.add(s);
    return s;
  }

  private static ClusterOptions fast(String node) {
    return ClusterOptions.builder()
        .nodeId(node)
        .lease(Duration.ofSeconds(3))
        .renewInterval(Duration.ofMillis(500))
        .claimInterval(Duration.ofMillis(200))
        .safetyMargin(Duration.ofSeconds(1))
        .build();
  }

  private Heldar node(String url, ClusterOptions options, Clock clock) {
    Heldar h = Heldar.builder()
        .store(store(url))
        .clock(clock)
        .cluster(options)
        .runtime(RuntimeOptions.builder().stopTimeout(Duration.ofSeconds(2)).build())
        .build();
    nodes.add(h);
    h.start();
    return h;
  }

  /** Unexpired leases per node and duty, by the database's clock. */
  private static Map<String, Long> holders(LeaseStore leases, Duty duty) {
    Instant now = leases.databaseNow();
    return leases.leases().stream()
        .filter(l -> l.duty() == duty && l.expiresAt().isAfter(now))
        .collect(Collectors.groupingBy(Lease::nodeId, TreeMap::new, Collectors.counting()));
  }

  @Test
  void nodesDivideTheCamerasEvenlyRebalanceWhenOneJoinsAndTakeOverAtOnceWhenOneStops() {
    String url = TestPostgres.freshUrl();
    LeaseStore leases = store(url).leases().orElseThrow();
    try (PostgresHeldarStore setup = PostgresHeldarStore.open(url)) {
      for (int i = 0; i < 12; i++) {
        setup.cameras().add(Camera.of("cam-" + i, StoreContract.T0));
      }
    }
    node(url, fast("a"), Clock.systemUTC());
    node(url, fast("b"), Clock.systemUTC());
    node(url, fast("c"), Clock.systemUTC());
    for (Duty duty : Duty.values()) {
      Await.until(
          WAIT,
          () -> holders(leases, duty).equals(Map.of("a", 4L, "b", 4L, "c", 4L)),
          "4 " + duty + " leases each, now " + holders(leases, duty));
    }
    Heldar d = node(url, fast("d"), Clock.systemUTC());
    Await.until(
        WAIT,
        () -> holders(leases, Duty.CAPTURE).equals(Map.of("a", 3L, "b", 3L, "c", 3L, "d", 3L))
            && holders(leases, Duty.FILES).equals(Map.of("a", 3L, "b", 3L, "c", 3L, "d", 3L)),
        "3 leases each with a fourth node, now " + holders(leases, Duty.CAPTURE));

    long before = System.nanoTime();
    d.stop(); // releases its leases at once: taken at the next claim scans, not after 3 s
    assertThat(holders(leases, Duty.CAPTURE)).doesNotContainKey("d");
    Await.until(
        WAIT,
        () -> holders(leases, Duty.CAPTURE).values().stream()
                    .mapToLong(Long::longValue)
                    .sum()
                == 12
            && holders(leases, Duty.FILES).values().stream()
                    .mapToLong(Long::longValue)
                    .sum()
                == 12,
        "all 12 cameras owned again");
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(2500));
    // d's cameras went on at the next epoch; every lease row's epoch only ever rose
    assertThat(leases.leases()).allSatisfy(l -> assertThat(l.epoch()).isPositive());
  }

  @Test
  void aNodeThatLostItsLeaseCannotCommitAndRecordsWhy() {
    String url = TestPostgres.freshUrl();
    PostgresHeldarStore other = store(url);
    other.cameras().add(Camera.of("gate", StoreContract.T0));
    // renewals far apart: the node does not notice the takeover before it writes
    ClusterOptions slow = ClusterOptions.from(fast("a"))
        .lease(Duration.ofSeconds(30))
        .renewInterval(Duration.ofSeconds(20))
        .build();
    Heldar a = node(url, slow, Clock.systemUTC());
    Await.until(WAIT, () -> a.assignment().owns("gate", Duty.FILES), "a owning gate");
    a.assignment().fenced("gate", Duty.FILES, () -> {
      a.store().segments().insertAll(List.of(StoreContract.segment("gate", 0, 10)));
      return null;
    });
    assertThat(other.segments().count("gate")).isEqualTo(1);

    // the lease expires (as for a node frozen past it) and node b takes it at the next epoch
    LeaseStore otherLeases = other.leases().orElseThrow();
    otherLeases.leases().stream().filter(l -> l.duty() == Duty.FILES).forEach(otherLeases::release);
    Lease b = other
        .leases()
        .orElseThrow()
        .claim("gate", Duty.FILES, "b", Duration.ofMinutes(1))
        .orElseThrow();
    assertThat(b.epoch()).isEqualTo(2);

    assertThatThrownBy(() -> a.assignment().fenced("gate", Duty.FILES, () -> {
          a.store().segments().insertAll(List.of(StoreContract.segment("gate", 1, 10)));
          return null;
        }))
        .isInstanceOf(LeaseLostException.class)
        .hasMessageContaining("held by node b at epoch 2");
    assertThat(other.segments().count("gate")).isEqualTo(1); // nothing of it committed
    assertThat(a.assignment().owns("gate", Duty.FILES)).isFalse();
    List<HeldarEvent> lost =
        other.events().recent(Optional.of("gate"), Optional.of(EventKinds.LEASE_LOST), 10);
    assertThat(lost).singleElement().satisfies(e -> {
      TypedEvent.LeaseLost l = (TypedEvent.LeaseLost) e.typed();
      assertThat(l.nodeId()).isEqualTo("a");
      assertThat(l.epoch()).isEqualTo(1);
      assertThat(l.reason()).startsWith("write rejected by the fence");
    });
  }

  @Test
  void aNodeWhoseClockIsOffTheDatabasesStopsCapturingButKeepsItsFiles() {
    String url = TestPostgres.freshUrl();
    PostgresHeldarStore other = store(url);
    other.cameras().add(Camera.of("gate", StoreContract.T0));
    ClusterOptions options = ClusterOptions.from(fast("skewed"))
        .lease(Duration.ofSeconds(4)) // skew limit 1 s
        .build();
    Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(5));
    Heldar a = node(url, options, ahead);
    Await.until(WAIT, () -> a.assignment().owns("gate", Duty.FILES), "the files lease");
    Await.until(
        WAIT,
        () -> other.events().count(Optional.empty(), EventKinds.CLOCK_SKEW) == 1,
        "a clock_skew event");
    assertThat(a.assignment().owns("gate", Duty.CAPTURE)).isFalse();
    assertThat(holders(other.leases().orElseThrow(), Duty.CAPTURE)).isEmpty();
    TypedEvent.ClockSkew skew = (TypedEvent.ClockSkew) other
        .events()
        .recent(Optional.empty(), Optional.of(EventKinds.CLOCK_SKEW), 1)
        .get(0)
        .typed();
    assertThat(skew.offsetMillis()).isBetween(-5500L, -4500L);
    assertThat(skew.limitMillis()).isEqualTo(1000);
  }

  @Test
  void aNodeWhoseClockIsOffLeavesItsCaptureShareToTheNodesThatCapture() {
    String url = TestPostgres.freshUrl();
    PostgresHeldarStore setup = store(url);
    for (int i = 0; i < 4; i++) {
      setup.cameras().add(Camera.of("cam-" + i, StoreContract.T0));
    }
    LeaseStore leases = setup.leases().orElseThrow();
    ClusterOptions lease4 = ClusterOptions.from(fast("healthy"))
        .lease(Duration.ofSeconds(4)) // skew limit 1 s
        .build();
    node(url, lease4, Clock.systemUTC());
    node(
        url,
        ClusterOptions.from(lease4).nodeId("skewed").build(),
        Clock.offset(Clock.systemUTC(), Duration.ofSeconds(30)));
    // The healthy node captures every camera (it was at its share of 2 before); files stay shared.
    Await.until(
        WAIT,
        () -> holders(leases, Duty.CAPTURE).equals(Map.of("healthy", 4L)),
        "the healthy node holding all 4 capture leases, now " + holders(leases, Duty.CAPTURE));
    Await.until(
        WAIT,
        () -> holders(leases, Duty.FILES).equals(Map.of("healthy", 2L, "skewed", 2L)),
        "files shared 2/2, now " + holders(leases, Duty.FILES));
    assertThat(leases.nodes())
        .filteredOn(n -> n.nodeId().equals("skewed"))
        .singleElement()
        .satisfies(n -> assertThat(n.capturing())
            .as("the skewed node says it does not capture")
            .isFalse());
  }

  @Test
  void aLoneNodeHoldsThousandsOfLeasesWithinTwoLeasesAndLosesNone() {
    String url = TestPostgres.freshUrl();
    int cameras = 2000;
    try (PostgresHeldarStore setup = PostgresHeldarStore.open(url)) {
      setup.useTransaction(() -> {
        for (int i = 0; i < cameras; i++) {
          setup.cameras().add(Camera.of(String.format("cam-%04d", i), StoreContract.T0));
        }
      });
    }
    LeaseStore leases = store(url).leases().orElseThrow();
    ClusterOptions options = ClusterOptions.builder()
        .nodeId("alone")
        .lease(Duration.ofSeconds(4))
        .renewInterval(Duration.ofSeconds(1))
        .claimInterval(Duration.ofMillis(500))
        .safetyMargin(Duration.ofSeconds(1))
        .capacity(cameras)
        .build();
    long t0 = System.nanoTime();
    Heldar alone = node(url, options, Clock.systemUTC());
    Await.until(
        options.lease().multipliedBy(2).plusSeconds(2),
        () -> holders(leases, Duty.FILES).getOrDefault("alone", 0L) == cameras
            && holders(leases, Duty.CAPTURE).getOrDefault("alone", 0L) == cameras,
        "all " + 2 * cameras + " leases held within two leases");
    double took = (System.nanoTime() - t0) / 1e9;
    // Three more leases: renewals keep every lease, whatever the claim scans do.
    long end = System.nanoTime() + options.lease().multipliedBy(3).toNanos();
    Await.until(
        options.lease().multipliedBy(4),
        () -> System.nanoTime() > end,
        "three leases of steady state");
    ClusterStatus status = alone.clusterStatus().orElseThrow();
    assertThat(status.losses()).as("leases lost with no fault").isZero();
    assertThat(holders(leases, Duty.FILES)).isEqualTo(Map.of("alone", (long) cameras));
    assertThat(holders(leases, Duty.CAPTURE)).isEqualTo(Map.of("alone", (long) cameras));
    System.out.printf(
        "lone node: %d leases held in %.1f s; %d lease statements%n",
        2 * cameras, took, status.leaseStatements());
  }

  private static long sent(List<Heldar> nodes) {
    return nodes.stream()
        .mapToLong(n -> n.clusterStatus().orElseThrow().leaseStatements())
        .sum();
  }

  @Test
  void leaseTrafficIsAFewStatementsPerNodePerSecondWhateverTheNumberOfCameras() throws Exception {
    Map<Integer, Double> traffic = new TreeMap<>();
    for (int cameras : new int[] {12, 120}) {
      String url = TestPostgres.freshUrl();
      try (PostgresHeldarStore setup = PostgresHeldarStore.open(url)) {
        for (int i = 0; i < cameras; i++) {
          setup.cameras().add(Camera.of("cam-" + i, StoreContract.T0));
        }
      }
      LeaseStore leases = store(url).leases().orElseThrow();
      // the defaults: lease 10 s, renewal every 3 s, a claim scan every second
      List<Heldar> three = new ArrayList<>();
      for (String n : List.of("a", "b", "c")) {
        three.add(node(url, ClusterOptions.forNode(n), Clock.systemUTC()));
      }
      int share = (cameras + 2) / 3;
      Await.until(
          Duration.ofSeconds(30),
          () -> holders(leases, Duty.CAPTURE).values().stream().allMatch(n -> n == share)
              && holders(leases, Duty.CAPTURE).size() == 3
              && holders(leases, Duty.FILES).values().stream().allMatch(n -> n == share)
              && holders(leases, Duty.FILES).size() == 3,
          "balanced");
      long before = sent(three);
      long t0 = System.nanoTime();
      // The rate over the time the three nodes take to send 100 statements (about 6 s at the
      // expected 5.7 a second each): measured by their work, not by a sleep.
      Await.until(Duration.ofSeconds(60), () -> sent(three) - before >= 100, "100 statements");
      long after = sent(three);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double perNode = (after - before) / seconds / 3;
      assertThat(three)
          .allSatisfy(n -> assertThat(n.clusterStatus().orElseThrow().held()).hasSize(2 * share));
      System.out.printf(
          java.util.Locale.ROOT,
          "FIGURE lease_statements_per_node_per_second cameras=%d value=%.1f%n",
          cameras,
          perNode);
      traffic.put(cameras, perNode);
      three.forEach(Heldar::stop);
    }
    // 5 statements per claim scan and 2 per renewal: about 5.7 a second, not one per camera
    assertThat(traffic.get(12)).isBetween(4.0, 8.0);
    assertThat(traffic.get(120)).isBetween(4.0, 8.0);
  }

  @Test
  void camerasNoNodeCanTakeAreListedWithTheReason() {
    String url = TestPostgres.freshUrl();
    try (PostgresHeldarStore setup = PostgresHeldarStore.open(url)) {
      setup.cameras().add(Camera.of("cam-a", StoreContract.T0));
      setup.cameras().add(Camera.of("cam-b", StoreContract.T0));
      setup.cameras().add(Camera.of("cam-c", StoreContract.T0));
    }
    Heldar a = node(
        url,
        ClusterOptions.from(fast("a")).capacity(1).pin("cam-c", "absent").build(),
        Clock.systemUTC());
    Await.until(
        WAIT,
        () -> a.clusterStatus().orElseThrow().unowned().size() == 4,
        "two cameras reported unowned for both duties, after one lease");
    ClusterStatus status = a.clusterStatus().orElseThrow();
    assertThat(status.held()).hasSize(2); // one camera, both duties: its capacity
    String capacityBound = status.held().get(0).cameraId().equals("cam-a") ? "cam-b" : "cam-a";
    assertThat(status.unowned())
        .containsEntry(capacityBound + "/files", "every live node (1) is at its capacity")
        .containsEntry("cam-c/capture", "pinned to node absent, which is not live");
  }

  /**
   * The database stops answering this node (its role refused, its sessions ended) and the node is
   * stopped: its claim scan waits on the pool and its release cannot reach the database, yet stop()
   * keeps to its deadline; the leases expire on their own.
   */
  @Test
  void aNodeThatLostTheDatabaseStillStopsWithinItsDeadline() throws Exception {
    String url = TestPostgres.freshUrl();
    io.heldar.store.testing.CutOffRole role =
        io.heldar.store.testing.CutOffRole.create(url, "heldar_stop_");
    PostgresHeldarStore other = store(url);
    other.cameras().add(Camera.of("gate", StoreContract.T0));
    Heldar a = node(role.url(), fast("a"), Clock.systemUTC());
    Await.until(WAIT, () -> a.assignment().owns("gate", Duty.FILES), "a owning gate");
    role.cutOff();
    Await.until(
        WAIT,
        () -> a.health().stream()
            .anyMatch(t -> t.name().equals("cluster-leases") && t.consecutiveFailures() > 0),
        "the claim scans failing");
    long t0 = System.nanoTime();
    a.stop(); // stop timeout 2 s; the pool waits up to 10 s for a connection
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .as("stop() of a node cut off from its database")
        .isLessThan(Duration.ofMillis(3000));
    Await.until(
        WAIT,
        () -> other.leases().orElseThrow().leases().stream()
            .noneMatch(l -> l.expiresAt().isAfter(other.leases().orElseThrow().databaseNow())),
        "its leases expiring on their own");
  }

  @Test
  void clusterModeOnSqliteIsRefusedClearly() {
    try (SqliteHeldarStore sqlite = SqliteHeldarStore.open(dir.resolve("h.db"))) {
      assertThatThrownBy(() -> Heldar.builder().store(sqlite).cluster(fast("a")).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cluster mode needs a store with leases (PostgreSQL)");
    }
  }
}
