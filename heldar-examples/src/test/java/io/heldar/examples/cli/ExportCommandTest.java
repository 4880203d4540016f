package io.heldar.examples.cli;

import static io.heldar.examples.cli.IndexCommandTest.heldar;
import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.ffmpeg.testing.ClipFootage;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.ffmpeg.testing.TestMedia.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code heldar export}, {@code keygen} and {@code verify-clip} on footage indexed by the CLI. */
class ExportCommandTest {
  @TempDir
  Path dir;

  @Test
  void exportSignVerifyAndTamper() throws Exception {
    String db = dir.resolve("heldar.db").toString();
    Path root = dir.resolve("rec");
    Instant old = Instant.parse("2026-11-21T09:00:00Z");
    Spec spec = new Spec(TestMedia.Codec.H264, TestMedia.Layout.PLAIN, true, 2, 25);
    for (String camera : new String[] {"yard", "gate"}) {
      for (String name :
          new String[] {"20261121T100000Z.mp4", "20261121T100002Z.mp4", "20261121T100030Z.mp4"}) {
        TestMedia.touch(TestMedia.make(root.resolve(camera).resolve(name), spec), old);
      }
    }
    assertThat(heldar("index", "--db", db, "--root", root.toString(), "--once").status())
        .isZero();
    Path key = dir.resolve("signing.pem");
    assertThat(heldar("keygen", key.toString()).status()).isZero();
    assertThat(dir.resolve("signing.pem.pub")).exists();
    assertThat(heldar("keygen", key.toString()).err()).contains("never overwritten");

    Path clip = dir.resolve("yard.mp4");
    IndexCommandTest.Run export = heldar(
        "export",
        "--db",
        db,
        "--root",
        root.toString(),
        "--camera",
        "yard",
        "--from",
        "2026-11-21T10:00:00Z",
        "--to",
        "2026-11-21T10:00:32Z",
        "--out",
        clip.toString(),
        "--gaps",
        "split",
        "--sign-key",
        key.toString());
    assertThat(export.status()).as(export.err()).isZero();
    assertThat(export.out())
        .contains(
            "2 part(s), 150 frames",
            "gap     2026-11-21T10:00:04Z ..",
            "(missing)",
            "manifest " + dir.resolve("yard.manifest.json"));
    assertThat(ClipFootage.probe(clip).videoFrames()).isEqualTo(100);
    assertThat(ClipFootage.probe(dir.resolve("yard-2.mp4")).videoFrames()).isEqualTo(50);

    IndexCommandTest.Run ok = heldar(
        "verify-clip",
        clip.toString(),
        dir.resolve("yard.manifest.json").toString(),
        "--public-key",
        dir.resolve("signing.pem.pub").toString(),
        "--root",
        root.toString());
    assertThat(ok.status()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("OK", "signature holds");

    byte[] bytes = Files.readAllBytes(dir.resolve("yard-2.mp4"));
    bytes[bytes.length - 10] ^= 0x40;
    Files.write(dir.resolve("yard-2.mp4"), bytes);
    IndexCommandTest.Run differs =
        heldar("verify-clip", clip.toString(), dir.resolve("yard.manifest.json").toString());
    assertThat(differs.status()).isEqualTo(1);
    assertThat(differs.out()).contains("DIFFERS", "part 2", "yard-2.mp4 has SHA-256");

    // Two cameras, one window, into a directory, as JSON.
    Path many = dir.resolve("many");
    IndexCommandTest.Run json = heldar(
        "export",
        "--db",
        db,
        "--root",
        root.toString(),
        "--camera",
        "yard",
        "--camera",
        "gate",
        "--from",
        "2026-11-21T10:00:00Z",
        "--to",
        "2026-11-21T10:00:04Z",
        "--out",
        many.toString(),
        "--container",
        "fmp4",
        "--format",
        "json",
        "--manifest");
    assertThat(json.status()).as(json.err()).isZero();
    assertThat(json.out()).contains("\"camera\" : \"gate\"", "\"container\" : \"fmp4\"");
    try (var files = Files.list(many)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "yard-2026-11-21T10-00-00Z.mp4", "yard-2026-11-21T10-00-00Z.manifest.json",
              "gate-2026-11-21T10-00-00Z.mp4", "gate-2026-11-21T10-00-00Z.manifest.json");
    }

    // --gaps fail: refused, nothing written.
    IndexCommandTest.Run fail = heldar(
        "export",
        "--db",
        db,
        "--root",
        root.toString(),
        "--camera",
        "yard",
        "--from",
        "2026-11-21T10:00:00Z",
        "--to",
        "2026-11-21T10:00:32Z",
        "--out",
        dir.resolve("refused.mp4").toString(),
        "--gaps",
        "fail");
    assertThat(fail.status()).isEqualTo(2);
    assertThat(fail.err()).contains("gap");
    assertThat(dir.resolve("refused.mp4")).doesNotExist();
  }
}
