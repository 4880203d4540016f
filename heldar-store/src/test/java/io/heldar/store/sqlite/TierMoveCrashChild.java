package io.heldar.store.sqlite;

import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.retention.DiskSpace;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.tier.StorageTier;
import io.heldar.core.tier.StorageTiers;
import io.heldar.core.tier.TierMoveOptions;
import io.heldar.core.tier.internal.TierMover;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A process that moves footage and, at the {@code n}th time it reaches {@code step}, says so on
 * stdout and waits to be killed ({@code kill -9}). Arguments: database, hot root, cold root, step,
 * n.
 */
public final class TierMoveCrashChild {
  private TierMoveCrashChild() {}

  /** Runs it. */
  public static void main(String[] args) throws Exception {
    HeldarStore store = SqliteHeldarStore.open(Path.of(args[0]));
    StorageTiers tiers = StorageTiers.of(
        StorageTier.builder("ssd", Path.of(args[1]))
            .moveAfter(Duration.ofDays(1))
            .build(),
        StorageTier.builder("nas", Path.of(args[2])).build());
    String at = args[3];
    int nth = Integer.parseInt(args[4]);
    Clock clock = Clock.fixed(Instant.parse("2026-11-03T00:00:00Z"), ZoneOffset.UTC);
    EngineContext context = EngineContext.builder(store)
        .clock(clock)
        .recordingsRoot(tiers.primary().root())
        .tiers(tiers)
        .build();
    TierMover mover = new TierMover(
        context,
        tiers,
        TierMoveOptions.builder().bytesPerSecond(0).concurrentFiles(1).build(),
        DiskSpace.fileStore(),
        () -> false,
        SegmentIndexer.VanishGuard.DEFAULTS);
    AtomicInteger seen = new AtomicInteger();
    mover.onSteps(step -> {
      if (step.equals(at) && seen.incrementAndGet() == nth) {
        System.out.println("AT " + step);
        System.out.flush();
        while (true) {
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            // waits for the kill whatever happens
          }
        }
      }
    });
    mover.start();
    mover.round();
    System.out.println("DONE");
    System.out.flush();
    Thread.sleep(60_000);
  }
}
