package io.heldar.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.Heldar;
import io.heldar.core.event.HeldarListener;
import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.HeldarEvent;
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
      assertThat(heldar.registerCamera(Camera.of("front-door", Instant.now()))).isTrue();
      assertThat(heldar.registerCamera(Camera.of("front-door", Instant.now()))).isFalse();
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
}
