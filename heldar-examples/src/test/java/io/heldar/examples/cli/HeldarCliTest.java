package io.heldar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeldarCliTest {
  static String capture(Runnable r) {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsVersionAndHelp() {
    int[] status = new int[2];
    String version = capture(() -> status[0] = HeldarCli.run("--version"));
    String help = capture(() -> status[1] = HeldarCli.run("--help"));
    assertThat(status).containsExactly(0, 0);
    assertThat(version).startsWith("heldar 0.").doesNotContain("${");
    assertThat(help).contains("Usage: heldar", "--version", "--help");
  }

  /** Walks every command: whole-sentence summaries, an exit status list, meaningful labels. */
  @Test
  void everyCommandDocumentsItsExitStatusAndNoArgumentsIsAnError() {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int none =
        HeldarCli.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
    assertThat(none).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: heldar", "give a command");
    picocli.CommandLine root = new picocli.CommandLine(new HeldarCli());
    java.util.List<picocli.CommandLine> all = new java.util.ArrayList<>();
    java.util.Deque<picocli.CommandLine> todo = new java.util.ArrayDeque<>(java.util.List.of(root));
    while (!todo.isEmpty()) {
      picocli.CommandLine c = todo.pop();
      all.add(c);
      todo.addAll(c.getSubcommands().values());
    }
    for (picocli.CommandLine c : all) {
      String name = c.getCommandSpec().qualifiedName();
      if (name.endsWith(" help")) {
        continue;
      }
      java.io.StringWriter help = new java.io.StringWriter();
      String[] args = (name.replaceFirst("^heldar ?", "") + " --help").trim().split(" ");
      java.io.PrintStream oldErr = System.err;
      java.io.ByteArrayOutputStream picocliWarnings = new java.io.ByteArrayOutputStream();
      System.setErr(new java.io.PrintStream(picocliWarnings, true, StandardCharsets.UTF_8));
      try {
        assertThat(HeldarCli.run(
                new java.io.PrintWriter(help, true),
                new java.io.PrintWriter(new java.io.StringWriter(), true),
                args))
            .as(name)
            .isZero();
      } finally {
        System.setErr(oldErr);
      }
      assertThat(picocliWarnings.toString(StandardCharsets.UTF_8))
          .as(name + ": help texts format cleanly (escape %% as %%%%)")
          .isEmpty();
      assertThat(help.toString()).as(name).contains("Exit status:");
      String[] description = c.getCommandSpec().usageMessage().description();
      assertThat(description).as(name + " has a description").isNotEmpty();
      assertThat(description[0].strip())
          .as(name + ": the summary line is a whole sentence")
          .endsWith(".");
      for (picocli.CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
        if (o.arity().max() > 0 && !o.usageHelp() && !o.versionHelp()) {
          assertThat(o.paramLabel())
              .as(name + " " + o.longestName() + " label")
              .doesNotStartWith("<");
        }
      }
    }
  }
}
