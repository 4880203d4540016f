package io.heldar.core.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.cluster.ClusterOptions;
import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.model.Camera;
import io.heldar.core.runtime.Deadline;
import io.heldar.core.store.LeaseLostException;
import io.heldar.core.store.LeaseStore.Duty;
import io.heldar.core.store.LeaseStore.Lease;
import io.heldar.core.testing.MemoryStore;
import io.heldar.core.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The lease keeper's decisions, one node or several in one JVM over the memory store's lease rules
 * (the same rules as PostgreSQL's, which the store contract kit and the multi-JVM cluster tests run
 * for real): who claims what, when a node stops starting work, what the fence refuses.
 */
class LeaseKeeperTest {
  static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");
  final MutableClock time = new MutableClock(T0);
  final MemoryStore store = new MemoryStore(time);

  LeaseKeeper node(String id) {
    return node(id, time, ClusterOptions.builder().nodeId(id).build());
  }

  LeaseKeeper node(String id, Clock nodeClock, ClusterOptions options) {
    return new LeaseKeeper(
        options,
        EngineContext.builder(store)
            .clock(nodeClock)
            .ticker(time::monotonicNanos)
            .build());
  }

  void cameras(int n) {
    for (int i = 1; i <= n; i++) {
      store.cameras().add(Camera.of("cam-" + i, T0));
    }
  }

  /** Who holds each (camera, duty) now, by the lease table. */
  Map<String, String> holders() {
    Map<String, String> out = new HashMap<>();
    for (Lease l : store.leases().orElseThrow().leases()) {
      if (l.expiresAt().isAfter(time.instant())) {
        out.put(l.cameraId() + "/" + l.duty().dbValue(), l.nodeId());
      }
    }
    return out;
  }

  List<TypedEvent> events() {
    return store.allEvents().stream().map(HeldarEvent::typed).toList();
  }

  @Test
  void aLoneNodeClaimsEveryCameraForBothDutiesAndSaysSo() {
    cameras(6);
    LeaseKeeper a = node("a");
    a.claimTick();
    assertThat(a.held()).hasSize(12);
    assertThat(holders()).hasSize(12).containsValue("a").doesNotContainValue("b");
    for (int i = 1; i <= 6; i++) {
      assertThat(a.owns("cam-" + i, Duty.FILES)).isTrue();
      assertThat(a.owns("cam-" + i, Duty.CAPTURE)).isTrue();
    }
    assertThat(events()).filteredOn(TypedEvent.LeaseAcquired.class::isInstance).hasSize(12);
    assertThat(a.status().unowned()).isEmpty();
  }

  @Test
  void twoNodesShareTheCamerasAndNoCameraIsEverHeldTwice() {
    cameras(6);
    LeaseKeeper a = node("a");
    LeaseKeeper b = node("b");
    a.claimTick();
    b.claimTick(); // b is live now, but every camera is held: it waits for a's surplus
    assertThat(b.held()).isEmpty();
    for (int round = 0; round < 3; round++) {
      time.advance(Duration.ofSeconds(1));
      a.renewAndClaim();
      b.renewAndClaim();
    }
    assertThat(a.held()).hasSize(6);
    assertThat(b.held()).hasSize(6);
    for (int i = 1; i <= 6; i++) {
      for (Duty duty : Duty.values()) {
        assertThat(a.owns("cam-" + i, duty) ^ b.owns("cam-" + i, duty))
            .as("cam-%d/%s owned by exactly one node", i, duty)
            .isTrue();
      }
    }
  }

  @Test
  void capturesAreSettledBeforeTheirCamerasAreHandedOverWhileTheLeasesAreStillHeld() {
    cameras(4);
    LeaseKeeper a = node("a");
    java.util.List<String> settled = new java.util.ArrayList<>();
    a.beforeCaptureHandover(cameras -> cameras.forEach(c -> {
      assertThat(a.owns(c, Duty.CAPTURE)).as("%s still a's while settling", c).isTrue();
      settled.add(c);
    }));
    a.claimTick();
    LeaseKeeper b = node("b");
    b.renewTick();
    time.advance(Duration.ofSeconds(1));
    a.renewAndClaim(); // two live nodes: a gives its surplus back
    assertThat(settled).hasSize(2);
    assertThat(settled).allSatisfy(c -> assertThat(a.owns(c, Duty.CAPTURE)).isFalse());
  }

