package io.heldar.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.heldar.core.model.MediaInfo;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.probe.ProbeException;
import io.heldar.core.probe.UnsupportedMediaException;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.ffmpeg.testing.TestMedia.Codec;
import io.heldar.ffmpeg.testing.TestMedia.Layout;
import io.heldar.ffmpeg.testing.TestMedia.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The native MP4 probe agrees with ffprobe on every kind of file ffmpeg makes here. */
class NativeMp4ProbeDifferentialTest {
  static final MediaProbe NATIVE = MediaProbes.nativeMp4();
  static final FfprobeMediaProbe FFPROBE = FfprobeMediaProbe.onPath();

  @TempDir
  Path dir;

  static Stream<Spec> specs() {
    List<Spec> all = new ArrayList<>();
    for (Codec codec : Codec.values()) {
      for (Layout layout : Layout.values()) {
        for (boolean audio : new boolean[] {false, true}) {
          all.add(new Spec(codec, layout, audio, 2, 25));
        }
      }
    }
    all.add(new Spec(Codec.H264, Layout.PLAIN, false, 1, 10));
    all.add(new Spec(Codec.H264, Layout.FASTSTART, true, 6.5, 30));
    all.add(new Spec(Codec.H264, Layout.FRAGMENTED, true, 7, 15));
    all.add(new Spec(Codec.HEVC, Layout.FRAGMENTED, false, 4.2, 30));
    all.add(new Spec(Codec.MJPEG, Layout.PLAIN, false, 3, 5));
    all.add(new Spec(Codec.H264, Layout.PLAIN, true, 0.5, 24));
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("specs")
  void agreesWithFfprobe(Spec spec) {
    Path f = TestMedia.make(dir.resolve("seg.mp4"), spec);
    MediaInfo expected = FFPROBE.probe(f);
    MediaInfo actual = NATIVE.probe(f);
    double frame = 1.0 / spec.fps();
    assertThat(actual.durationSeconds())
        .as("duration")
        .isCloseTo(expected.durationSeconds(), within(frame));
    assertThat(actual.videoCodec()).isEqualTo(expected.videoCodec());
    assertThat(actual.width()).isEqualTo(expected.width());
    assertThat(actual.height()).isEqualTo(expected.height());
    assertThat(actual.audioCodec()).isEqualTo(expected.audioCodec());
    assertThat(actual.container()).isEqualTo(expected.container());
    assertThat(actual.fps().getAsDouble())
        .as("fps")
        .isCloseTo(expected.fps().getAsDouble(), within(expected.fps().getAsDouble() * 0.05));
  }

  @ParameterizedTest
  @MethodSource("specs")
  void tellsAnIncompleteFileFromAComplete(Spec spec) throws Exception {
    Path whole = TestMedia.make(dir.resolve("whole.mp4"), spec);
    byte[] bytes = Files.readAllBytes(whole);
    double seconds = NATIVE.probe(whole).durationSeconds();
    for (double fraction : new double[] {0.1, 0.37, 0.5, 0.81, 0.97, 0.999}) {
      Path cut = Files.write(
          dir.resolve("cut.mp4"), java.util.Arrays.copyOf(bytes, (int) (bytes.length * fraction)));
      try {
        MediaInfo info = NATIVE.probe(cut);
        // Only a fragmented file cut exactly between fragments is a complete, shorter file.
        assertThat(spec.layout())
            .as("cut at %s read as complete", fraction)
            .isEqualTo(Layout.FRAGMENTED);
        assertThat(info.durationSeconds()).isLessThan(seconds);
      } catch (UnsupportedMediaException e) {
        throw new AssertionError(
            "a cut file must be reported incomplete, not unsupported: " + e.getMessage(), e);
      } catch (ProbeException e) {
        assertThat(e.getMessage()).contains("cut.mp4");
      }
    }
  }

  @Test
  void mutatedRealFilesOnlyEverFailWithAProbeException() throws Exception {
    List<byte[]> seeds = new ArrayList<>();
    for (Spec s : List.of(
        Spec.plain(),
        new Spec(Codec.H264, Layout.FASTSTART, true, 2, 25),
        new Spec(Codec.H264, Layout.FRAGMENTED, true, 2, 25),
        new Spec(Codec.HEVC, Layout.PLAIN, false, 2, 25),
        new Spec(Codec.MJPEG, Layout.FRAGMENTED, false, 1, 10))) {
      seeds.add(Files.readAllBytes(TestMedia.make(dir.resolve("seed.mp4"), s)));
    }
    Random random = new Random(20261121);
    Path f = dir.resolve("mutant.mp4");
    int ok = 0;
    int failed = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < 6000; i++) {
      byte[] b = seeds.get(i % seeds.size()).clone();
      int kind = random.nextInt(5);
      int mutations = 1 + random.nextInt(8);
      for (int m = 0; m < mutations; m++) {
        int at = random.nextInt(b.length);
        switch (kind) {
          case 0 -> b[at] = (byte) random.nextInt(256); // byte noise
          case 1 -> b[at] = (byte) (b[at] ^ (1 << random.nextInt(8))); // bit flip
          case 2 -> { // a huge or tiny size field where a box header may be
            int p = Math.min(at, b.length - 4);
            int v = random.nextBoolean() ? 0xffffffff : random.nextInt(16);
            b[p] = (byte) (v >>> 24);
            b[p + 1] = (byte) (v >>> 16);
            b[p + 2] = (byte) (v >>> 8);
            b[p + 3] = (byte) v;
          }
          case 3 -> b = java.util.Arrays.copyOf(b, Math.max(1, at)); // truncation
          default -> { // a 64-bit size claim
            int p = Math.min(at, b.length - 16);
            b[p] = 0;
            b[p + 1] = 0;
            b[p + 2] = 0;
            b[p + 3] = 1;
            for (int k = 8; k < 16; k++) {
              b[p + k] = (byte) random.nextInt(256);
            }
          }
        }
      }
      Files.write(f, b);
      try {
        NATIVE.probe(f);
        ok++;
      } catch (ProbeException e) {
        assertThat(e.file()).isEqualTo(f);
        assertThat(e.getMessage()).isNotBlank();
        failed++;
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(ok + failed).isEqualTo(6000);
    assertThat(failed).isGreaterThan(1000);
    assertThat(seconds)
        .as("6000 hostile files must not take long (no hang, no huge reads)")
        .isLessThan(60);
  }

  @Test
  void randomBytesAndOtherContainersAreUnsupportedAndAutoFallsBack() throws Exception {
    byte[] noise = new byte[4096];
    new Random(5).nextBytes(noise);
    Path random = Files.write(dir.resolve("noise.bin"), noise);
    assertThatThrownBy(() -> NATIVE.probe(random)).isInstanceOf(UnsupportedMediaException.class);
    Path mkv = dir.resolve("seg.mkv");
    var r = io.heldar.ffmpeg.internal.ProcessRunner.run(
        List.of(
            TestMedia.ffmpeg().toString(),
            "-nostdin",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=320x240:rate=25",
            "-t",
            "1",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            mkv.toString()),
        java.time.Duration.ofSeconds(60),
        1 << 16,
        4096);
    assertThat(r.exitCode()).as(r.stderrTail()).isZero();
    assertThatThrownBy(() -> NATIVE.probe(mkv)).isInstanceOf(UnsupportedMediaException.class);
    MediaProbe auto = MediaProbes.auto(FFPROBE);
    assertThat(auto.probe(mkv).container()).contains("matroska");
    Path mp4 = TestMedia.make(dir.resolve("seg.mp4"), Spec.plain());
    int[] fallbacks = {0};
    MediaProbe counting = MediaProbes.auto(file -> {
      fallbacks[0]++;
      return FFPROBE.probe(file);
    });
    assertThat(counting.probe(mp4).videoCodec()).isEqualTo("h264");
    assertThat(fallbacks[0]).as("an MP4 is read natively").isZero();
    Path cut = TestMedia.truncate(TestMedia.make(dir.resolve("cut.mp4"), Spec.plain()), 0.5);
    assertThatThrownBy(() -> counting.probe(cut))
        .isInstanceOf(ProbeException.class)
        .hasMessageContaining("incomplete");
    assertThat(fallbacks[0]).as("an incomplete MP4 is not passed to ffprobe").isZero();
  }

  @Test
  void aLargeSizeMdatReadsTheSame() throws Exception {
    // ffmpeg reserves an 8-byte 'free' box before 'mdat' so it can turn the mdat header into the
    // 16-byte large-size form in place; do exactly that: no offset moves, both probes must agree.
    Path f = TestMedia.make(dir.resolve("large.mp4"), Spec.plain());
    byte[] b = Files.readAllBytes(f);
    int at = -1;
    for (int i = 0; i + 16 <= b.length; i++) {
      if (b[i + 4] == 'f'
          && b[i + 5] == 'r'
          && b[i + 6] == 'e'
          && b[i + 7] == 'e'
          && b[i + 3] == 8
          && b[i + 12] == 'm'
          && b[i + 13] == 'd') {
        at = i;
        break;
      }
    }
    assertThat(at).as("free box before mdat").isGreaterThan(0);
    long mdatSize = ((b[at + 8] & 0xffL) << 24)
        | ((b[at + 9] & 0xffL) << 16)
        | ((b[at + 10] & 0xffL) << 8)
        | (b[at + 11] & 0xffL);
    long large = mdatSize + 8;
    byte[] header = {
      0,
      0,
      0,
      1,
      'm',
      'd',
      'a',
      't',
      0,
      0,
      0,
      0,
      (byte) (large >>> 24),
      (byte) (large >>> 16),
      (byte) (large >>> 8),
      (byte) large
    };
    System.arraycopy(header, 0, b, at, 16);
    Files.write(f, b);
    MediaInfo expected = FFPROBE.probe(f);
    MediaInfo actual = NATIVE.probe(f);
    assertThat(actual.durationSeconds()).isCloseTo(expected.durationSeconds(), within(0.04));
    assertThat(actual.videoCodec()).isEqualTo("h264");
    assertThat(actual.width()).isEqualTo(expected.width());
  }
}
