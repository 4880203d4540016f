package io.heldar.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.heldar.core.model.MediaInfo;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.probe.ProbeException;
import io.heldar.ffmpeg.testing.Mp4Corpus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native MP4 probe against ffprobe over MP4 files from several muxers ({@link Mp4Corpus}):
 * same codec, size and audio codec, duration within one frame — or a difference named here with
 * the reason ffprobe is the one that is wrong.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Mp4CorpusDifferentialTest {
  static final MediaProbe NATIVE = MediaProbes.nativeMp4();
  static final FfprobeMediaProbe FFPROBE = FfprobeMediaProbe.onPath();

  @TempDir
  static Path dir;

  List<Mp4Corpus.Entry> corpus;

  /** Where ffprobe is wrong: the reason, and what the native probe must say instead. */
  record Known(String why, BiConsumer<Outcome, Outcome> check) {}

  /** A probe's answer: the media, or the failure. */
  record Outcome(MediaInfo media, ProbeException failure) {
    static Outcome of(MediaProbe probe, Path file) {
      try {
        return new Outcome(probe.probe(file), null);
      } catch (ProbeException e) {
        return new Outcome(null, e);
      }
    }

    @Override
    public String toString() {
      return media != null
          ? String.format(
              "%.6f s %s %dx%d audio=%s fps=%s",
              media.durationSeconds(),
              media.videoCodec(),
              media.width(),
              media.height(),
              media.audioCodec().orElse("-"),
              media.fps())
          : failure.getClass().getSimpleName() + ": " + failure.detail();
    }
  }

  /** The native probe reads the file as about two seconds of footage (the corpus files are 2 s). */
  static BiConsumer<Outcome, Outcome> nativeReadsSeconds(double seconds) {
    return (ffprobe, nativeProbe) -> {
      assertThat(nativeProbe.failure()).as("native").isNull();
      assertThat(nativeProbe.media().durationSeconds()).isCloseTo(seconds, within(0.04));
      assertThat(nativeProbe.media().videoCodec()).isEqualTo("h264");
      assertThat(nativeProbe.media().fps().getAsDouble()).isCloseTo(25, within(0.5));
    };
  }

  static final Map<String, Known> KNOWN = Map.ofEntries(
      Map.entry(
          "edit-stsc-past-chunks.mp4",
          new Known(
              "a sample-to-chunk run past the last chunk is malformed (ffprobe: contradictory STSC"
                  + " and STCO); the native probe names the run and the chunk count",
              (ffprobe, nativeProbe) -> assertThat(nativeProbe.failure())
                  .hasMessageContaining("malformed MP4")
                  .hasMessageContaining("stsc")
                  .hasMessageContaining("past")
                  .satisfies(f -> assertThat(f.detail()).contains("chunk")))),
      Map.entry(
          "edit-elst-zero-empty-edit.mp4",
          new Known(
              "an edit list of one empty edit of duration 0 presents nothing, taken literally: ffprobe"
                  + " reports no duration; the 50 samples are all there and last 2 s (the native probe"
                  + " said 'no track has samples' before)",
              (ffprobe, nativeProbe) -> {
                assertThat(ffprobe.failure()).hasMessageContaining("no valid duration");
                nativeReadsSeconds(2.0).accept(ffprobe, nativeProbe);
              })),
      Map.entry(
          "edit-cmov.mp4",
          new Known(
              "the native probe does not inflate a compressed movie header: unsupported, so the auto"
                  + " probe hands it to ffprobe, which reads it",
              (ffprobe, nativeProbe) -> {
                assertThat(nativeProbe.failure())
                    .isInstanceOf(io.heldar.core.probe.UnsupportedMediaException.class)
                    .hasMessageContaining("cmov");
                assertThat(ffprobe.failure()).isNull();
                assertThat(ffprobe.media().durationSeconds()).isCloseTo(2.0, within(0.05));
              })),
      Map.entry(
          "edit-all-ones-32.mp4",
          new Known(
              "ffprobe takes the all-ones ('unknown') header durations literally: stream durations 0, no format duration;"
                  + " the samples are all there and last 2 s",
              (ffprobe, nativeProbe) -> {
                assertThat(ffprobe.failure()).hasMessageContaining("no valid duration");
                nativeReadsSeconds(2.0).accept(ffprobe, nativeProbe);
              })),
      Map.entry(
          "edit-all-ones-64.mp4",
          new Known(
              "the same with 64-bit all-ones durations in version-1 headers",
              (ffprobe, nativeProbe) -> {
                assertThat(ffprobe.failure()).hasMessageContaining("no valid duration");
                nativeReadsSeconds(2.0).accept(ffprobe, nativeProbe);
              })),
      Map.entry(
          "edit-tfdt-offset.mp4",
          new Known(
              "ffprobe measures each stream from time zero, not from its first fragment's decode time: a 2 s segment"
                  + " cut 5 h into a live stream reads as 18002 s (and our ffprobe adapter then calls it truncated)",
              (ffprobe, nativeProbe) -> {
                assertThat(ffprobe.failure()).isNotNull();
                nativeReadsSeconds(2.08).accept(ffprobe, nativeProbe);
              })),
      Map.entry(
          "gpac-dash-ondemand.mp4",
          new Known(
              "GPAC 1.0's sidx gives its last reference (one 278-byte fragment with one audio frame) 1.08 s and ffprobe"
                  + " takes the sidx total, 3.08 s; the samples end at 2.03 s",
              (ffprobe, nativeProbe) -> {
                assertThat(ffprobe.media().durationSeconds()).isGreaterThan(3);
                nativeReadsSeconds(2.0).accept(ffprobe, nativeProbe);
              })));

  /** Builds the corpus; {@code -Dheldar.corpus.dir=DIR} keeps it there to look at. */
  @BeforeAll
  void build() throws java.io.IOException {
    String keep = System.getProperty("heldar.corpus.dir");
    Path target = keep == null ? dir : java.nio.file.Files.createDirectories(Path.of(keep));
    corpus = Mp4Corpus.build(target);
  }

  List<Mp4Corpus.Entry> corpus() throws java.io.IOException {
    if (corpus == null) {
      build();
    }
    return corpus;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void agreesWithFfprobeOrTheDifferenceIsNamed(Mp4Corpus.Entry entry) {
    Outcome ffprobe = Outcome.of(FFPROBE, entry.file());
    Outcome nativeProbe = Outcome.of(NATIVE, entry.file());
    System.out.printf(
        "%-34s ffprobe: %s%n%-34s native:  %s%n", entry.name(), ffprobe, "", nativeProbe);
    Known known = KNOWN.get(entry.name());
    if (known != null) {
      known.check().accept(ffprobe, nativeProbe);
      return;
    }
    if (ffprobe.failure() != null) {
      assertThat(nativeProbe.failure())
          .as("%s: ffprobe fails (%s), so must the native probe", entry, ffprobe)
          .isNotNull();
      return;
    }
    assertThat(nativeProbe.failure()).as("%s (%s)", entry, entry.muxer()).isNull();
    MediaInfo e = ffprobe.media();
    MediaInfo a = nativeProbe.media();
    double frame = 1 / e.fps().orElse(25);
    assertThat(a.durationSeconds())
        .as("%s duration", entry)
        .isCloseTo(e.durationSeconds(), within(frame));
    assertThat(a.videoCodec()).isEqualTo(e.videoCodec());
    assertThat(a.width()).isEqualTo(e.width());
    assertThat(a.height()).isEqualTo(e.height());
    assertThat(a.audioCodec()).isEqualTo(e.audioCodec());
    assertThat(a.fps().getAsDouble())
        .as("fps")
        .isCloseTo(e.fps().getAsDouble(), within(e.fps().getAsDouble() * 0.05));
  }

  /** A last mdat may claim a few bytes too many; a sample past the end still makes the file incomplete. */
  @org.junit.jupiter.api.Test
  void anMdatThatClaimsTooMuchIsIncompleteOnlyWhenASampleIsMissing() throws Exception {
    Path tooLong = corpus().stream()
        .filter(e -> e.name().equals("edit-mdat-too-long.mp4"))
        .findFirst()
        .orElseThrow()
        .file();
    assertThat(NATIVE.probe(tooLong).durationSeconds()).isCloseTo(2.0, within(0.04));
    byte[] bytes = java.nio.file.Files.readAllBytes(tooLong);
    Path cut = java.nio.file.Files.write(
        dir.resolve("mdat-too-long-cut.mp4"), java.util.Arrays.copyOf(bytes, bytes.length - 3));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NATIVE.probe(cut))
        .isInstanceOf(io.heldar.core.probe.IncompleteMediaException.class)
        .hasMessageContaining("incomplete");
  }

  /**
   * Verdicts keep their types through {@code MediaProbes.auto}: incomplete stays incomplete (not
   * passed to ffprobe), unsupported goes to ffprobe, whose verdict is the answer.
   */
  @org.junit.jupiter.api.Test
  void autoKeepsTheVerdictTypes() throws Exception {
    List<Path> fallbacks = new java.util.concurrent.CopyOnWriteArrayList<>();
    MediaProbe auto = MediaProbes.auto(file -> {
      fallbacks.add(file.getFileName());
      return FFPROBE.probe(file);
    });
    Path faststart = corpus().stream()
        .filter(e -> e.name().equals("ff-faststart.mp4"))
        .findFirst()
        .orElseThrow()
        .file();
    byte[] bytes = java.nio.file.Files.readAllBytes(faststart);
    Path cut = java.nio.file.Files.write(
        dir.resolve("faststart-cut.mp4"), java.util.Arrays.copyOf(bytes, bytes.length * 9 / 10));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> auto.probe(cut))
        .isInstanceOf(io.heldar.core.probe.IncompleteMediaException.class);
    assertThat(fallbacks).isEmpty();
    Path cover = corpus().stream()
        .filter(e -> e.name().equals("gpac-cover-art.m4a"))
        .findFirst()
        .orElseThrow()
        .file();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NATIVE.probe(cover))
        .isInstanceOf(io.heldar.core.probe.UnsupportedMediaException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> auto.probe(cover))
        .isInstanceOf(ProbeException.class)
        .hasMessageContaining("no video stream");
    assertThat(fallbacks).containsExactly(cover.getFileName());
  }
}
