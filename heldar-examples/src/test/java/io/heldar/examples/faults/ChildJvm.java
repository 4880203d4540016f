package io.heldar.examples.faults;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a class of the test class path in a separate JVM, as a real process that can be killed. */
public final class ChildJvm {
  private ChildJvm() {}

  static Process start(Path log, Class<?> main, String... args) throws IOException {
    return new ProcessBuilder(command(main, args))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  public static List<String> command(Class<?> main, String... args) {
    String java = ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>(
        List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }
}
