package io.heldar.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.cluster.ClusterOptions;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.model.Camera;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.retention.RetentionPolicy;
import io.heldar.core.runtime.ManualRuntime;
import io.heldar.core.runtime.TaskHealth;
import io.heldar.core.store.LeaseStore.Duty;
import io.heldar.core.testing.MemoryStore;
import io.heldar.core.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How Heldar wires what it is given: one engine per configured part, in order, on a manual runtime
 * over the memory store; and the configurations it refuses, each with the reason.
 */
class HeldarWiringTest {
  static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");
  static final byte[] JPEG = {
    (byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 1, 2, 3, (byte) 0xff, (byte) 0xd9
  };

  @TempDir
  Path dir;

  final MutableClock clock = new MutableClock(T0);
  final MemoryStore store = new MemoryStore(clock);

  Heldar.Builder base() {
    return Heldar.builder()
        .store(store)
        .clock(clock)
        .ticker(clock::monotonicNanos)
        .manualRuntime();
  }

  @Test
  void eachConfiguredPartIsOneEngineAndEventPruningIsAlwaysThere() {
    Heldar bare = base().build();
    assertThat(bare.health()).extracting(TaskHealth::name).containsExactly("event-pruning");
    assertThat(bare.indexer()).isEmpty();
    assertThat(bare.snapshotScheduler()).isEmpty();
    assertThat(bare.retention()).isEmpty();
    assertThat(bare.clusterStatus()).isEmpty();
    bare.stop();

    Heldar snaps = base()
        .snapshotsRoot(dir.resolve("snaps"))
        .snapshotSource((camera, timeout) -> JPEG)
        .cluster(ClusterOptions.forNode("n1"))
        .build();
    assertThat(snaps.health())
        .extracting(TaskHealth::name)
        .containsExactly("cluster-leases", "snapshot-scheduler", "event-pruning");
    snaps.stop();
  }

  @Test
  void incompleteConfigurationsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> base().recordingsRoot(dir).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("indexing needs both recordingsRoot and probe");
    assertThatThrownBy(() -> base().probe(MediaProbes.nativeMp4()).build())
        .hasMessageContaining("indexing needs both");
    assertThatThrownBy(() -> base().snapshotSource((c, t) -> JPEG).build())
        .hasMessageContaining("snapshots need both snapshotsRoot and snapshotSource");
    assertThatThrownBy(() -> base()
            .retention(RetentionPolicy.builder().maxAge(Duration.ofDays(1)).build())
            .build())
        .hasMessageContaining("retention needs the recordingsRoot");
    assertThatThrownBy(() -> Heldar.builder().build()).hasMessageContaining("a store is required");
  }

  @Test
  void aClusterNodeClaimsAtItsFirstTickAndGivesEverythingBackAtStop() {
    store.cameras().add(Camera.of("gate", T0));
    Heldar node = base().cluster(ClusterOptions.forNode("n1")).build();
    ManualRuntime runtime = node.manualRuntime();
    node.start();
    runtime.tick("cluster-leases");
    assertThat(node.assignment().owns("gate", Duty.FILES)).isTrue();
    assertThat(node.clusterStatus().orElseThrow().held()).hasSize(2);
    node.stop();
    assertThat(node.assignment().owns("gate", Duty.FILES)).isFalse();
    assertThat(store.leases().orElseThrow().unheld("gate", Duty.FILES)).isTrue();
    assertThat(store.leases().orElseThrow().unheld("gate", Duty.CAPTURE)).isTrue();
  }

  @Test
  void aScheduleCreatedThroughTheClientIsCapturedAtTheNextTick() {
    AtomicInteger captures = new AtomicInteger();
    Heldar heldar = base()
        .snapshotsRoot(dir.resolve("snaps"))
        .snapshotSource((camera, timeout) -> {
          captures.incrementAndGet();
          return JPEG;
        })
        .captureExecutor(Runnable::run)
        .build();
    heldar.client().registerCamera(Camera.of("gate", T0));
    heldar.start();
    heldar.manualRuntime().tick("snapshot-scheduler");
    heldar.client().createSchedule("gate", Duration.ofSeconds(5)); // at :00, a slot: due now
    heldar.manualRuntime().tick("snapshot-scheduler");
    assertThat(captures).hasValue(1);
    heldar.stop(); // commits what was captured
    assertThat(store.snapshots().all("gate")).hasSize(1);
  }

  @Test
  void eventPruningDeletesOnlyWhatIsOlderThanTheMaximumAge() {
    Heldar heldar = base().eventMaxAge(Duration.ofDays(30)).build();
    for (int day = 40; day >= 0; day -= 10) {
      store
          .events()
          .append(HeldarEvent.global(
              new TypedEvent.TaskFailed("t", "day " + day, 1), T0.minus(Duration.ofDays(day))));
    }
    heldar.start();
    assertThat(heldar.manualRuntime().tick("event-pruning"))
        .isEqualTo(Heldar.Builder.DEFAULT_RETENTION_INTERVAL);
    assertThat(heldar.client().events(0, 100))
        .extracting(e -> ((TypedEvent.TaskFailed) e.event().typed()).error())
        .containsExactly("day 30", "day 20", "day 10", "day 0");
    assertThat(heldar.metrics().retention().eventsPruned()).isEqualTo(1);
    heldar.stop();
  }
}
