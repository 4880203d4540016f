package io.heldar.core.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.clip.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest as a format: a report written, read and written again gives the same text (what the
 * signature is over), a signature holds until one character changes, and verify names each
 * difference. The clip is a file of known bytes here; real clips are checked in heldar-ffmpeg.
 */
class ClipManifestTest {
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir
  Path dir;

  private ClipReport report(String sha, long bytes) {
    ClipRequest r = ClipRequest.of("gate", T0, T0.plusSeconds(60)).withGaps(GapPolicy.SPLIT);
    return new ClipReport(
        r,
        List.of(new ClipPart(
            1,
            Optional.of("clip.mp4"),
            T0,
            T0.plusSeconds(30),
            Duration.ofSeconds(30),
            750,
            "h264",
            320,
            240,
            Optional.of("aac"),
            Optional.of(bytes),
            Optional.of(sha))),
        List.of(new ClipGap(
            T0.plusSeconds(30),
            T0.plusSeconds(60),
            ClipGap.Cause.RETENTION,
            "gap 7 (retention) said \"old\"\n")),
        List.of(new ClipSource(
            "gate/a.mp4",
            1234,
            Optional.of("ab".repeat(32)),
            1,
            T0,
            T0.plusSeconds(30),
            Duration.ZERO,
            750)),
        List.of(new ClipReport.LeftOut("gate/b.mp4", "its footage was already taken")),
        T0.plusSeconds(3600));
  }

  private Path clip(byte[] bytes) throws Exception {
    Path f = dir.resolve("clip.mp4");
    Files.write(f, bytes);
    return f;
  }

  private static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void writtenReadAndWrittenAgainIsTheSameText() {
    String json = ClipManifest.of(report("00", 1)).json();
    assertThat(ClipManifest.parse(json).json()).isEqualTo(json);
    assertThat(json)
        .contains(
            "\"format\": \"heldar-clip-manifest/1\"",
            "\"cause\": \"retention\"",
            "\\\"old\\\"\\n",
            "\"clip_offset_ms\": 0",
            "\"left_out\"",
            "gate/b.mp4");
    assertThat(ClipManifest.parse(json).gaps())
        .containsExactlyElementsOf(report("00", 1).gaps());
    assertThat(ClipManifest.parse(json).partFiles()).containsExactly(Optional.of("clip.mp4"));
  }

  @Test
  void aSignatureHoldsUntilOneCharacterChanges() throws Exception {
    byte[] bytes = "not really an mp4".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Path f = clip(bytes);
    KeyPair key = ClipManifest.generateKey();
    String signed =
        ClipManifest.of(report(sha(bytes), bytes.length)).signed(key).json();

    ClipManifest.Verification ok =
        ClipManifest.parse(signed).verify(f, Optional.of(key.getPublic()), Optional.empty());
    assertThat(ok.ok()).isTrue();
    assertThat(ok.signed()).isTrue();

    String edited = signed.replace("\"frames\": 750", "\"frames\": 751");
    assertThat(ClipManifest.parse(edited)
            .verify(f, Optional.empty(), Optional.empty())
            .differences())
        .containsExactly("the signature does not match the manifest: it was changed after signing");

    Files.write(f, "not really an mp5".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(ClipManifest.parse(signed)
            .verify(f, Optional.empty(), Optional.empty())
            .differences())
        .singleElement()
        .asString()
        .startsWith("part 1: ")
        .contains("has SHA-256");
    Files.delete(f);
    assertThat(ClipManifest.parse(signed)
            .verify(f, Optional.empty(), Optional.empty())
            .differences())
        .singleElement()
        .asString()
        .contains("is missing");
  }

  @Test
  void anUnsignedManifestFailsWhenASignerIsRequired() throws Exception {
    byte[] bytes = {1, 2, 3};
    Path f = clip(bytes);
    ClipManifest m = ClipManifest.of(report(sha(bytes), 3));
    assertThat(m.verify(f, Optional.empty(), Optional.empty()).ok()).isTrue();
    assertThat(m.verify(f, Optional.of(ClipManifest.generateKey().getPublic()), Optional.empty())
            .differences())
        .containsExactly("the manifest is not signed, but a signer's key was given");
  }

  @Test
  void aSourceOutsideTheRootIsReportedNotRead() throws Exception {
    byte[] bytes = {1};
    Path f = clip(bytes);
    String json =
        ClipManifest.of(report(sha(bytes), 1)).json().replace("gate/a.mp4", "../../etc/passwd");
    assertThat(ClipManifest.parse(json)
            .verify(f, Optional.empty(), Optional.of(dir.resolve("rec")))
            .differences())
        .containsExactly("source ../../etc/passwd leaves the recordings root");
  }

  @Test
  void notAManifestIsRefused() {
    assertThatThrownBy(() -> ClipManifest.parse("{\"format\": \"something else\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a Heldar clip");
    assertThatThrownBy(() -> ClipManifest.parse("[1, 2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void theJsonReaderIsStrictAndBounded() {
    assertThat(Json.read("{\"a\": [1, -2, true, null, \"\\u00e9\\t\"]}"))
        .isEqualTo(Map.of("a", java.util.Arrays.asList(1L, -2L, true, null, "é\t")));
    assertThatThrownBy(() -> Json.read("{\"a\": 1, \"a\": 2}")).hasMessageContaining("twice");
    assertThatThrownBy(() -> Json.read("1.5")).hasMessageContaining("whole number");
    assertThatThrownBy(() -> Json.read("{} x")).hasMessageContaining("after the value");
    assertThatThrownBy(() -> Json.read("[".repeat(100))).hasMessageContaining("deeper");
    assertThatThrownBy(() -> Json.read("\"abc")).hasMessageContaining("does not end");
  }

  @Test
  void keysRoundTripThroughPem() {
    KeyPair key = ClipManifest.generateKey();
    String pem = ClipManifest.toPem(key);
    assertThat(pem).contains("-----BEGIN PRIVATE KEY-----", "-----BEGIN PUBLIC KEY-----");
    assertThat(ClipManifest.keyPairFromPem(pem).getPublic()).isEqualTo(key.getPublic());
    assertThat(ClipManifest.publicKeyFromPem(pem)).isEqualTo(key.getPublic());
    assertThatThrownBy(() -> ClipManifest.keyPairFromPem("nothing"))
        .hasMessageContaining("no PRIVATE KEY block");
  }
}
