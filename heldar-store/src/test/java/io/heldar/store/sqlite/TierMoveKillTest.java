package io.heldar.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.model.Segment;
import io.heldar.core.retention.DiskSpace;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.tier.MoveReport;
import io.heldar.core.tier.StorageTier;
import io.heldar.core.tier.StorageTiers;
import io.heldar.core.tier.TierMoveOptions;
import io.heldar.core.tier.internal.TierMover;
import io.heldar.store.contract.TierFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kill -9} of a real process at each step of a tier move (the {@code n}th file, {@code n}
 * drawn from a seed), then a new process on the same SQLite file and directories: it converges (no
 * footage lost, no row pointing at a missing file, no copy left behind, no segment in two places)
 * and the next round moves everything.
 */
class TierMoveKillTest {
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  @TempDir
  Path dir;

  static Stream<Arguments> stepsAndSeeds() {
    List<Arguments> out = new ArrayList<>();
    for (String step :
        List.of("mark", "copy", "fsync", "verify", "rename", "commit", "unlink", "finish")) {
      for (long seed : new long[] {1, 2}) {
        out.add(Arguments.of(step, seed));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "kill -9 before {0}, seed {1}")
  @MethodSource("stepsAndSeeds")
  void aKilledMoveConvergesInTheNextProcess(String step, long seed) throws Exception {
    Path hot = Files.createDirectories(dir.resolve("hot"));
    Path cold = Files.createDirectories(dir.resolve("cold"));
    Path db = dir.resolve("heldar.db");
    StorageTiers tiers = StorageTiers.of(
        StorageTier.builder("ssd", hot).moveAfter(Duration.ofDays(1)).build(),
        StorageTier.builder("nas", cold).build());
    TierFixture fixture = new TierFixture(hot, cold, tiers);
    List<Segment> old;
    try (HeldarStore store = SqliteHeldarStore.open(db)) {
      old = fixture.record(store, "door", T0, 6, seed);
      fixture.record(store, "yard", T0, 3, seed);
    }
    // mark/commit/finish happen once per camera group; the others once per file.
    boolean perGroup = List.of("mark", "commit", "unlink", "finish").contains(step);
    int nth = 1 + new Random(seed).nextInt(perGroup ? 2 : 6);

    Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            TierMoveCrashChild.class.getName(),
            db.toString(),
            hot.toString(),
            cold.toString(),
            step,
            Integer.toString(nth))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("AT ") && !line.equals("DONE"));
      assertThat(line).as("the child reached " + step + " #" + nth).isEqualTo("AT " + step);
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    try (HeldarStore store = SqliteHeldarStore.open(db)) {
      TierMover next = mover(store, tiers);
      next.recover();
      fixture.assertConverged(store);
      MoveReport r = next.round();
      assertThat(r.failed()).isZero();
      for (Segment s : old) {
        assertThat(store.segments().findByPath(s.path()).orElseThrow().tier()).contains("nas");
      }
      fixture.assertConverged(store);
    }
  }

  private static TierMover mover(HeldarStore store, StorageTiers tiers) {
    EngineContext context = EngineContext.builder(store)
        .clock(Clock.fixed(Instant.parse("2026-11-03T00:00:00Z"), ZoneOffset.UTC))
        .recordingsRoot(tiers.primary().root())
        .tiers(tiers)
        .build();
    TierMover m = new TierMover(
        context,
        tiers,
        TierMoveOptions.builder().bytesPerSecond(0).build(),
        DiskSpace.fileStore(),
        () -> false,
        SegmentIndexer.VanishGuard.DEFAULTS);
    m.start();
    return m;
  }
}
