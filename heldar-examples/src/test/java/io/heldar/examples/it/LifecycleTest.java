package io.heldar.examples.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.Heldar;
import io.heldar.core.model.Camera;
import io.heldar.core.probe.MediaProbes;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a host relies on: nothing runs before start(), and stop() keeps to its one deadline. */
class LifecycleTest {
  @TempDir Path dir;

  static Set<String> heldarThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith("heldar-") && !n.startsWith("heldar-sqlite")).collect(Collectors.toSet());
  }

  /** A camera that never answers and ignores interrupts until released. */
  static final class HungSource implements io.heldar.core.snapshot.SnapshotSource {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public byte[] capture(Camera camera, Duration timeout) {
      entered.countDown();
      while (true) {
        try {
          if (release.await(50, TimeUnit.MILLISECONDS)) {
            throw new io.heldar.core.snapshot.SnapshotCaptureException(camera.id(), "released");
          }
        } catch (InterruptedException ignored) {
          // a source that ignores interrupts: the worst a host can plug in
        }
      }
    }
  }

  @Test
  void buildStartsNothingAndStopKeepsToItsDeadline() throws Exception {
    HungSource source = new HungSource();
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      store.cameras().add(new Camera("gate", "gate", Optional.of("memory://gate"), Instant.now()));
      store.snapshotSchedules().create("gate", Duration.ofSeconds(1), true, Instant.now());
      Set<String> before = heldarThreads();
      Heldar heldar = Heldar.builder()
          .store(store)
          .recordingsRoot(Files.createDirectories(dir.resolve("rec")))
          .probe(MediaProbes.nativeMp4())
          .snapshotsRoot(Files.createDirectories(dir.resolve("snaps")))
          .snapshotSource(source)
          .captureTimeout(Duration.ofMillis(500))
          .stopTimeout(Duration.ofSeconds(1))
          .build();
      assertThat(heldarThreads()).as("threads after build(), before start()").isEqualTo(before);

      heldar.start();
      assertThat(source.entered.await(10, TimeUnit.SECONDS)).as("a capture started").isTrue();
      long t0 = System.nanoTime();
      heldar.stop();
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(took).as("stop() with a hung capture and stopTimeout 1 s").isLessThan(Duration.ofMillis(2500));
      heldar.stop(); // idempotent
      org.assertj.core.api.Assertions.assertThatThrownBy(heldar::start).as("a second start() after stop() fails clearly")
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped");

      source.release.countDown();
      io.heldar.core.testing.Await.until(Duration.ofSeconds(10), () -> heldarThreads().equals(before),
          "no Heldar thread left once the hung source returns (left: " + heldarThreads() + ")");
    }
  }
}
