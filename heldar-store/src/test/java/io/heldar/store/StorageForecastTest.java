package io.heldar.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.heldar.core.model.Camera;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.Segment;
import io.heldar.core.retention.DiskSpace;
import io.heldar.core.retention.RetentionPolicy;
import io.heldar.core.retention.StorageForecast;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage forecast on a real SQLite index: rates from the roll-ups, the date the recordings
 * file system fills at those rates under the policy's limits, and which guarantees that breaks.
 * The file system's size is given (a 100 GB disk is not made for a test); everything else is read
 * from the store.
 */
class StorageForecastTest {
  static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");
  static final long GB = 1_000_000_000L;

  @TempDir
  Path dir;

  /** {@code days} of hour-long segments of {@code bytes} each, up to now. */
  private static void footage(SqliteHeldarStore store, String camera, int days, long bytes) {
    store.cameras().add(Camera.of(camera, NOW.minus(Duration.ofDays(days))));
    MediaInfo media = new MediaInfo(
        Duration.ofHours(1),
        "mov,mp4,m4a,3gp,3g2,mj2",
        "h264",
        1920,
        1080,
        OptionalDouble.of(25),
        OptionalLong.empty(),
        Optional.empty());
    List<Segment> rows = new ArrayList<>();
    for (int h = days * 24; h > 0; h--) {
      Instant start = NOW.minus(Duration.ofHours(h));
      rows.add(Segment.of(camera, camera + "/" + h + ".mp4", start, media, bytes, start, start));
    }
    store.useTransaction(
        () -> store.cameraStats().addIndexed(camera, store.segments().insertAll(rows), NOW));
  }

  private static DiskSpace disk(long total, long free) {
    return new DiskSpace() {
      @Override
      public long usable(Path path) {
        return free;
      }

      @Override
      public long total(Path path) {
        return total;
      }
    };
  }

