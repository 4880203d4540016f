package io.heldar.examples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** Shared command plumbing. */
final class Cli {
  private Cli() {}

  /** Runs {@code body}; a runtime failure becomes one line on stderr and exit status 2. */
  static int guard(CommandSpec spec, Callable<Integer> body) {
    try {
      return body.call();
    } catch (Exception e) {
      spec.commandLine()
          .getErr()
          .println("heldar " + spec.qualifiedName(" ").replaceFirst("^heldar ", "") + ": "
              + e.getMessage());
      return 2;
    }
  }
}
