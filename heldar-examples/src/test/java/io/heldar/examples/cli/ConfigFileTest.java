package io.heldar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.ffmpeg.testing.TestMedia;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code heldar run --config heldar.yml}: every option has a key, the environment overrides the
 * file, the command line overrides both, and a mistake names the key and the line.
 */
class ConfigFileTest {
  @TempDir
  Path dir;

  record Run(int status, String out, String err) {}

  private Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        HeldarCli.run(new PrintWriter(out, true), new PrintWriter(err, true), env::get, args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void aYamlFileRunsAServiceAndTheEnvironmentAndCommandLineOverrideIt() throws Exception {
    Path rec = Files.createDirectories(dir.resolve("rec/gate"));
    TestMedia.touch(
        TestMedia.make(
            rec.resolve("20261121T100000Z.mp4"), TestMedia.Spec.plain().seconds(2)),
        Instant.now().minusSeconds(60));
    Path yml = Files.writeString(
        dir.resolve("heldar.yml"),
        "# a service\n"
            + "db: " + dir.resolve("heldar.db") + "\n"
            + "root: " + dir.resolve("rec") + "\n"
            + "snapshots: " + dir.resolve("snaps") + "\n"
            + "camera:\n  - gate\n"
            + "allow-file-sources: false\n"
            + "probe: native\n"
            + "settle: 1s\n"
            + "max-age: 30d\n"
            + "for: 30s\n");
    Run r = run(
        Map.of("HELDAR_FOR", "1500ms"), // the environment over the file
        "run",
        "--config",
        yml.toString(),
        "--interval",
        "200ms");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("recordings " + dir.resolve("rec"))
        .contains("for PT1.5S")
        .contains("gate: segments 1");

    Run cli = run(
        Map.of("HELDAR_FOR", "1500ms"),
        "run",
        "--config",
        yml.toString(),
        "--for",
        "500ms"); // the command line over both
    assertThat(cli.status()).as(cli.err()).isZero();
    assertThat(cli.out()).contains("for PT0.5S");
  }

  @Test
  void mistakesNameTheKeyAndTheLine() throws Exception {
    Path yml = Files.writeString(
        dir.resolve("bad.yml"),
        "db: " + dir.resolve("heldar.db") + "\n" + "snapshots: /tmp/s\n" + "max-agee: 30d\n");
    Run unknown = run(Map.of(), "run", "--config", yml.toString());
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err()).contains("bad.yml:3: unknown key 'max-agee'");

    Path listForOne = Files.writeString(dir.resolve("list.yml"), "db:\n  - a\n  - b\n");
    Run list = run(Map.of(), "run", "--config", listForOne.toString());
    assertThat(list.status()).isEqualTo(2);
    assertThat(list.err()).contains("list.yml:2: 'db' wants one value");

    Path dup = Files.writeString(dir.resolve("dup.yml"), "db: a\ndb: b\n");
    Run twice = run(Map.of(), "run", "--config", dup.toString());
    assertThat(twice.status()).isEqualTo(2);
    assertThat(twice.err()).contains("dup.yml:2: key 'db' given twice");

    Path flag = Files.writeString(dir.resolve("flag.yml"), "allow-file-sources: maybe\n");
    Run notABoolean = run(Map.of(), "run", "--config", flag.toString());
    assertThat(notABoolean.status()).isEqualTo(2);
    assertThat(notABoolean.err())
        .contains("--allow-file-sources is a flag: true or false, not 'maybe'");

    Run missing = run(Map.of(), "run", "--config", dir.resolve("nope.yml").toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot read").contains("nope.yml");
  }
}