  @Test
  void aGuaranteeThatFitsHoldsAndOneThatDoesNotBreaksOnTheDayTheDiskFills() throws Exception {
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("h.db"))) {
      // 2 days of 100 MB an hour: 2.4 GB a day, 4.8 GB held.
      footage(store, "gate", 2, 100_000_000L);
      Path root = dir.resolve("rec");
      // 100 GB, 90 free: 10 used, 4.8 of it Heldar's; a 10 % floor leaves 90 GB to use.
      DiskSpace disk = disk(100 * GB, 90 * GB);

      RetentionPolicy fits = RetentionPolicy.builder()
          .maxAge(Duration.ofDays(30))
          .minFreePercent(10)
          .build();
      StorageForecast ok = StorageForecast.compute(store, fits, root, disk, NOW);
      StorageForecast.CameraForecast gate = ok.cameras().get(0);
      assertThat(gate.bytesPerDay()).isCloseTo(2.4e9, within(1e6));
      assertThat(gate.bytesHeld()).isEqualTo(48 * 100_000_000L);
      assertThat(gate.bytesToKeep()).contains(72 * GB);
      assertThat(gate.atRisk()).isFalse();
      assertThat(ok.recordings().floorBytes()).isEqualTo(10 * GB);
      assertThat(ok.recordings().fullAt()).isEmpty(); // 5.2 + 72 GB < 90 GB: never full

      // 40 days would take 96 GB: the disk reaches its floor when 5.2 + 4.8 + 2.4 t = 90 GB.
      RetentionPolicy tooLong = RetentionPolicy.builder()
          .maxAge(Duration.ofDays(40))
          .minFreePercent(10)
          .build();
      StorageForecast risk = StorageForecast.compute(store, tooLong, root, disk, NOW);
      StorageForecast.CameraForecast at = risk.cameras().get(0);
      assertThat(at.atRisk()).isTrue();
      double days = (90.0 - 5.2 - 4.8) / 2.4;
      assertThat(Duration.between(NOW, at.breaksAt().orElseThrow()).toMinutes() / 1440.0)
          .isCloseTo(days, within(0.01));
      assertThat(risk.recordings().daysUntilFull(NOW).getAsDouble()).isCloseTo(days, within(0.01));
      // at steady state 84.8 GB of the 96 it needs: 40 × 84.8 / 96 days
      assertThat(at.holdsDays().getAsDouble()).isCloseTo(40 * 84.8 / 96, within(0.01));

      // A byte budget that caps it makes it fit again.
      RetentionPolicy capped =
          RetentionPolicy.from(tooLong).maxBytesPerCamera(50 * GB).build();
      assertThat(StorageForecast.compute(store, capped, root, disk, NOW)
              .cameras()
              .get(0)
              .atRisk())
          .isFalse();
    }
  }

  @Test
  void withTiersEachTierIsProjectedWithWhatStaysOnIt() throws Exception {
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("h.db"))) {
      footage(store, "gate", 2, 100_000_000L); // 2.4 GB a day, 4.8 GB held, all on hot
      Path hot = dir.resolve("hot");
      Path nas = dir.resolve("nas");
      io.heldar.core.tier.StorageTiers tiers = io.heldar.core.tier.StorageTiers.of(
          io.heldar.core.tier.StorageTier.builder("hot", hot)
              .moveAfter(Duration.ofDays(2))
              .build(),
          io.heldar.core.tier.StorageTier.builder("nas", nas).build());
      // hot: 100 GB, 90 free (5.2 not Heldar's); nas: 100 GB, empty.
      DiskSpace disks = new DiskSpace() {
        @Override
        public long usable(Path path) {
          return path.equals(hot) ? 90 * GB : 100 * GB;
        }

        @Override
        public long total(Path path) {
          return 100 * GB;
        }
      };
      RetentionPolicy keep30 = RetentionPolicy.builder()
          .maxAge(Duration.ofDays(30))
          .minFreePercent(10)
          .build();
      StorageForecast ok = StorageForecast.compute(store, keep30, tiers, disks, NOW);
      assertThat(ok.tiers())
          .extracting(StorageForecast.TierForecast::name)
          .containsExactly("hot", "nas");
      assertThat(ok.tiers()).allSatisfy(t -> assertThat(t.fullAt()).isEmpty());
      assertThat(ok.cameras().get(0).atRisk()).isFalse();

      // 40 days: 38 of them on the NAS take 91.2 GB of its 90: it fills when 2.4 t = 90.
      RetentionPolicy keep40 =
          RetentionPolicy.from(keep30).maxAge(Duration.ofDays(40)).build();
      StorageForecast risk = StorageForecast.compute(store, keep40, tiers, disks, NOW);
      assertThat(risk.tiers().get(0).fullAt()).isEmpty();
      assertThat(risk.tiers().get(1).daysUntilFull(NOW).getAsDouble())
          .isCloseTo(90 / 2.4, within(0.01));
      StorageForecast.CameraForecast gate = risk.cameras().get(0);
      assertThat(gate.atRisk()).isTrue();
      assertThat(gate.breaksAt()).isEqualTo(risk.tiers().get(1).fullAt());
      // 2 days on hot, then 90 of the 91.2 GB the NAS would need: 2 + 38 × 90 / 91.2 days
      assertThat(gate.holdsDays().getAsDouble()).isCloseTo(2 + 38 * 90 / 91.2, within(0.01));
    }
  }

  @Test
  void theForecasterWarnsOncePerChangeAndKeepsTheLastForecast() throws Exception {
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("h.db"))) {
      footage(store, "gate", 2, 100_000_000L);
      io.heldar.core.engine.internal.EngineContext context =
          io.heldar.core.engine.internal.EngineContext.builder(store)
              .clock(java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC))
              .events(io.heldar.core.event.EventPublisher.storing(store, List.of()))
              .build();
      long[] free = {90 * GB};
      DiskSpace disk = new DiskSpace() {
        @Override
        public long usable(Path path) {
          return free[0];
        }

        @Override
        public long total(Path path) {
          return 100 * GB;
        }
      };
      var forecaster = new io.heldar.core.retention.internal.StorageForecaster(
          context,
          RetentionPolicy.builder()
              .maxAge(Duration.ofDays(40))
              .minFreePercent(10)
              .build(),
          dir,
          disk);
      assertThat(forecaster.last()).isEmpty();
      forecaster.forecast();
      forecaster.forecast(); // the same forecast: no second warning
      assertThat(forecaster.last().orElseThrow().cameras().get(0).atRisk()).isTrue();
      var warnings = store
          .events()
          .recent(
              Optional.of("gate"),
              Optional.of(io.heldar.core.model.EventKinds.RETENTION_GUARANTEE_AT_RISK),
              10);
      assertThat(warnings).singleElement().satisfies(e -> {
        assertThat(e.payload().get("keeps_days")).isEqualTo(40.0);
        assertThat(e.payload().get("root")).isEqualTo(dir.toString());
      });
      // Something else took 20 GB: the disk fills days earlier, which is worth a second warning.
      free[0] = 70 * GB;
      forecaster.forecast();
      assertThat(store
              .events()
              .count(
                  Optional.of("gate"), io.heldar.core.model.EventKinds.RETENTION_GUARANTEE_AT_RISK))
          .isEqualTo(2);
    }
  }

  @Test
  void ratesPerCameraAndAFillDateWithoutAnyLimit() throws Exception {
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("h.db"))) {
      footage(store, "gate", 2, 100_000_000L);
      footage(store, "yard", 1, 50_000_000L); // 1.2 GB a day over its one day
      RetentionPolicy policy =
          RetentionPolicy.builder().maxAge(Duration.ofDays(7)).build();
      // gate keeps 7 days (16.8 GB), yard 7 days (8.4 GB): far below a 1 TB disk
      StorageForecast f =
          StorageForecast.compute(store, policy, dir, disk(1000 * GB, 990 * GB), NOW);
      assertThat(f.cameras())
          .extracting(StorageForecast.CameraForecast::cameraId)
          .containsExactly("gate", "yard");
      assertThat(f.cameras().get(1).bytesPerDay()).isCloseTo(1.2e9, within(1e6));
      assertThat(f.recordings().fullAt()).isEmpty();

      // No age limit at all: footage only grows; a 20 GB disk (10 free) fills in
      // (10 - 0) / 3.6 days, and nothing is "at risk" since nothing was promised.
      StorageForecast none = StorageForecast.compute(
          store, RetentionPolicy.builder().build(), dir, disk(20 * GB, 10 * GB), NOW);
      assertThat(none.recordings().daysUntilFull(NOW).getAsDouble())
          .isCloseTo(10 / 3.6, within(0.01));
      assertThat(none.cameras()).noneMatch(StorageForecast.CameraForecast::atRisk);
    }
  }
}
