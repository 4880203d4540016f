package io.heldar.examples.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --runs N}, shared by the benchmarks: how many times one repeats its measurement; each
 * figure it prints is the runs' median, with every run's value beside it.
 */
final class RunsOption {
  @Option(
      names = "--runs",
      paramLabel = "N",
      defaultValue = "" + io.heldar.examples.bench.BenchMachine.DEFAULT_RUNS,
      description =
          "Runs of every measurement; each figure is their median (default: ${DEFAULT-VALUE}).")
  private int runs;

  @Spec(Spec.Target.MIXEE)
  private CommandSpec bench;

  /** The runs asked for; fewer than one is a usage error of the benchmark's command. */
  int get() {
    if (runs < 1) {
      throw new ParameterException(bench.commandLine(), "--runs must be at least 1, not " + runs);
    }
    return runs;
  }
}
