package io.heldar.ffmpeg.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.heldar.core.clip.ClipFormat;
import io.heldar.core.clip.ClipGap;
import io.heldar.core.clip.ClipGapException;
import io.heldar.core.clip.ClipManifest;
import io.heldar.core.clip.ClipReport;
import io.heldar.core.clip.ClipRequest;
import io.heldar.core.clip.Clips;
import io.heldar.core.clip.GapPolicy;
import io.heldar.core.clip.NoFootageException;
import io.heldar.core.testing.MemoryStore;
import io.heldar.ffmpeg.FfmpegSegmentRemuxer;
import io.heldar.ffmpeg.testing.ClipFootage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Clips cut from real ffmpeg recordings (H.264 with B-frames and AAC, H.265), checked by the real
 * ffprobe ({@code -count_frames}) and ffmpeg (decoding to null): frame counts equal the samples the
 * report says it took, durations match the delivered footage, and every clip decodes cleanly.
 */
class ClipExportTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final double FRAME = 1.0 / 25;

  @TempDir
  Path dir;

  Path root;
  MemoryStore store;
  Clips clips;

  @BeforeEach
  void setUp() {
    root = dir.resolve("rec");
    store = new MemoryStore(Clock.fixed(T0, ZoneOffset.UTC));
    clips = new Clips(store, root, Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC));
  }

  /** Segment {@code k} covers [T0 + 2k, T0 + 2k + 2) seconds. */
  private void record(int k, String size, boolean audio, List<String> video, String... muxer) {
    String path = "cam/" + String.format("%04d", k) + ".mp4";
    ClipFootage.segment(
        ClipFootage.parents(root.resolve(path)), 2.0 * k, 2.0, size, audio, video, muxer);
    store.addSpan("cam", path, T0.plusSeconds(2L * k), T0.plusSeconds(2L * k + 2));
  }

  private void recordWithGap() {
    for (int k : new int[] {0, 1, 2, 5, 6}) {
      record(k, "320x240", true, ClipFootage.H264);
    }
  }

  private static ClipRequest request(double from, double to) {
    return ClipRequest.of(
        "cam", T0.plusMillis(Math.round(from * 1000)), T0.plusMillis(Math.round(to * 1000)));
  }

  @ParameterizedTest
  @EnumSource(ClipFormat.class)
  void aClipAcrossAGapSkipsItAndHoldsEveryFrameOnEitherSide(ClipFormat format) {
    recordWithGap();
    Path out = dir.resolve("clip.mp4");
    ClipReport report = clips.write(request(1.0, 13.0).withFormat(format), out);

    // From the sync sample at 1 s to the gap at 6 s, then 10 s to 13 s: 5 s + 3 s at 25 fps.
    assertThat(report.parts()).hasSize(1);
    assertThat(report.frames()).isEqualTo(200);
    assertThat(report.parts().get(0).start()).isEqualTo(T0.plusSeconds(1));
    assertThat(report.gaps()).singleElement().satisfies(g -> {
      assertThat(g.start()).isEqualTo(T0.plusSeconds(6));
      assertThat(g.end()).isEqualTo(T0.plusSeconds(10));
      assertThat(g.cause()).isEqualTo(ClipGap.Cause.MISSING);
    });
    assertThat(report.sources()).hasSize(5);
    ClipFootage.Probe p = ClipFootage.probe(out);
    assertThat(p.videoFrames()).isEqualTo(200);
    assertThat(p.codec()).isEqualTo("h264");
    assertThat(p.audio()).isTrue();
    assertThat(p.formatDuration()).isCloseTo(8.0, within(FRAME * 1.5));
    assertThat(ClipFootage.decodeErrors(out)).isEmpty();
    assertThat(report.parts().get(0).sha256()).contains(sha256(out));
    assertThat(report.parts().get(0).bytes()).contains(size(out));
  }

  @Test
  void splitMakesOnePartPerRunOfFootage() {
    recordWithGap();
    Path out = dir.resolve("split.mp4");
    ClipReport report = clips.write(request(0, 14).withGaps(GapPolicy.SPLIT), out);

    assertThat(report.parts()).hasSize(2);
    assertThat(report.parts().get(0).file()).contains("split.mp4");
    assertThat(report.parts().get(1).file()).contains("split-2.mp4");
    assertThat(ClipFootage.probe(out).videoFrames()).isEqualTo(150);
    assertThat(ClipFootage.probe(dir.resolve("split-2.mp4")).videoFrames()).isEqualTo(100);
    assertThat(ClipFootage.decodeErrors(dir.resolve("split-2.mp4"))).isEmpty();
    assertThat(report.sources()).extracting(s -> s.part()).containsExactly(1, 1, 1, 2, 2);
  }

  @Test
  void failRefusesARangeWithAGapAndWritesNothing() throws IOException {
    recordWithGap();
    Path out = dir.resolve("fail.mp4");
    assertThatThrownBy(() -> clips.write(request(0, 14).withGaps(GapPolicy.FAIL), out))
        .isInstanceOf(ClipGapException.class)
        .hasMessageContaining("6")
        .satisfies(e -> assertThat(((ClipGapException) e).gaps()).hasSize(1));
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("rec");
    }
    // Without the gap in the range, FAIL delivers.
    assertThat(clips.write(request(0, 6).withGaps(GapPolicy.FAIL), out).frames())
        .isEqualTo(150);
  }

  @Test
  void aResolutionChangeStartsANewPart() {
    record(0, "320x240", false, ClipFootage.H264);
    record(1, "320x240", false, ClipFootage.H264);
    record(2, "640x360", false, ClipFootage.H264);
    Path out = dir.resolve("res.mp4");
    ClipReport report = clips.write(request(0, 6), out);

    assertThat(report.parts()).hasSize(2);
    assertThat(report.gaps()).isEmpty();
    assertThat(report.parts().get(1).width()).isEqualTo(640);
    ClipFootage.Probe second = ClipFootage.probe(dir.resolve("res-2.mp4"));
    assertThat(second.width()).isEqualTo(640);
    assertThat(second.videoFrames()).isEqualTo(50);
    assertThat(ClipFootage.probe(out).videoFrames()).isEqualTo(100);
  }

  @Test
  void hevcIsCopiedToo() {
    record(0, "320x240", false, ClipFootage.HEVC);
    record(1, "320x240", false, ClipFootage.HEVC);
    Path out = dir.resolve("hevc.mp4");
    ClipReport report = clips.write(request(0.5, 4).withFormat(ClipFormat.FRAGMENTED_MP4), out);

    ClipFootage.Probe p = ClipFootage.probe(out);
    assertThat(p.codec()).isEqualTo("hevc");
    assertThat(p.videoFrames()).isEqualTo(report.frames()).isEqualTo(100);
    assertThat(ClipFootage.decodeErrors(out)).isEmpty();
  }

  @Test
  void fragmentedRecordingsAreReadAsWellAsProgressiveOnes() {
    record(
        0,
        "320x240",
        true,
        ClipFootage.H264,
        "-movflags",
        "frag_keyframe+empty_moov+default_base_moof");
    record(1, "320x240", true, ClipFootage.H264);
    Path out = dir.resolve("mixed.mp4");
    ClipReport report = clips.write(request(0, 4), out);

    assertThat(report.parts()).hasSize(1);
    assertThat(ClipFootage.probe(out).videoFrames()).isEqualTo(100);
    assertThat(ClipFootage.decodeErrors(out)).isEmpty();
  }

  @Test
  void aFileThatVanishedIsALostGapAndACutOffOneAnUnreadableGap() throws IOException {
    for (int k = 0; k < 4; k++) {
      record(k, "320x240", true, ClipFootage.H264);
    }
    Files.delete(root.resolve("cam/0001.mp4"));
    Path cut = root.resolve("cam/0002.mp4");
    byte[] all = Files.readAllBytes(cut);
    Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
    Path out = dir.resolve("faults.mp4");
    ClipReport report = clips.write(request(0, 8), out);

    assertThat(report.gaps())
        .extracting(ClipGap::cause)
        .containsExactly(ClipGap.Cause.LOST, ClipGap.Cause.UNREADABLE);
    assertThat(report.gaps().get(1).detail()).contains("cam/0002.mp4");
    assertThat(ClipFootage.probe(out).videoFrames()).isEqualTo(100);
    assertThat(ClipFootage.decodeErrors(out)).isEmpty();
  }

  @Test
  void aSegmentWhoseFootageWasAlreadyTakenIsListedAsLeftOut() throws IOException {
    record(0, "320x240", false, ClipFootage.H264);
    record(1, "320x240", false, ClipFootage.H264);
    // A second recorder's copy of segment 1, indexed over the same two seconds.
    Files.copy(root.resolve("cam/0001.mp4"), root.resolve("cam/copy.mp4"));
    store.addSpan("cam", "cam/copy.mp4", T0.plusSeconds(2), T0.plusSeconds(4));
    ClipReport report = clips.write(request(0, 4), dir.resolve("dup.mp4"));

    assertThat(report.frames()).isEqualTo(100);
    assertThat(report.sources()).hasSize(2);
    assertThat(report.leftOut()).singleElement().satisfies(l -> {
      assertThat(l.path()).isIn("cam/0001.mp4", "cam/copy.mp4");
      assertThat(l.reason()).contains("already taken");
    });
    assertThat(ClipManifest.of(report).json())
        .contains("\"left_out\"", report.leftOut().get(0).path());
  }

  @Test
  void aRangeWithoutFootageIsAClearError() {
    recordWithGap();
    assertThatThrownBy(() -> clips.write(request(6.2, 9.8), dir.resolve("none.mp4")))
        .isInstanceOf(NoFootageException.class)
        .hasMessageContaining("no footage");
    assertThat(dir.resolve("none.mp4")).doesNotExist();
  }

  @ParameterizedTest
  @EnumSource(ClipFormat.class)
  void aStreamedPartIsTheSameBytesAsTheFileAndAsMeasured(ClipFormat format) throws IOException {
    recordWithGap();
    ClipRequest r = request(0, 14).withGaps(GapPolicy.SPLIT).withFormat(format);
    ClipReport written = clips.write(r, dir.resolve("w.mp4"));
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    ClipReport streamed = clips.stream(r, 2, second);
    ClipReport measured = clips.measure(r);

    assertThat(second.toByteArray()).isEqualTo(Files.readAllBytes(dir.resolve("w-2.mp4")));
    assertThat(streamed.parts()).hasSize(2);
    assertThat(streamed.parts().get(0).sha256()).isEmpty();
    assertThat(measured.parts())
        .extracting(p -> p.sha256().orElseThrow())
        .containsExactlyElementsOf(
            written.parts().stream().map(p -> p.sha256().orElseThrow()).toList());
  }

  /** MP4Box-made files (committed; remade by mp4box/remake.sh): fragments, edit lists, delays. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "gpac-frag.mp4",
        "gpac-raw-import.mp4",
        "gpac-noedit.mp4",
        "gpac-audio-delay.mp4",
        "gpac-track-delay.mp4"
      })
  void mp4boxFilesAreCopiedFrameForFrame(String fixture) throws IOException {
    for (int k = 0; k < 2; k++) {
      String path = "cam/" + k + "-" + fixture;
      try (var in = getClass().getResourceAsStream("/io/heldar/ffmpeg/mp4box/" + fixture)) {
        Files.copy(in, ClipFootage.parents(root.resolve(path)));
      }
      store.addSpan("cam", path, T0.plusSeconds(2L * k), T0.plusSeconds(2L * k + 2));
    }
    Path out = dir.resolve("gpac.mp4");
    ClipReport report = clips.write(request(0, 4), out);

    assertThat(report.parts()).hasSize(1);
    // Without an edit list (gpac-noedit) the first frame presents 2 frames late, so the last
    // frame of the second file falls after the range's end: 99 frames.
    assertThat(report.frames()).isBetween(99L, 100L);
    assertThat(ClipFootage.probe(out).videoFrames()).isEqualTo(report.frames());
    assertThat(ClipFootage.decodeErrors(out)).isEmpty();
  }

  @Test
  void otherContainersGoThroughTheFfmpegRemuxer() throws IOException {
    record(0, "320x240", true, ClipFootage.H264);
    // Segment 1 is MPEG-TS, as some recorders write.
    Path mp4 =
        ClipFootage.segment(dir.resolve("made.mp4"), 2, 2, "320x240", true, ClipFootage.H264);
    ClipFootage.toMpegTs(mp4, ClipFootage.parents(root.resolve("cam/0001.ts")));
    store.addSpan("cam", "cam/0001.ts", T0.plusSeconds(2), T0.plusSeconds(4));
    Path out = dir.resolve("ts.mp4");

    ClipReport without = clips.write(request(0, 4), out);
    assertThat(without.gaps()).singleElement().satisfies(g -> {
      assertThat(g.cause()).isEqualTo(ClipGap.Cause.UNREADABLE);
      assertThat(g.detail()).contains("cam/0001.ts", "not an ISO BMFF file");
    });
    ClipReport with = clips.withRemuxer(FfmpegSegmentRemuxer.onPath()).write(request(0, 4), out);
    assertThat(with.gaps()).isEmpty();
    // One part: the remuxed copy's 90 kHz times are scaled to the first file's timescale, and
    // what muxers write differently (compressor name, bit rates, an AAC no-SBR marker) is no
    // change of format.
    assertThat(with.parts()).hasSize(1);
    assertThat(with.sources()).hasSize(2);
    assertThat(with.sources().get(1).sizeBytes())
        .isEqualTo(Files.size(root.resolve("cam/0001.ts")));
    long frames = ClipFootage.probe(out).videoFrames();
    assertThat(frames).isEqualTo(with.frames()).isBetween(99L, 100L);
    assertThat(ClipFootage.decodeErrors(out)).isEmpty();
    try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .noneMatch(n -> n.startsWith("heldar-remux-"));
    }
  }

  @Test
  void aSignedManifestVerifiesAndSaysExactlyWhatDiffers() throws IOException {
    recordWithGap();
    Path out = dir.resolve("evidence.mp4");
    ClipReport report =
        clips.write(request(0, 14).withGaps(GapPolicy.SPLIT).withSourceHashes(), out);
    assertThat(report.sources()).allSatisfy(s -> assertThat(s.sha256()).isPresent());
    KeyPair key = ClipManifest.generateKey();
    String json = ClipManifest.of(report).signed(key).json();
    ClipManifest read = ClipManifest.parse(json);

    assertThat(read.json()).isEqualTo(json);
    assertThat(read.gaps()).containsExactlyElementsOf(report.gaps());
    ClipManifest.Verification ok =
        read.verify(out, Optional.of(key.getPublic()), Optional.of(root));
    assertThat(ok.differences()).isEmpty();
    assertThat(ok.signed()).isTrue();

    // One byte of part 2 changed: that part is named, with both hashes.
    Path second = dir.resolve("evidence-2.mp4");
    byte[] bytes = Files.readAllBytes(second);
    bytes[bytes.length / 2] ^= 1;
    Files.write(second, bytes);
    assertThat(read.verify(out, Optional.empty(), Optional.empty()).differences())
        .singleElement()
        .asString()
        .contains("part 2")
        .contains("SHA-256");
    // The manifest edited after signing (a gap's cause): the signature no longer holds.
    String edited = json.replace("\"cause\": \"missing\"", "\"cause\": \"retention\"");
    assertThat(edited).isNotEqualTo(json);
    assertThat(ClipManifest.parse(edited)
            .verify(out, Optional.empty(), Optional.empty())
            .differences())
        .anySatisfy(d -> assertThat(d).contains("changed after signing"));
    // Signed by another key than the one trusted.
    assertThat(
            read.verify(out, Optional.of(ClipManifest.generateKey().getPublic()), Optional.empty())
                .differences())
        .anySatisfy(d -> assertThat(d).contains("another key"));
    // PEM round trip of the key.
    KeyPair again = ClipManifest.keyPairFromPem(ClipManifest.toPem(key));
    assertThat(again.getPublic()).isEqualTo(key.getPublic());
  }

  @Test
  void craftedSampleTablesBecomeUnreadableGapsNotHangsOrHugeAllocations() throws IOException {
    for (int k = 0; k < 3; k++) {
      record(k, "320x240", false, ClipFootage.H264);
    }
    // Segment 1: its sample count claims 2^31 samples; segment 2: chunk offsets past the end.
    Path one = root.resolve("cam/0001.mp4");
    byte[] b = Files.readAllBytes(one);
    int stsz = indexOf(b, "stsz");
    b[stsz + 12] = 0x7f;
    b[stsz + 13] = (byte) 0xff;
    Files.write(one, b);
    Path two = root.resolve("cam/0002.mp4");
    byte[] c = Files.readAllBytes(two);
    int stco = indexOf(c, "stco");
    c[stco + 12] = 0x7f; // the first chunk's offset, far past the file
    Files.write(two, c);
    Path out = dir.resolve("crafted.mp4");
    ClipReport report = clips.write(request(0, 6), out);

    assertThat(report.gaps()).hasSize(2).allSatisfy(g -> assertThat(g.cause())
        .isEqualTo(ClipGap.Cause.UNREADABLE));
    assertThat(ClipFootage.probe(out).videoFrames()).isEqualTo(50);
  }

  @Test
  void anExportStoppedByCloseLeavesNothingUnderItsName() throws IOException {
    recordWithGap();
    Path out = dir.resolve("stopped.mp4");
    clips.close();
    assertThatThrownBy(() -> clips.write(request(0, 14), out))
        .isInstanceOf(io.heldar.core.clip.ClipException.class)
        .hasMessageContaining("stopping");
    java.util.concurrent.atomic.AtomicReference<Clips> running =
        new java.util.concurrent.atomic.AtomicReference<>(
            new Clips(store, root, Clock.systemUTC()));
    assertThatThrownBy(() -> running.get().write(request(0, 14), out, (segments, bytes) -> {
          if (segments == 2) {
            running.get().close();
          }
        }))
        .isInstanceOf(io.heldar.core.clip.ClipException.class)
        .hasMessageContaining("stopped");
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("rec");
    }
  }

  private static int indexOf(byte[] b, String type) {
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + 4 <= b.length; i++) {
      for (int k = 0; k < 4; k++) {
        if (b[i + k] != t[k]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("no " + type);
  }

  private static String sha256(Path file) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
