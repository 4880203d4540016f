package io.heldar.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.model.Camera;
import io.heldar.core.store.LeaseLostException;
import io.heldar.core.store.LeaseStore;
import io.heldar.core.store.LeaseStore.Duty;
import io.heldar.core.store.LeaseStore.Lease;
import io.heldar.core.testing.Await;
import io.heldar.store.HeldarStores;
import io.heldar.store.contract.StoreContract;
import io.heldar.store.sqlite.SqliteHeldarStore;
import io.heldar.store.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode's leases on a real PostgreSQL, each "node" a store of its own: one holder at a time,
 * epochs that rise at each takeover, and a fence that makes a node that lost its lease unable to
 * commit.
 */
class PostgresLeaseStoreTest {
  static final Duration LONG = Duration.ofMinutes(5);

  @TempDir
  Path dir;

  @Test
  void nodesRacingForACameraGetOneLeaseAndTheOthersNone() throws Exception {
    String url = TestPostgres.freshUrl();
    try (PostgresHeldarStore setup = PostgresHeldarStore.open(url)) {
      setup.cameras().add(Camera.of("gate", StoreContract.T0));
    }
    int nodes = 6;
    CyclicBarrier start = new CyclicBarrier(nodes);
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    List<PostgresHeldarStore> stores = new ArrayList<>();
    try {
      List<Future<Optional<Lease>>> claims = new ArrayList<>();
      for (int n = 0; n < nodes; n++) {
        PostgresHeldarStore store = PostgresHeldarStore.open(
            PostgresLocation.parse(url),
            PostgresHeldarStore.Options.builder().poolSize(2).build());
        stores.add(store);
        String node = "node-" + n;
        claims.add(pool.submit(() -> {
          start.await();
          return store.leases().orElseThrow().claim("gate", Duty.CAPTURE, node, LONG);
        }));
      }
      List<Lease> won = new ArrayList<>();
      for (Future<Optional<Lease>> c : claims) {
        c.get().ifPresent(won::add);
      }
      assertThat(won).singleElement().satisfies(l -> assertThat(l.epoch()).isEqualTo(1));
      assertThat(stores.get(0).leases().orElseThrow().leases()).containsExactly(won.get(0));
    } finally {
      pool.shutdownNow();
      stores.forEach(PostgresHeldarStore::close);
    }
  }

  @Test
  void anExpiredLeaseIsTakenOverAtAHigherEpochAndTheOldHolderCanNeitherRenewNorCommit() {
    String url = TestPostgres.freshUrl();
    try (PostgresHeldarStore a = PostgresHeldarStore.open(url);
        PostgresHeldarStore b = PostgresHeldarStore.open(url)) {
      a.cameras().add(Camera.of("gate", StoreContract.T0));
      LeaseStore la = a.leases().orElseThrow();
      LeaseStore lb = b.leases().orElseThrow();
      la.heartbeat("a", 10);
      lb.heartbeat("b", 10);
      assertThat(la.nodes()).extracting(LeaseStore.Node::nodeId).containsExactly("a", "b");

      Lease held = la.claim("gate", Duty.FILES, "a", Duration.ofMillis(400)).orElseThrow();
      assertThat(lb.claim("gate", Duty.FILES, "b", LONG))
          .as("held by a, unexpired")
          .isEmpty();
      assertThat(la.claim("gate", Duty.FILES, "a", Duration.ofMillis(400)))
          .as("a renews by claiming: same epoch")
          .hasValueSatisfying(l -> assertThat(l.epoch()).isEqualTo(held.epoch()));
      assertThat(lb.claim("gate", Duty.CAPTURE, "b", LONG))
          .as("another duty is another lease")
          .isPresent();

      // a freezes past its lease (on the database's clock); b takes over.
      Await.until(
          Duration.ofSeconds(10),
          () -> lb.claim("gate", Duty.FILES, "b", LONG).isPresent(),
          "b takes over");
      Lease taken =
          lb.leases().stream().filter(l -> l.duty() == Duty.FILES).findFirst().orElseThrow();
      assertThat(taken.nodeId()).isEqualTo("b");
      assertThat(taken.epoch()).isEqualTo(held.epoch() + 1);

      assertThat(la.renew(held, LONG)).as("a's renewal after the takeover").isFalse();
      // a wakes up and tries to commit rows for the camera it lost: the fence rolls it all back.
      assertThatThrownBy(() -> a.useTransaction(() -> {
            a.segments().insertAll(List.of(StoreContract.segment("gate", 0, 5)));
            la.fence(held);
          }))
          .isInstanceOf(LeaseLostException.class)
          .hasMessageContaining("held by node b at epoch " + taken.epoch());
      assertThat(b.segments().count("gate"))
          .as("nothing of a's transaction committed")
          .isZero();

      b.useTransaction(() -> {
        b.segments().insertAll(List.of(StoreContract.segment("gate", 0, 5)));
        lb.fence(taken);
      });
      assertThat(a.segments().count("gate")).as("the holder commits").isEqualTo(1);

      lb.release(taken);
      assertThat(la.claim("gate", Duty.FILES, "a", LONG))
          .as("released: claimed at once, one epoch higher")
          .hasValueSatisfying(l -> assertThat(l.epoch()).isEqualTo(taken.epoch() + 1));
      assertThatThrownBy(() -> lb.fence(taken)).isInstanceOf(LeaseLostException.class);
      assertThat(la.databaseNow()).isAfter(StoreContract.T0);
    }
  }

