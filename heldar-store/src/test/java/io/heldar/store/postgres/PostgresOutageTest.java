package io.heldar.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.Snapshot;
import io.heldar.core.snapshot.MisfirePolicy;
import io.heldar.core.snapshot.SnapshotOptions;
import io.heldar.core.snapshot.SnapshotScheduler;
import io.heldar.core.testing.MutableClock;
import io.heldar.store.contract.StoreContract;
import io.heldar.store.testing.CutOffRole;
import io.heldar.store.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database becomes unreachable between a capture and its commit (the store's role is refused
 * and its sessions ended), then comes back: the slot is not silently lost — its failure is recorded
 * once the database answers again, and the schedule goes on.
 */
class PostgresOutageTest {
  static final Instant T0 = StoreContract.T0;
  static final byte[] JPEG = {
    (byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 1, 2, 3, (byte) 0xff, (byte) 0xd9
  };

  @TempDir
  Path dir;

  @Test
  void aSlotWhoseCommitTheDatabaseRefusedIsRecordedWhenItIsBack() throws Exception {
    String url = TestPostgres.freshUrl();
    CutOffRole role = CutOffRole.create(url, "heldar_outage_");
    String roleUrl = role.url();
    MutableClock clock = new MutableClock(T0);
    CountDownLatch capturing = new CountDownLatch(1);
    CountDownLatch cut = new CountDownLatch(1);
    int[] captures = {0};
    try (PostgresHeldarStore store = PostgresHeldarStore.open(
            PostgresLocation.parse(roleUrl),
            PostgresHeldarStore.Options.builder()
                .connectTimeout(Duration.ofMillis(500))
                .build());
        PostgresHeldarStore observer = PostgresHeldarStore.open(url)) {
      store.cameras().add(Camera.of("cam", T0));
      try (SnapshotScheduler s = SnapshotScheduler.builder()
          .store(store)
          .source((camera, timeout) -> {
            if (++captures[0] == 2) { // the second slot: the database goes away meanwhile
              capturing.countDown();
              try {
                cut.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return JPEG;
          })
          .snapshotsRoot(dir.resolve("snaps"))
          .clock(clock)
          .options(
              SnapshotOptions.builder().misfirePolicy(MisfirePolicy.FIRE_ONCE).build())
          .ticker(clock::monotonicNanos)
          .build()) {
        long schedule = s.create("cam", Duration.ofSeconds(10)).id();
        s.fireDue();
        assertThat(s.awaitIdle(Duration.ofSeconds(10))).isTrue();

        clock.set(T0.plusSeconds(10));
        s.fireDue();
        assertThat(capturing.await(10, TimeUnit.SECONDS)).isTrue();
        role.cutOff();
        cut.countDown();
        assertThat(s.awaitIdle(Duration.ofSeconds(20))).isTrue(); // commit failed, nothing recorded
        assertThat(observer.events().count(Optional.of("cam"), EventKinds.SNAPSHOT_FAILED))
            .isZero();

        role.restore();
        clock.set(T0.plusSeconds(20));
        s.fireDue(); // records the failure of slot 10 s, then fires slot 20 s
        assertThat(s.awaitIdle(Duration.ofSeconds(10))).isTrue();

        List<HeldarEvent> failed = observer
            .events()
            .recent(Optional.of("cam"), Optional.of(EventKinds.SNAPSHOT_FAILED), 10);
        assertThat(failed).singleElement().satisfies(e -> {
          TypedEvent.SnapshotFailed f = (TypedEvent.SnapshotFailed) e.typed();
          assertThat(f.scheduleId()).isEqualTo(schedule);
          assertThat(f.slot()).isEqualTo(T0.plusSeconds(10));
          assertThat(f.reason()).startsWith("cannot record snapshot");
        });
        assertThat(observer.snapshots().all("cam"))
            .extracting(Snapshot::takenAt)
            .containsExactly(T0, T0.plusSeconds(20));
        assertThat(observer.snapshots().forSlot(schedule, T0.plusSeconds(10))).isEmpty();
        assertThat(observer.snapshotSchedules().find(schedule).orElseThrow().lastFiredAt())
            .contains(T0.plusSeconds(20));
        try (Stream<Path> files = Files.walk(dir.resolve("snaps"))) {
          assertThat(files.filter(Files::isRegularFile)).hasSize(2); // no temp file left
        }
      }
    }
  }
}
