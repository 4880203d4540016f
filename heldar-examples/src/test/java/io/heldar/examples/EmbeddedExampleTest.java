package io.heldar.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.timeline.Coverage;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.ffmpeg.testing.TestMedia.Spec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the embedding example on real footage. */
class EmbeddedExampleTest {
  @TempDir
  Path dir;

  @Test
  void theExampleIndexesFootageOnTheHostsExecutorAndQueriesTheTimeline() throws Exception {
    DateTimeFormatter name =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'.'mp4'").withZone(ZoneOffset.UTC);
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
    Path recordings = dir.resolve("recordings");
    for (long offset : new long[] {0, 2, 4, 30, 32}) {
      Instant at = start.plusSeconds(offset);
      TestMedia.touch(
          TestMedia.make(recordings.resolve("front-door").resolve(name.format(at)), Spec.plain()),
          at.plusSeconds(2));
    }
    Coverage c = EmbeddedExample.run(
        recordings, dir.resolve("heldar.db"), "front-door", Duration.ofSeconds(3));
    assertThat(c.runs()).hasSize(2);
    assertThat(c.gaps()).singleElement().satisfies(g -> assertThat(g.gapSeconds())
        .isCloseTo(24.0, org.assertj.core.data.Offset.offset(0.2)));
  }
}
