package io.heldar.examples.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.index.FileBucket;
import io.heldar.core.index.IndexingOptions;
import io.heldar.core.index.ScanReport;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.model.Camera;
import io.heldar.core.probe.MediaProbes;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose clock is behind the storage's (shared storage, a wrong clock): closed files must be
 * indexed within the settle time of the files' own times, not the settle time plus the skew.
 */
class ClockBehindStorageTest {
  @TempDir
  Path dir;

  @Test
  void closedFilesAreSettledByTheStoragesTimeNotTheNodesClock() throws Exception {
    Path camera = dir.resolve("rec/gate");
    Instant fsNow = Instant.now();
    TestMedia.touch(
        TestMedia.make(camera.resolve("20261121T100000Z.mp4"), TestMedia.Spec.plain()),
        fsNow.minusSeconds(20));
    TestMedia.touch(
        TestMedia.make(camera.resolve("20261121T100002Z.mp4"), TestMedia.Spec.plain()),
        fsNow.minusSeconds(10));
    // the recorder's current file, written now
    TestMedia.touch(
        TestMedia.make(camera.resolve("20261121T100004Z.mp4"), TestMedia.Spec.plain()), fsNow);
    Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-30));
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"));
        SegmentIndexer indexer = SegmentIndexer.builder()
            .store(store)
            .probe(MediaProbes.nativeMp4())
            .recordingsRoot(dir.resolve("rec"))
            .options(IndexingOptions.builder().settleTime(Duration.ofSeconds(5)).build())
            .clock(behind)
            .build()) {
      store.cameras().add(Camera.of("gate", behind.instant()));
      ScanReport r = indexer.scanOnce();
      assertThat(r.indexed())
          .as("the two closed files, 10 s and 20 s old on the storage")
          .isEqualTo(2);
      assertThat(r.cameras().get(0).files().count(FileBucket.UNSETTLED))
          .as("the file being written")
          .isEqualTo(1);
      assertThat(store.segments().newest("gate").orElseThrow().indexedAt())
          .as("indexed_at (created_at) on the storage clock, not 30 s behind")
          .isBetween(fsNow.minusSeconds(5), Instant.now().plusSeconds(5));
    }
  }
}
