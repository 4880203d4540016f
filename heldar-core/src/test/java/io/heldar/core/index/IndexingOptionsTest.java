package io.heldar.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.runtime.RuntimeOptions;
import io.heldar.core.snapshot.MisfirePolicy;
import io.heldar.core.snapshot.SnapshotOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The engines' options records: defaults, one check per rule with the value, from(existing). */
class IndexingOptionsTest {
  @Test
  void fromChangesOneValueAndKeepsTheOthers() {
    IndexingOptions frigate =
        IndexingOptions.builder().naming(SegmentNaming.frigate()).batchSize(100).build();
    IndexingOptions slower =
        IndexingOptions.from(frigate).settleTime(Duration.ofSeconds(30)).build();
    assertThat(slower.naming()).isEqualTo(frigate.naming());
    assertThat(slower.batchSize()).isEqualTo(100);
    assertThat(slower.settleTime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(frigate.settleTime()).as("immutable").isEqualTo(IndexingOptions.DEFAULT_SETTLE_TIME);
    assertThat(IndexingOptions.builder().build()).isEqualTo(IndexingOptions.DEFAULTS);

    SnapshotOptions skip = SnapshotOptions.from(SnapshotOptions.DEFAULTS)
        .misfirePolicy(MisfirePolicy.SKIP_TO_NEXT)
        .build();
    assertThat(SnapshotOptions.from(skip).captureParallelism(4).build())
        .isEqualTo(new SnapshotOptions(
            MisfirePolicy.SKIP_TO_NEXT,
            SnapshotOptions.DEFAULT_MISFIRE_THRESHOLD,
            SnapshotOptions.DEFAULT_CAPTURE_TIMEOUT,
            4,
            SnapshotOptions.DEFAULT_REFRESH_INTERVAL,
            true));

    RuntimeOptions quick =
        RuntimeOptions.builder().stopTimeout(Duration.ofSeconds(1)).build();
    assertThat(RuntimeOptions.from(quick).threads(8).build())
        .isEqualTo(
            new RuntimeOptions(8, Duration.ofSeconds(1), RuntimeOptions.DEFAULT_MAX_BACKOFF));
    assertThat(quick.threads()).isEqualTo(RuntimeOptions.DEFAULT_THREADS);
    assertThatThrownBy(() -> RuntimeOptions.builder().threads(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threads")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> RuntimeOptions.from(quick).stopTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stopTimeout");
  }

  @Test
  void everySetterChecksAtOnceWithTheValueInTheMessage() {
    assertThatThrownBy(() -> IndexingOptions.builder().batchSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch size")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> IndexingOptions.builder().settleTime(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("settle time")
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> SnapshotOptions.builder().captureTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capture timeout");
    assertThatThrownBy(() -> SnapshotOptions.builder().captureParallelism(5000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5000");
    assertThatThrownBy(() -> new IndexingOptions(
            null,
            false,
            Duration.ZERO,
            Duration.ZERO,
            1,
            1,
            Duration.ofHours(1),
            Duration.ofHours(1),
            SegmentIndexer.VanishGuard.DEFAULTS,
            io.heldar.core.gap.GapDetector.Options.DEFAULTS))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("naming");
  }
}
