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
}
