package io.heldar.store.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.Heldar;
import io.heldar.core.HeldarClient;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.HeldarListener;
import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.testing.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A host's view: real SQLite file, cameras, supervised work, events in the table and in a listener. */
public abstract class HostEmbeddingContract extends StoreContractBase {

  @Test
  void hostRegistersCamerasAndRunsSupervisedWork() throws Exception {
    List<HeldarEvent> heard = new CopyOnWriteArrayList<>();
    try (HeldarStore store = openDatabase()) {
      Heldar heldar = Heldar.builder()
          .store(store)
          .listener(new HeldarListener() {
            @Override
            public void onEvent(HeldarEvent event) {
              heard.add(event);
            }
          })
          .build();
      assertThat(heldar.client().registerCamera(Camera.of("front-door", Instant.now())))
          .isTrue();
      assertThat(heldar.client().registerCamera(Camera.of("front-door", Instant.now())))
          .isFalse();
      AtomicInteger ticks = new AtomicInteger();
      heldar.schedule("host-work", Duration.ofMillis(5), () -> {
        if (ticks.incrementAndGet() == 2) {
          throw new IllegalStateException("host work failed once");
        }
      });
      heldar.start();
      Await.until(Duration.ofSeconds(10), () -> ticks.get() >= 5, "five ticks");
      heldar.stop();
      assertThat(ticks.get()).isGreaterThanOrEqualTo(5);
      assertThat(store.events().recent(Optional.empty(), Optional.of(EventKinds.TASK_FAILED), 10))
          .singleElement()
          .satisfies(e -> assertThat(e.payload()).containsEntry("task", "host-work"));
      assertThat(heard).extracting(HeldarEvent::kind).containsExactly(EventKinds.TASK_FAILED);
      assertThat(store.cameras().list()).extracting(Camera::id).containsExactly("front-door");
    }
  }

  @Test
  void eventsAreReadAfterACursorAndPrunedPastTheirMaximumAge() {
    io.heldar.core.testing.MutableClock clock =
        new io.heldar.core.testing.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (HeldarStore store = openDatabase()) {
      Heldar heldar = Heldar.builder()
          .store(store)
          .clock(clock)
          .eventMaxAge(Duration.ofDays(30))
          .build();
      Instant t0 = clock.instant();
      store.useTransaction(() -> {
        for (int i = 0; i < 25_005; i++) {
          store
              .events()
              .append(HeldarEvent.global(
                  "host_note",
                  io.heldar.core.model.Severity.INFO,
                  java.util.Map.of("i", (long) i),
                  t0.plusSeconds(i / 10_000)));
        }
      });
      List<io.heldar.core.event.StoredEvent> page = heldar.client().events(0, 3);
      assertThat(page).extracting(e -> e.event().payload().get("i")).containsExactly(0L, 1L, 2L);
      assertThat(heldar.client().events(page.get(2).id(), 1))
          .extracting(e -> e.event().payload().get("i"))
          .containsExactly(3L);

      clock.set(Instant.parse("2026-01-31T00:00:01Z")); // 30 days and 1 s: the first 10,000 are old
      assertThat(heldar.pruneEvents()).isEqualTo(10_000);
      assertThat(heldar.client().events(0, 1))
          .extracting(e -> e.event().payload().get("i"))
          .containsExactly(10_000L);
      clock.set(Instant.parse("2026-02-01T00:00:00Z")); // all of them, in batches
      assertThat(heldar.pruneEvents()).isEqualTo(15_005);
      assertThat(heldar.client().events(0, 10)).isEmpty();
      assertThatThrownBy(() -> Heldar.builder().store(store).eventMaxAge(Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("event max age");
    }
  }

  @Test
  void theClientOfARunningHeldarIsHeardAtTheNextTickAStoreClientAtTheRefresh() throws Exception {
    io.heldar.core.testing.MutableClock clock =
        new io.heldar.core.testing.MutableClock(Instant.parse("2026-12-06T08:00:00Z"));
    AtomicInteger captures = new AtomicInteger();
    byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 1, (byte) 0xff, (byte) 0xd9};
    try (HeldarStore store = openDatabase()) {
      Heldar heldar = Heldar.builder()
          .store(store)
          .clock(clock)
          .ticker(clock::monotonicNanos)
          .snapshotsRoot(java.nio.file.Files.createDirectories(dir.resolve("snaps")))
          .snapshotSource((camera, timeout) -> {
            captures.incrementAndGet();
            return jpeg;
          })
          .captureExecutor(Runnable::run)
          .snapshotOptions(io.heldar.core.snapshot.SnapshotOptions.builder()
              .refreshInterval(Duration.ofHours(1))
              .build())
          .manualRuntime()
          .build();
      HeldarClient client = heldar.client();
      HeldarClient standalone = HeldarClient.of(store, clock);
      assertThat(client.registerCamera(Camera.of("gate", clock.instant()))).isTrue();
      assertThat(standalone.registerCamera(Camera.of("yard", clock.instant()))).isTrue();
      assertThat(standalone.cameras()).extracting(Camera::id).containsExactly("gate", "yard");
      assertThatThrownBy(() -> client.createSchedule("nobody", Duration.ofSeconds(10)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown camera nobody");
      heldar.start();
      heldar.manualRuntime().tick("snapshot-scheduler"); // schedules read: none yet

      standalone.createSchedule("yard", Duration.ofSeconds(10)); // heard at the hourly refresh
      clock.advance(Duration.ofSeconds(10));
      heldar.manualRuntime().tick("snapshot-scheduler");
      assertThat(captures).as("a store client's schedule waits for the refresh").hasValue(0);

      client.createSchedule("gate", Duration.ofSeconds(10)); // heard at the next tick (with yard)
      clock.advance(Duration.ofSeconds(10));
      heldar.manualRuntime().tick("snapshot-scheduler");
      assertThat(captures).hasValue(2);
      Await.until(
          Duration.ofSeconds(10),
          () -> store.snapshots().all("gate").size() == 1
              && store.snapshots().all("yard").size() == 1,
          "both snapshots committed");
      assertThat(client.schedules()).extracting(s -> s.cameraId()).containsExactly("yard", "gate");

      var hold = client.hold("gate", clock.instant().minusSeconds(60), clock.instant(), "case 7");
      assertThat(standalone.holds("gate")).containsExactly(hold);
      assertThat(standalone.releaseHold(hold.id())).isTrue();
      assertThat(client.holds("gate")).isEmpty();
      heldar.stop();
    }
  }
}
