package io.heldar.examples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.Heldar;
import io.heldar.core.model.Camera;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.runtime.ManualRuntime;
import io.heldar.core.testing.Await;
import io.heldar.core.testing.MutableClock;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole Heldar on a {@link ManualRuntime}: real SQLite, a real MP4, the native probe; the engines
 * tick only when the test says, on its thread, with probes and captures run in place.
 */
class ManualRuntimeHeldarTest {
  static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  static final byte[] JPEG = {
    (byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 1, 2, 3, (byte) 0xff, (byte) 0xd9
  };

  @TempDir
  Path dir;

  @Test
  void theEnginesTickWhenTheTestSaysAndNotBefore() throws Exception {
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    Instant start = clock.instant().minusSeconds(60);
    Path file = TestMedia.make(
        dir.resolve("rec/gate").resolve(NAME.format(start) + ".mp4"),
        TestMedia.Spec.plain().seconds(4));
    TestMedia.touch(file, clock.instant().minusSeconds(30));
    AtomicInteger captures = new AtomicInteger();
    Thread testThread = Thread.currentThread();
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      store.cameras().add(new Camera("gate", "gate", Optional.of("memory://gate"), start));
      Heldar heldar = Heldar.builder()
          .store(store)
          .clock(clock)
          .ticker(clock::monotonicNanos)
          .recordingsRoot(dir.resolve("rec"))
          .probe(MediaProbes.nativeMp4())
          .probeExecutor(Runnable::run)
          .snapshotsRoot(Files.createDirectories(dir.resolve("snaps")))
          .snapshotSource((camera, timeout) -> {
            assertThat(Thread.currentThread()).isSameAs(testThread);
            captures.incrementAndGet();
            return JPEG;
          })
          .captureExecutor(Runnable::run)
          .manualRuntime()
          .build();
      ManualRuntime runtime = heldar.manualRuntime();
      heldar.start();
      assertThat(store.segments().count("gate")).as("nothing ticks by itself").isZero();

      assertThat(runtime.tick("segment-indexer")).isEqualTo(Heldar.Builder.DEFAULT_SCAN_INTERVAL);
      assertThat(store.segments().count("gate")).isEqualTo(1);
      assertThat(heldar.metrics().cameras().get("gate").segmentsIndexed()).isEqualTo(1);

      heldar.snapshotScheduler().orElseThrow().create("gate", Duration.ofSeconds(10));
      runtime.tick("snapshot-scheduler"); // recovery, then whatever slot is due
      clock.advance(Duration.ofSeconds(10));
      // 10 s on: the indexer's scan interval is up too; the storage forecast (scan interval + 5 s),
      // pruning and the rest are not
      assertThat(runtime.tickDue()).containsExactly("segment-indexer", "snapshot-scheduler");
      assertThat(captures).hasPositiveValue();
      Await.until(
          Duration.ofSeconds(10),
          () -> store.snapshots().all("gate").size() == captures.get(),
          "the captured snapshots committed");
      assertThat(runtime.health("segment-indexer").orElseThrow().runs()).isEqualTo(2);
      assertThat(runtime.tickDue()).as("nothing is due until the clock moves").isEmpty();

      heldar.stop();
      assertThatThrownBy(() -> runtime.tick("segment-indexer"))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aThreadedHeldarHasNoManualRuntime() throws Exception {
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      Heldar heldar = Heldar.builder().store(store).build();
      assertThatThrownBy(heldar::manualRuntime)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("manualRuntime()");
      heldar.stop();
    }
  }
}