  @Test
  void aNodeThatStopsHandsItsCamerasOverAtTheOthersNextScan() {
    cameras(4);
    LeaseKeeper a = node("a");
    LeaseKeeper b = node("b");
    a.claimTick();
    b.renewTick();
    a.releaseAll(Deadline.after(Duration.ofSeconds(10)));
    assertThat(a.owns("cam-1", Duty.FILES)).isFalse();
    b.claimTick();
    assertThat(b.held()).hasSize(8);
    assertThat(holders().values()).containsOnly("b");
  }

  @Test
  void aFrozenNodeStopsStartingWorkBeforeItsLeaseExpiresAndItsLateWriteIsFenced() {
    cameras(2);
    LeaseKeeper a = node("a");
    a.claimTick();
    // frozen: no renewal; at lease − safety margin (10 s − 2 s) it no longer starts work
    time.advance(Duration.ofMillis(7_900));
    assertThat(a.owns("cam-1", Duty.FILES)).isTrue();
    time.advance(Duration.ofMillis(200));
    assertThat(a.owns("cam-1", Duty.FILES)).isFalse();

    time.advance(Duration.ofSeconds(3)); // past the lease: another node takes over
    LeaseKeeper b = node("b");
    b.claimTick();
    assertThat(holders()).containsEntry("cam-1/files", "b");

    AtomicBoolean wrote = new AtomicBoolean();
    assertThatThrownBy(() -> a.fenced("cam-1", Duty.FILES, () -> {
          wrote.set(true);
          return null;
        }))
        .isInstanceOf(LeaseLostException.class);
    assertThat(wrote).as("the late write never ran").isFalse();
    assertThat(a.status().rejectedWrites()).isEqualTo(1);
    assertThat(events())
        .filteredOn(TypedEvent.LeaseLost.class::isInstance)
        .extracting(e -> ((TypedEvent.LeaseLost) e).nodeId())
        .containsOnly("a");

    a.renewTick(); // a wakes up: its renewals find the leases gone
    assertThat(a.held()).isEmpty();
    // the three it still believed it held; cam-1/files it dropped when the fence refused its write
    assertThat(a.status().losses()).isEqualTo(3);
  }

  @Test
  void aNodeWhoseClockIsOffStopsCapturingButKeepsIndexing() {
    cameras(3);
    MutableClock fast = new MutableClock(T0.plusSeconds(5)); // limit: a quarter lease, 2.5 s
    LeaseKeeper a = node("a", fast, ClusterOptions.builder().nodeId("a").build());
    a.claimTick();
    assertThat(a.clockSkewed()).isTrue();
    assertThat(a.owns("cam-1", Duty.FILES)).isTrue();
    assertThat(a.owns("cam-1", Duty.CAPTURE)).isFalse();
    assertThat(holders()).containsKey("cam-1/files").doesNotContainKey("cam-1/capture");
    assertThat(events()).filteredOn(TypedEvent.ClockSkew.class::isInstance).hasSize(1);

    fast.set(T0); // back in step: it captures again at its next scan
    a.renewAndClaim();
    assertThat(a.clockSkewed()).isFalse();
    assertThat(a.owns("cam-1", Duty.CAPTURE)).isTrue();
  }

  @Test
  void aPinnedCameraGoesOnlyToItsNodeAndIsReportedWhileThatNodeIsAway() {
    cameras(3);
    ClusterOptions pinned =
        ClusterOptions.builder().nodeId("a").pin("cam-1", "b").build();
    LeaseKeeper a = node("a", time, pinned);
    a.claimTick();
    assertThat(a.owns("cam-1", Duty.FILES)).isFalse();
    assertThat(a.owns("cam-2", Duty.FILES)).isTrue();
    time.advance(Duration.ofSeconds(11)); // longer than a lease with nobody holding cam-1
    a.renewAndClaim();
    assertThat(a.status().unowned())
        .containsEntry("cam-1/files", "pinned to node b, which is not live");

    LeaseKeeper b =
        node("b", time, ClusterOptions.builder().nodeId("b").pin("cam-1", "b").build());
    b.claimTick();
    assertThat(b.owns("cam-1", Duty.FILES)).isTrue();
  }
}
