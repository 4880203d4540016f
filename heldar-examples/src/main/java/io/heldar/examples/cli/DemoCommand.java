package io.heldar.examples.cli;

import io.heldar.examples.demo.Demo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heldar demo}. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"See Heldar do its whole job in about a minute: synthetic cameras with outages, indexing, gaps,",
        "scheduled snapshots, retention, and an HTML report at the end. Needs nothing installed but Java."})
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--keep", paramLabel = "DIR", description = "Keep the recordings, database and report in DIR.")
  Path keep;

  @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "60s",
      description = "How long the cameras record (default: ${DEFAULT-VALUE}).")
  Duration runFor;

  @Option(names = "--ffmpeg", paramLabel = "PATH", description = "ffmpeg for the cameras (default: PATH, then the bundled one; pure Java if none runs).")
  Path ffmpeg;

  @Option(names = "--pure-java", description = "Record with the pure-Java camera even where ffmpeg runs.")
  boolean pureJava;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (runFor.compareTo(Duration.ofSeconds(20)) < 0) {
      spec.commandLine().getErr().println("heldar demo: --for must be at least 20s");
      return 2;
    }
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      try {
        if (finished.await(60, TimeUnit.SECONDS)) {
          System.out.flush();
          Runtime.getRuntime().halt(0);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "heldar-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Path report = new Demo(new Demo.Options(Optional.ofNullable(keep), runFor, Optional.ofNullable(ffmpeg), pureJava), out).run(stop);
      out.println("report: " + report.toAbsolutePath());
      out.flush();
      return 0;
    } catch (Exception e) {
      spec.commandLine().getErr().println("heldar demo: " + e);
      return 2;
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException | IllegalArgumentException shuttingDown) {
        // Ctrl-C: the hook waits for us and ends the JVM with status 0
      }
    }
  }
}
