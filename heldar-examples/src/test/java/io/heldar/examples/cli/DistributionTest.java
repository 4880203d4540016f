package io.heldar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The distribution's own files: a man page for every command and the completion script, written
 * from the commands; and {@code bin/heldar}, which runs {@code lib/heldar.jar} of its installation
 * with {@code $JAVA_HOME}'s java, through a symlink, passing every argument unchanged.
 */
class DistributionTest {
  @TempDir
  Path dir;

  @Test
  void everyCommandHasAManPageAndTheCompletionKnowsItsOptions() throws Exception {
    DistributionFiles.write(dir, "9.9.9");
    CommandLine cl = HeldarCli.commandLine();
    assertThat(dir.resolve("man/man1/heldar.1")).exists();
    for (String sub : cl.getSubcommands().keySet()) {
      if (sub.equals("help")) {
        continue;
      }
      Path page = dir.resolve("man/man1/heldar-" + sub + ".1");
      assertThat(page).exists();
      String text = Files.readString(page);
      assertThat(text).startsWith(".TH HELDAR-" + sub.toUpperCase(java.util.Locale.ROOT) + " 1");
      assertThat(text).contains(".SH NAME", ".SH SYNOPSIS", "heldar 9.9.9");
    }
    assertThat(Files.readString(dir.resolve("man/man1/heldar-export.1")))
        .contains("\\fB\\-\\-gaps\\fR", "(default: skip)");
    assertThat(Files.readString(dir.resolve("completion/heldar.bash")))
        .contains("complete -F _complete_heldar", "--max-age", "verify-clip");
  }

  @Test
  void binHeldarRunsTheJarOfItsInstallationThroughASymlink() throws Exception {
    Path home = dir.resolve("opt/heldar");
    Path bin = Files.createDirectories(home.resolve("bin"));
    Files.copy(Path.of("src/dist/bin/heldar"), bin.resolve("heldar"));
    // A java that says what it was asked to run.
    Path jdk = Files.createDirectories(dir.resolve("jdk/bin"));
    Files.writeString(jdk.resolve("java"), "#!/bin/sh\nfor a in \"$@\"; do echo \"[$a]\"; done\n");
    Files.setPosixFilePermissions(
        jdk.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Path link = Files.createSymbolicLink(dir.resolve("heldar"), bin.resolve("heldar"));
    ProcessBuilder pb =
        new ProcessBuilder(List.of("/bin/sh", link.toString(), "run", "--max-age", "30d", "a b"));
    pb.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
    pb.environment().put("JAVA_OPTS", "-Xmx64m");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out.lines().toList())
        .containsExactly(
            "[-Xmx64m]",
            "[-jar]",
            "[" + home.toRealPath().resolve("lib/heldar.jar") + "]",
            "[run]",
            "[--max-age]",
            "[30d]",
            "[a b]");
  }
}
