package io.heldar.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.heldar.core.model.MediaInfo;
import io.heldar.core.probe.ProbeException;
import io.heldar.core.probe.ProbeUnavailableException;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.ffmpeg.testing.TestMedia.Codec;
import io.heldar.ffmpeg.testing.TestMedia.Layout;
import io.heldar.ffmpeg.testing.TestMedia.Spec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FfprobeMediaProbeTest {
  @TempDir
  Path dir;

  static final FfprobeMediaProbe PROBE = FfprobeMediaProbe.onPath();

  static Stream<Arguments> realFiles() {
    return Stream.of(
        Arguments.of(new Spec(Codec.H264, Layout.PLAIN, false, 2, 25), "h264", 25.0, false),
        Arguments.of(new Spec(Codec.H264, Layout.FASTSTART, false, 3, 30), "h264", 30.0, false),
        Arguments.of(new Spec(Codec.H264, Layout.FRAGMENTED, false, 2, 25), "h264", 25.0, false),
        Arguments.of(new Spec(Codec.H264, Layout.PLAIN, true, 2, 25), "h264", 25.0, true),
        Arguments.of(new Spec(Codec.HEVC, Layout.PLAIN, false, 2, 25), "hevc", 25.0, false),
        Arguments.of(new Spec(Codec.MJPEG, Layout.FASTSTART, false, 1, 10), "mjpeg", 10.0, false));
  }

  @ParameterizedTest
  @MethodSource("realFiles")
  void probesRealFilesMadeByFfmpeg(Spec spec, String codec, double fps, boolean audio) {
    Path f = TestMedia.make(dir.resolve("seg.mp4"), spec);
    MediaInfo info = PROBE.probe(f);
    assertThat(info.videoCodec()).isEqualTo(codec);
    assertThat(info.width()).isEqualTo(320);
    assertThat(info.height()).isEqualTo(240);
    assertThat(info.durationSeconds()).isCloseTo(spec.seconds(), within(1.0 / spec.fps() + 0.03));
    assertThat(info.fps().getAsDouble()).isCloseTo(fps, within(0.01));
    assertThat(info.bitRateBps().getAsLong()).isPositive();
    assertThat(info.container()).contains("mp4");
    assertThat(info.audioCodec().isPresent()).isEqualTo(audio);
    if (audio) {
      assertThat(info.audioCodec()).contains("aac");
    }
  }

  @Test
  void aFileCutBeforeItsIndexIsUnreadable() {
    Path f = TestMedia.truncate(TestMedia.make(dir.resolve("cut.mp4"), Spec.plain()), 0.5);
    assertThatThrownBy(() -> PROBE.probe(f)).isInstanceOf(ProbeException.class).satisfies(e -> {
      ProbeException pe = (ProbeException) e;
      assertThat(pe.file()).isEqualTo(f.toAbsolutePath());
      assertThat(pe.exitCode()).isPresent();
      assertThat(pe.stderrTail().orElse("")).contains("moov atom not found");
    });
  }

  @Test
  void aFaststartFileCutShortIsReportedTruncatedNotIndexedWithItsFullDuration() {
    Path f = TestMedia.truncate(
        TestMedia.make(
            dir.resolve("cut.mp4"), new Spec(Codec.H264, Layout.FASTSTART, false, 4, 25)),
        0.6);
    assertThatThrownBy(() -> PROBE.probe(f))
        .isInstanceOf(ProbeException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void randomBytesAndEmptyFilesAreUnreadable() throws Exception {
    byte[] noise = new byte[100_000];
    new Random(42).nextBytes(noise);
    Path random = Files.write(dir.resolve("noise.mp4"), noise);
    Path empty = Files.createFile(dir.resolve("empty.mp4"));
    assertThatThrownBy(() -> PROBE.probe(random))
        .isInstanceOf(ProbeException.class)
        .hasMessageContaining("noise.mp4");
    assertThatThrownBy(() -> PROBE.probe(empty))
        .isInstanceOf(ProbeException.class)
        .hasMessageContaining("empty file");
    assertThatThrownBy(() -> PROBE.probe(dir.resolve("missing.mp4")))
        .isInstanceOf(ProbeException.class)
        .hasMessageContaining("not a regular file");
  }

  @Test
  void aHangingFfprobeIsKilledWithItsChildrenWithinTheTimeout() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    Path fake = script(
        "fake-ffprobe",
        "#!/bin/sh\n"
            + "if [ \"$1\" = \"-version\" ]; then echo 'ffprobe version fake'; exit 0; fi\n"
            + "sleep 3600 &\n"
            + "echo $! > '" + pidFile + "'\n"
            + "wait\n");
    FfprobeMediaProbe probe =
        FfprobeMediaProbe.builder().binary(fake).timeout(Duration.ofMillis(700)).build();
    Path f = TestMedia.make(dir.resolve("seg.mp4"), Spec.plain());
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> probe.probe(f))
        .isInstanceOf(ProbeException.class)
        .satisfies(e -> assertThat(((ProbeException) e).timedOut()).isTrue())
        .hasMessageContaining("timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
    long child = Long.parseLong(Files.readString(pidFile).trim());
    // ProcessHandle.onExit waits for the process itself, no polling
    ProcessHandle.of(child)
        .ifPresent(h -> h.onExit().orTimeout(5, TimeUnit.SECONDS).join());
    assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false))
        .as("child sleep killed")
        .isFalse();
  }

  /**
   * A hostile ffprobe that detaches its children — a new session through setsid, a double fork, the
   * grandchildren re-parented to init and invisible to a process-tree walk — and then hangs. Once
   * the probe has timed out, none of them may be left running; and a run that exits at once after
   * detaching a child leaves nothing behind either.
   */
  @Test
  void aDoubleForkingFfprobeInANewSessionLeavesNoProcessBehind() throws Exception {
    String mark = Long.toString(4_000_000 + (System.nanoTime() & 0xffff));
    Path pids = dir.resolve("pids");
    Path fake = script(
        "detaching-ffprobe",
        "#!/bin/sh\n"
            + "if [ \"$1\" = \"-version\" ]; then echo 'ffprobe version fake'; exit 0; fi\n"
            + "setsid sh -c 'sleep " + mark + "1 & echo $! >> \"" + pids + "\"; (sleep " + mark
            + "2 & echo $! >> \"" + pids + "\") ; wait' &\n"
            + "if [ \"$HANG\" = \"no\" ]; then exit 0; fi\n"
            + "exec sleep " + mark + "3\n");
    FfprobeMediaProbe probe = FfprobeMediaProbe.builder()
        .binary(fake)
        .timeout(Duration.ofMillis(1500))
        .build();
    Path f = TestMedia.make(dir.resolve("seg.mp4"), Spec.plain());
    assertThatThrownBy(() -> probe.probe(f))
        .isInstanceOf(ProbeException.class)
        .satisfies(e -> assertThat(((ProbeException) e).timedOut()).isTrue());
    assertThat(Files.readAllLines(pids))
        .as("the fake really detached two sleepers")
        .hasSize(2);
    awaitNoneRunning(mark);

    // Without a timeout: the program exits at once and leaves a detached child.
    Files.delete(pids);
    ExternalProcess.Result r = runWithEnv(fake, mark);
    assertThat(r.timedOut()).isFalse();
    awaitNoneRunning(mark);
  }

  private static ExternalProcess.Result runWithEnv(Path fake, String mark) throws Exception {
    // HANG=no is read by the fake; the runner adds its own tag to the same environment.
    Path wrapper = fake.resolveSibling("no-hang-" + mark);
    Files.writeString(wrapper, "#!/bin/sh\nHANG=no exec '" + fake + "' \"$@\"\n");
    Files.setPosixFilePermissions(
        wrapper, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    return io.heldar.ffmpeg.internal.ProcessRunner.run(
        java.util.List.of(wrapper.toString(), "x"), Duration.ofSeconds(10), 1024, 1024);
  }

  private static void awaitNoneRunning(String mark) {
    // Each process still running is waited for by ProcessHandle.onExit, 5 s in all.
    java.util.concurrent.CompletableFuture.allOf(ProcessHandle.allProcesses()
            .filter(ProcessHandle::isAlive)
            .filter(h -> h.info().commandLine().orElse("").contains(mark))
            .map(ProcessHandle::onExit)
            .toArray(java.util.concurrent.CompletableFuture[]::new))
        .orTimeout(5, TimeUnit.SECONDS)
        .exceptionally(timedOut -> null)
        .join();
    assertThat(ProcessHandle.allProcesses()
            .filter(ProcessHandle::isAlive)
            .map(h -> h.info().commandLine().orElse(""))
            .filter(c -> c.contains(mark))
            .toList())
        .as("processes left behind")
        .isEmpty();
  }

  @Test
  void anFfprobeThatCannotRunIsUnavailableNotAFileProblem() throws Exception {
    Path broken = script(
        "broken-ffprobe",
        "#!/bin/sh\necho 'error while loading shared libraries: libpulse.so.0' >&2\nexit 127\n");
    FfprobeMediaProbe probe = FfprobeMediaProbe.builder().binary(broken).build();
    Path f = TestMedia.make(dir.resolve("seg.mp4"), Spec.plain());
    assertThatThrownBy(() -> probe.probe(f))
        .isInstanceOf(ProbeUnavailableException.class)
        .hasMessageContaining("libpulse");
  }

  @Test
  void oddValuesAreAbsentNotNumberFormatExceptions() {
    Path f = dir.resolve("x.mp4");
    String json =
        "{\"streams\":[{\"codec_type\":\"video\",\"codec_name\":\"h264\",\"width\":640,\"height\":480,"
            + "\"avg_frame_rate\":\"0/0\",\"r_frame_rate\":\"N/A\",\"duration\":\"N/A\",\"bit_rate\":\"N/A\"}],"
            + "\"format\":{\"duration\":\"5.000000\",\"bit_rate\":\"N/A\",\"format_name\":\"mov,mp4,m4a,3gp,3g2,mj2\"}}";
    MediaInfo info = FfprobeMediaProbe.parse(f, 1000, json.getBytes(StandardCharsets.UTF_8));
    assertThat(info.fps()).isEmpty();
    assertThat(info.bitRateBps()).hasValue(1600);
    assertThat(info.durationSeconds()).isEqualTo(5.0);
    for (String bogus :
        new String[] {"\"N/A\"", "\"nan\"", "\"inf\"", "\"-1\"", "\"0.000000\"", "null"}) {
      String j =
          "{\"streams\":[{\"codec_type\":\"video\",\"codec_name\":\"h264\",\"width\":640,\"height\":480,\"duration\":"
              + bogus + "}]," + "\"format\":{\"duration\":" + bogus + "}}";
      assertThatThrownBy(() -> FfprobeMediaProbe.parse(f, 1000, j.getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(ProbeException.class)
          .hasMessageContaining("no valid duration");
    }
    assertThatThrownBy(() -> FfprobeMediaProbe.parse(
            f,
            1000,
            "{\"streams\":[{\"codec_type\":\"audio\"}],\"format\":{}}"
                .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ProbeException.class)
        .hasMessageContaining("no video stream");
    assertThatThrownBy(
            () -> FfprobeMediaProbe.parse(f, 1000, "not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ProbeException.class)
        .hasMessageContaining("unparseable");
  }

  @Test
  void atMostMaxConcurrentFfprobesRunAtOnce() throws Exception {
    Path running = java.nio.file.Files.createDirectories(dir.resolve("running"));
    Path fake = script(
        "slow-ffprobe",
        "#!/bin/sh\n"
            + "if [ \"$1\" = \"-version\" ]; then echo 'ffprobe version fake'; exit 0; fi\n"
            + "touch '" + running + "'/$$\n"
            + "sleep 0.3\n"
            + "rm -f '" + running + "'/$$\n"
            + "echo '{\"streams\":[{\"codec_type\":\"video\",\"codec_name\":\"h264\",\"width\":2,\"height\":2}],\"format\":{\"duration\":\"1.0\"}}'\n");
    FfprobeMediaProbe probe =
        FfprobeMediaProbe.builder().binary(fake).maxConcurrent(2).build();
    Path f = TestMedia.make(dir.resolve("seg.mp4"), Spec.plain());
    java.util.concurrent.atomic.AtomicInteger max = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread watcher = new Thread(() -> {
      while (!done.get()) {
        try (Stream<Path> files = java.nio.file.Files.list(running)) {
          max.accumulateAndGet((int) files.count(), Math::max);
        } catch (java.io.IOException e) {
          // a file vanished while listing; look again
        }
      }
    });
    watcher.start();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<MediaInfo>> all = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        all.add(pool.submit(() -> probe.probe(f)));
      }
      for (var fut : all) {
        assertThat(fut.get().durationSeconds()).isEqualTo(1.0);
      }
    } finally {
      done.set(true);
      watcher.join();
      pool.shutdown();
    }
    assertThat(max.get()).isBetween(1, 2);
  }

  private Path script(String name, String body) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, body);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }
}
