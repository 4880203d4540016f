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
        .contains("for 1.5s")
        .contains("gate: segments 1");

    Run cli = run(
        Map.of("HELDAR_FOR", "1500ms"),
        "run",
        "--config",
        yml.toString(),
        "--for",
        "500ms"); // the command line over both
    assertThat(cli.status()).as(cli.err()).isZero();
    assertThat(cli.out()).contains("for 0.5s");

    // a global option before the command: the file is still read
    Run quiet = run(Map.of(), "-q", "run", "--config", yml.toString(), "--for", "300ms");
    assertThat(quiet.status()).as(quiet.err()).isZero();
    assertThat(quiet.out()).contains("recordings " + dir.resolve("rec"));
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

    for (String none : new String[] {"~", "null", ""}) {
      Path nul =
          Files.writeString(dir.resolve("null.yml"), "snapshots: /tmp/s\ndb: " + none + "\n");
      Run nulled = run(Map.of(), "run", "--config", nul.toString());
      assertThat(nulled.status()).as(none).isEqualTo(2);
      assertThat(nulled.err()).as(none).contains("null.yml:2: 'db' has no value");
    }
    assertThat(dir.resolve("~")).doesNotExist();

    Run missing = run(Map.of(), "run", "--config", dir.resolve("nope.yml").toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot read").contains("nope.yml");
  }

  @Test
  void anUnsupportedDatabaseUrlIsAnErrorNotAFileName() throws Exception {
    Path rec = Files.createDirectories(dir.resolve("rec"));
    for (String url : new String[] {"mysql://host/db", "jdbc:mysql://host/db", "redis://x"}) {
      Run r = run(Map.of(), "index", "--db", url, "--root", rec.toString(), "--once");
      assertThat(r.status()).as(url).isEqualTo(2);
      assertThat(r.err())
          .as(url)
          .contains("unsupported database")
          .contains("postgresql://")
          .contains("SQLite");
    }
    try (var files = Files.list(Path.of("."))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no SQLite file made of a URL")
          .noneMatch(
              n -> n.startsWith("mysql:") || n.startsWith("jdbc:") || n.startsWith("redis:"));
    }
  }

  @Test
  void aTokenFileThatIsMissingOrOpenToOthersIsRefusedInPlainWords() throws Exception {
    Path rec = Files.createDirectories(dir.resolve("rec"));
    String[] common = {
      "run",
      "--db",
      dir.resolve("h.db").toString(),
      "--root",
      rec.toString(),
      "--snapshots",
      dir.resolve("s").toString(),
      "--http",
      "127.0.0.1:0",
      "--for",
      "100ms"
    };
    Run missing =
        run(Map.of(), concat(common, "--http-token-file", dir.resolve("nope").toString()));
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("--http-token-file").contains("does not exist");
    assertThat(missing.err()).doesNotContain("Exception");

    Path open = Files.writeString(dir.resolve("token"), "a-token-of-enough-length\n");
    Files.setPosixFilePermissions(
        open, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Run tooOpen = run(Map.of(), concat(common, "--http-token-file", open.toString()));
    assertThat(tooOpen.status()).isEqualTo(2);
    assertThat(tooOpen.err()).contains("too open").contains("chmod 600");

    Files.setPosixFilePermissions(
        open, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Run fine = run(Map.of(), concat(common, "--http-token-file", open.toString()));
    assertThat(fine.status()).as(fine.err()).isZero();
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
