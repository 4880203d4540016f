package io.heldar.examples.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.probe.MediaProbes;
import io.heldar.examples.bench.ProbeFuzzer;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.ffmpeg.testing.TestMedia.Codec;
import io.heldar.ffmpeg.testing.TestMedia.Layout;
import io.heldar.ffmpeg.testing.TestMedia.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 4: mutants of real ffmpeg files, from a fixed seed. Every verdict is a value or a
 * ProbeException (never another exception), and each probe stays within its budget: at most 16 MiB
 * allocated, and bounded work (no probe near the time a loop over a forged count would take).
 */
class ProbeFuzzTest {
  @TempDir
  Path dir;

  @Test
  void mutantsOfRealFilesGetAVerdictWithinTheBudget() throws Exception {
    List<byte[]> seeds = new ArrayList<>();
    int i = 0;
    for (Spec s : List.of(
        new Spec(Codec.H264, Layout.PLAIN, true, 2, 25),
        new Spec(Codec.H264, Layout.FASTSTART, false, 2, 25),
        new Spec(Codec.H264, Layout.FRAGMENTED, true, 2, 25),
        new Spec(Codec.MJPEG, Layout.FRAGMENTED, false, 2, 10))) {
      seeds.add(Files.readAllBytes(TestMedia.make(dir.resolve("seed" + i++ + ".mp4"), s)));
    }
    ProbeFuzzer.run(seeds, 100, 1, dir, MediaProbes.nativeMp4()); // warm-up
    ProbeFuzzer.Result r = ProbeFuzzer.run(seeds, 600, 20261122L, dir, MediaProbes.nativeMp4());
    assertThat(r.unexpected()).isEmpty();
    assertThat(r.refused()).as("mutants the probe refused").isPositive();
    assertThat(r.maxAllocatedBytes()).isLessThanOrEqualTo(16L * 1024 * 1024);
    assertThat(r.maxMillis()).isLessThan(500);
  }
}
