package io.heldar.examples.cli;

import io.heldar.examples.demo.Demo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heldar demo}. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "See Heldar do its whole job in 75 s, with nothing installed but Java.",
      "Synthetic cameras with outages, indexing, gaps, scheduled snapshots, retention, and an HTML report at the end."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:the demo ran and wrote its report",
      "1:a camera's recorder died, or no segment was indexed within 15 s (the reason is printed)",
      "2:it could not start"
    })
final class DemoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(
      names = "--keep",
      paramLabel = "DIR",
      description = "Keep the recordings, database and report in DIR.")
  Path keep;

  @Option(
      names = "--for",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "60s",
      description = "How long the cameras record (default: ${DEFAULT-VALUE}).")
  Duration runFor;

  @Option(
      names = "--ffmpeg",
      paramLabel = "PATH",
      description =
          "ffmpeg for the cameras (default: PATH, then the bundled one; pure Java if none runs).")
  Path ffmpeg;

  @Option(
      names = "--pure-java",
      description = "Record with the pure-Java camera even where ffmpeg runs.")
  boolean pureJava;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (runFor.compareTo(Duration.ofSeconds(20)) < 0) {
      spec.commandLine().getErr().println("heldar demo: --for must be at least 20s");
      return 2;
    }
    ShutdownGate gate = new ShutdownGate("heldar-demo-shutdown");
    try {
      Path report = new Demo(
              new Demo.Options(
                  Optional.ofNullable(keep), runFor, Optional.ofNullable(ffmpeg), pureJava),
              out)
          .run(gate.stopRequested());
      out.println("report: " + report.toAbsolutePath());
      out.flush();
      return 0;
    } catch (Demo.DemoFailedException e) {
      spec.commandLine().getErr().println("heldar demo: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      spec.commandLine().getErr().println("heldar demo: " + e);
      return 2;
    } finally {
      gate.close();
    }
  }
}
