package io.heldar.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.Heldar;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.retention.RetentionPolicy;
import io.heldar.core.retention.RetentionSweeper;
import io.heldar.core.runtime.HeldarRuntime;
import io.heldar.core.snapshot.SnapshotScheduler;
import io.heldar.core.snapshot.SnapshotSources;
import io.heldar.ffmpeg.FfprobeMediaProbe;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps docs/configuration.md true: every public builder option is in it. */
class ConfigurationDocTest {
  @Test
  void everyPublicOptionIsDocumented() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    List<String> missing = new ArrayList<>();
    for (Class<?> builder : List.of(
        Heldar.Builder.class,
        SegmentIndexer.Builder.class,
        io.heldar.core.index.IndexingOptions.Builder.class,
        io.heldar.core.snapshot.SnapshotOptions.Builder.class,
        SnapshotScheduler.Builder.class,
        RetentionPolicy.Builder.class,
        RetentionSweeper.Builder.class,
        HeldarRuntime.Builder.class,
        io.heldar.core.runtime.RuntimeOptions.Builder.class,
        io.heldar.core.gap.GapDetector.Options.Builder.class,
        FfprobeMediaProbe.Builder.class,
        SqliteHeldarStore.Options.Builder.class,
        io.heldar.store.postgres.PostgresHeldarStore.Options.Builder.class,
        SnapshotSources.HttpOptions.Builder.class,
        io.heldar.core.cluster.ClusterOptions.Builder.class,
        io.heldar.http.HttpApiOptions.Builder.class,
        io.heldar.core.tier.StorageTier.Builder.class,
        io.heldar.core.tier.TierMoveOptions.Builder.class,
        io.heldar.core.tier.TierMoves.Builder.class,
        io.heldar.core.heal.HealOptions.Builder.class)) {
      for (Method m : builder.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers())
            && !Modifier.isStatic(m.getModifiers())
            && !m.getName().equals("build")) {
          if (!doc.contains("`" + m.getName() + "(")) {
            missing.add(builder.getName().replace('$', '.') + "." + m.getName());
          }
        }
      }
    }
    assertThat(missing).as("options missing from docs/configuration.md").isEmpty();
  }
}