  @Test
  void leasesAreClaimedAndReleasedInSetsByTheSameRulesAsOneByOne() {
    String url = TestPostgres.freshUrl();
    try (PostgresHeldarStore a = PostgresHeldarStore.open(url);
        PostgresHeldarStore b = PostgresHeldarStore.open(url)) {
      for (int i = 0; i < 1200; i++) {
        a.cameras().add(Camera.of("cam-" + i, StoreContract.T0));
      }
      LeaseStore la = a.leases().orElseThrow();
      LeaseStore lb = b.leases().orElseThrow();
      Lease bHolds = lb.claim("cam-0", Duty.CAPTURE, "b", LONG).orElseThrow();
      Lease aHeld = la.claim("cam-1", Duty.CAPTURE, "a", LONG).orElseThrow();
      List<LeaseStore.Claim> all = new ArrayList<>();
      for (int i = 0; i < 1200; i++) {
        all.add(new LeaseStore.Claim("cam-" + i, Duty.CAPTURE));
      }
      List<Lease> got = la.claimAll(all, "a", LONG);
      assertThat(got).as("every one but b's").hasSize(1199);
      assertThat(got).extracting(Lease::cameraId).doesNotContain("cam-0");
      assertThat(got)
          .filteredOn(l -> l.cameraId().equals("cam-1"))
          .singleElement()
          .satisfies(l -> assertThat(l.epoch()).as("its own: same epoch").isEqualTo(aHeld.epoch()));
      assertThat(got).filteredOn(l -> !l.cameraId().equals("cam-1")).allMatch(l -> l.epoch() == 1);

      la.releaseAll(got);
      List<Lease> again = lb.claimAll(all, "b", LONG);
      assertThat(again).as("released at once: b takes them all").hasSize(1200);
      assertThat(again)
          .filteredOn(l -> !l.cameraId().equals("cam-0"))
          .allMatch(l -> l.epoch() == (l.cameraId().equals("cam-1") ? aHeld.epoch() + 1 : 2));
      assertThat(again)
          .filteredOn(l -> l.cameraId().equals("cam-0"))
          .singleElement()
          .satisfies(l -> assertThat(l.epoch()).isEqualTo(bHolds.epoch()));

      la.heartbeat("a", 10, false);
      lb.heartbeat("b", 10);
      assertThat(la.nodes())
          .extracting(LeaseStore.Node::nodeId, LeaseStore.Node::capturing)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("a", false),
              org.assertj.core.groups.Tuple.tuple("b", true));
    }
  }

  @Test
  void sqliteHasNoLeasesAndSaysSo() {
    try (SqliteHeldarStore sqlite = SqliteHeldarStore.open(dir.resolve("h.db"))) {
      assertThat(sqlite.leases()).as("single-node store").isEmpty();
    }
    try (var pg = HeldarStores.open(TestPostgres.freshUrl())) {
      assertThat(pg.leases()).isPresent();
    }
  }
}
