package io.heldar.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.HeldarClient;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.model.Camera;
import io.heldar.core.model.RetentionHold;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.core.testing.MemoryStore;
import io.heldar.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The host's operations, each once: what they write, what they refuse, whom they tell. */
class StoreClientTest {
  static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");
  final MutableClock clock = new MutableClock(T0);
  final MemoryStore store = new MemoryStore(clock);
  final AtomicInteger scheduleChanges = new AtomicInteger();
  final HeldarClient client = new StoreClient(store, clock, scheduleChanges::incrementAndGet);

  @Test
  void camerasAreRegisteredOnceUpdatedAndListedById() {
    assertThat(client.registerCamera(Camera.of("yard", T0))).isTrue();
    assertThat(client.registerCamera(Camera.of("gate", T0))).isTrue();
    assertThat(client.registerCamera(Camera.of("gate", T0)))
        .as("an id is registered once")
        .isFalse();
    assertThat(client.cameras()).extracting(Camera::id).containsExactly("gate", "yard");
    Camera renamed = new Camera("gate", "Front gate", Optional.of("rtsp://10.0.0.2/"), T0);
    assertThat(client.updateCamera(renamed)).isTrue();
    assertThat(client.camera("gate")).contains(renamed);
    assertThat(client.updateCamera(Camera.of("nobody", T0))).isFalse();
    assertThat(client.deleteCamera("yard")).isTrue();
    assertThat(client.camera("yard")).isEmpty();
  }

  @Test
  void schedulesNeedARegisteredCameraAndEveryChangeIsHeard() {
    assertThatThrownBy(() -> client.createSchedule("gate", Duration.ofSeconds(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown camera gate");
    assertThat(scheduleChanges).hasValue(0);
    client.registerCamera(Camera.of("gate", T0));
    SnapshotSchedule s = client.createSchedule("gate", Duration.ofSeconds(10));
    assertThat(s.enabled()).isTrue();
    assertThat(s.createdAt()).isEqualTo(T0);
    clock.advance(Duration.ofMinutes(1));
    SnapshotSchedule off =
        client.updateSchedule(s.id(), Duration.ofSeconds(30), false).orElseThrow();
    assertThat(off.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(off.enabled()).isFalse();
    assertThat(off.updatedAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(client.schedule(s.id())).contains(off);
    assertThat(client.updateSchedule(99, Duration.ofSeconds(1), true)).isEmpty();
    assertThat(client.deleteSchedule(s.id())).isTrue();
    assertThat(client.schedules()).isEmpty();
    assertThat(scheduleChanges).as("create, two updates, delete").hasValue(4);
  }

  @Test
  void holdsAreKeptPerCameraUntilReleased() {
    RetentionHold h = client.hold("gate", T0.minusSeconds(600), T0, "case 4711");
    assertThat(h.reason()).isEqualTo("case 4711");
    assertThat(h.createdAt()).isEqualTo(T0);
    client.hold("yard", T0.minusSeconds(60), T0, "other");
    assertThat(client.holds("gate")).containsExactly(h);
    assertThat(client.releaseHold(h.id())).isTrue();
    assertThat(client.releaseHold(h.id())).isFalse();
    assertThat(client.holds("gate")).isEmpty();
    assertThat(client.holds("yard")).hasSize(1);
  }

  @Test
  void eventsAreReadOnAfterTheLastIdSeen() {
    for (int i = 0; i < 5; i++) {
      store.events().append(HeldarEvent.global(new TypedEvent.TaskFailed("t", "e" + i, 1), T0));
    }
    var first = client.events(0, 2);
    assertThat(first).hasSize(2);
    var rest = client.events(first.get(1).id(), 10);
    assertThat(rest)
        .extracting(e -> ((TypedEvent.TaskFailed) e.event().typed()).error())
        .containsExactly("e2", "e3", "e4");
    assertThat(client.timeline()).isNotNull();
  }
}
