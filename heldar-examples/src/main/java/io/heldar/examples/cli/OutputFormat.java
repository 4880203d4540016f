package io.heldar.examples.cli;

import picocli.CommandLine.Option;

/** The {@code --format} option of the listing commands. */
final class OutputFormat {
  @Option(
      names = "--format",
      paramLabel = "text|json",
      defaultValue = "text",
      description =
          "text for people, json for scripts (a fixed shape, documented in docs/cli.md) (default: ${DEFAULT-VALUE}).")
  String format;

  /** Whether JSON was asked for; refuses anything but text and json. */
  boolean json() {
    if (!format.equals("text") && !format.equals("json")) {
      throw new IllegalArgumentException("--format must be text or json, not " + format);
    }
    return format.equals("json");
  }
}
