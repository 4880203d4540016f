package io.heldar.examples.it;

import io.heldar.core.Heldar;
import io.heldar.core.heal.HealOptions;
import io.heldar.core.probe.MediaProbes;
import io.heldar.ffmpeg.HttpEdgeSource;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The healer in a JVM of its own, for {@code EdgeHealingTest} to {@code kill -9} mid-fetch: args
 * are the database, the recordings root, the edge URL template and the instant its clock stands
 * at. It indexes once, says {@code ready}, and runs one healing round (which the edge stalls).
 */
public final class HealCrashChild {
  private HealCrashChild() {}

  /** Runs the child. */
  public static void main(String[] args) {
    Clock clock = Clock.fixed(Instant.parse(args[3]), ZoneOffset.UTC);
    try (SqliteHeldarStore store = SqliteHeldarStore.open(Path.of(args[0]))) {
      Heldar heldar = Heldar.builder()
          .store(store)
          .clock(clock)
          .recordingsRoot(Path.of(args[1]))
          .probe(MediaProbes.nativeMp4())
          .probeExecutor(Runnable::run)
          .edgeSource(HttpEdgeSource.of(args[2]))
          .healing(HealOptions.DEFAULTS)
          .manualRuntime()
          .build();
      heldar.start();
      heldar.manualRuntime().tick("segment-indexer");
      System.out.println("ready");
      System.out.flush();
      heldar.manualRuntime().tick("gap-healer");
      System.out.println("round over");
    }
  }
}
