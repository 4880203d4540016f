package io.heldar.examples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.heldar.core.index.FileBucket;
import io.heldar.core.index.IndexingOptions;
import io.heldar.core.index.ScanReport;
import io.heldar.core.index.SegmentIndexer;
import io.heldar.core.model.Camera;
import io.heldar.core.model.Segment;
import io.heldar.core.probe.MediaProbes;
import io.heldar.ffmpeg.testing.BoxTree;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorder that pauses inside a file: a fragmented MP4 whose writer stalls longer than the settle
 * time at a fragment boundary, is indexed at what it holds then, and goes on. The row must follow
 * the file at the next scans, not at the next complete listing (an hour later by default): the
 * newest file of a camera is exactly where a stalled camera resumes.
 */
class StalledRecorderTest {
  @TempDir
  Path dir;

  @Test
  void aFileThatGrowsAfterItWasIndexedIsIndexedAgainWithinAScan() throws Exception {
    Path root = dir.resolve("rec");
    Path camera = Files.createDirectories(root.resolve("gate"));
    // 10 s, a keyframe and so a fragment every second, as cameras and MediaMTX write fMP4
    Path whole = TestMedia.encode(
        dir.resolve("whole.mp4"),
        10,
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-g",
        "25",
        "-pix_fmt",
        "yuv420p",
        "-movflags",
        "frag_keyframe+empty_moov+default_base_moof");
    byte[] bytes = Files.readAllBytes(whole);
    // The writer stalls after the first four fragments (one a second: a keyframe every 25 frames).
    long cut = fragmentBoundary(bytes, 4);
    Path file = camera.resolve("20261121T100000Z.mp4");
    Files.write(file, Arrays.copyOf(bytes, (int) cut));
    Instant now = Instant.now();
    Files.setLastModifiedTime(file, FileTime.from(now.minusSeconds(10)));
    // The directory's listing is not racy: only the watch can see the file grow.
    Files.setLastModifiedTime(camera, FileTime.from(now.minusSeconds(30)));

    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      store.cameras().add(Camera.of("gate", now));
      try (SegmentIndexer indexer = SegmentIndexer.builder()
          .store(store)
          .probe(MediaProbes.nativeMp4())
          .recordingsRoot(root)
          .options(IndexingOptions.builder()
              .settleTime(Duration.ofSeconds(2))
              .incompleteGrace(Duration.ofSeconds(60))
              .reconcileInterval(Duration.ofHours(1))
              .build())
          .build()) {
        indexer.scanOnce();
        Segment first = store.segments().newest("gate").orElseThrow();
        assertThat(first.media().durationSeconds()).isCloseTo(4.0, within(0.1));

        // A scan with nothing new keeps it (the watch costs a stat, not a listing).
        ScanReport idle = indexer.scanOnce();
        assertThat(idle.indexed()).isZero();

        // The writer goes on and finishes the file.
        Files.write(
            file, Arrays.copyOfRange(bytes, (int) cut, bytes.length), StandardOpenOption.APPEND);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3)));
        Files.setLastModifiedTime(camera, FileTime.from(now.minusSeconds(30)));
        ScanReport after = indexer.scanOnce();
        assertThat(after.cameras().get(0).files().count(FileBucket.CHANGED))
            .as("re-indexed at the next scan")
            .isEqualTo(1);
        Segment grown = store.segments().findByPath(first.path()).orElseThrow();
        assertThat(grown.media().durationSeconds()).isCloseTo(10.0, within(0.1));
      }
    }
  }

  /** The byte offset just after the {@code n}-th moof + mdat pair. */
  private static long fragmentBoundary(byte[] file, int n) {
    BoxTree t = BoxTree.parse(file);
    long pos = 0;
    int moofs = 0;
    for (BoxTree.Box b : t.top) {
      pos += b.size();
      if (b.type.equals("moof")) {
        moofs++;
      }
      if (b.type.equals("mdat") && moofs == n) {
        return pos;
      }
    }
    throw new IllegalStateException("fewer than " + n + " fragments");
  }
}
