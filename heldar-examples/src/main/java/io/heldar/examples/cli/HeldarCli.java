package io.heldar.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code heldar} command-line tool. */
@Command(
    name = "heldar",
    mixinStandardHelpOptions = true,
    versionProvider = HeldarCli.Version.class,
    description =
        "Heldar: turns a folder of camera recordings into a queryable timeline with its gaps, and keeps snapshots on a schedule.",
    subcommands = {
      DemoCommand.class,
      IndexCommand.class,
      CameraCommand.class,
      ScheduleCommand.class,
      RunCommand.class,
      TimelineCommand.class,
      ExportCommand.class,
      VerifyClipCommand.class,
      KeygenCommand.class,
      TimelapseCommand.class,
      RetentionCommand.class,
      CheckCommand.class,
      ClusterCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class HeldarCli implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = {"-q", "--quiet"},
      scope = CommandLine.ScopeType.INHERIT,
      description = "Log warnings and errors only (the command's own output is unchanged).")
  boolean quiet;

  @CommandLine.Option(
      names = {"-v", "--verbose"},
      scope = CommandLine.ScopeType.INHERIT,
      description = "Log everything down to debug (each file, each tick).")
  boolean verbose;

  /** Runs the tool and exits with its status. */
  public static void main(String[] args) {
    logLevel(args);
    System.exit(run(args));
  }

  /**
   * Sets the log level from {@code --quiet}/{@code --verbose} before any logger exists (slf4j-simple
   * reads it once); the options are declared on the commands so that help lists them.
   */
  static void logLevel(String[] args) {
    java.util.List<String> a = java.util.List.of(args);
    String level = a.contains("-v") || a.contains("--verbose")
        ? "debug"
        : a.contains("-q") || a.contains("--quiet") ? "warn" : null;
    if (level != null && System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    }
  }

  /** Runs the tool and returns its exit status (for tests and embedding). */
  public static int run(String... args) {
    CommandLine cl = commandLine();
    return execute(cl, args, System::getenv);
  }

  /** Runs the tool writing to {@code out} and {@code err}; returns its exit status. */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    return execute(commandLine().setOut(out).setErr(err), args, System::getenv);
  }

  /** {@code heldar run} reads its config file and the environment first (see {@link ConfigFile}). */
  static int execute(CommandLine cl, String[] args, java.util.function.UnaryOperator<String> env) {
    String[] expanded = args;
    int command = commandIndex(cl, args);
    if (command >= 0 && args[command].equals("run")) {
      try {
        String[] run = ConfigFile.expand(
            java.util.Arrays.copyOfRange(args, command, args.length),
            cl.getSubcommands().get("run").getCommandSpec(),
            env);
        expanded = new String[command + run.length];
        System.arraycopy(args, 0, expanded, 0, command);
        System.arraycopy(run, 0, expanded, command, run.length);
      } catch (ConfigFile.ConfigException e) {
        cl.getErr().println("heldar run: " + e.getMessage());
        cl.getErr().flush();
        return 2;
      }
    }
    return cl.execute(expanded);
  }

  /**
   * Where the subcommand's name is in {@code args}, after the tool's own options ({@code heldar -q
   * run ...}); -1 when there is none.
   */
  private static int commandIndex(CommandLine cl, String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("-")) {
        return i;
      }
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      picocli.CommandLine.Model.OptionSpec o = cl.getCommandSpec().findOption(name);
      if (o == null) {
        return -1; // not ours: picocli says what is wrong
      }
      if (!a.contains("=") && o.arity().max() > 0) {
        i++; // its value
      }
    }
    return -1;
  }

  /** For tests: the tool with an environment of their own. */
  static int run(
      java.io.PrintWriter out,
      java.io.PrintWriter err,
      java.util.function.UnaryOperator<String> env,
      String... args) {
    return execute(commandLine().setOut(out).setErr(err), args, env);
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new HeldarCli())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setDefaultValueProvider(new LibraryDefaults())
        .setParameterExceptionHandler(HeldarCli::badArguments);
    documentExitStatus(cl);
    return cl;
  }

  /**
   * Bad arguments: one line saying what is wrong (and a close match, if picocli has one) and where
   * to read more, not the whole usage after it; status 2.
   */
  private static int badArguments(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    java.io.PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    err.println(name + ": " + e.getMessage());
    if (e instanceof CommandLine.UnmatchedArgumentException u) {
      java.util.List<String> suggestions = u.getSuggestions();
      if (!suggestions.isEmpty()) {
        err.println("Did you mean: " + String.join(", ", suggestions) + "?");
      }
    }
    err.println("'" + name + " --help' lists the options.");
    err.flush();
    return 2;
  }

  /** What the commands without their own list exit with. */
  private static final java.util.Map<String, String> DEFAULT_EXIT_STATUS = java.util.Map.of(
      "0", "done",
      "2",
          "it could not run: bad arguments, or the database or a file could not be used (the reason is printed)");

  /** Every command's help ends with its exit status: its own list, else the default. */
  private static void documentExitStatus(CommandLine cl) {
    CommandLine.Model.UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
    if (usage.exitCodeList().isEmpty()) {
      java.util.Map<String, String> codes = new java.util.LinkedHashMap<>(DEFAULT_EXIT_STATUS);
      if (!cl.getSubcommands().isEmpty()) {
        codes.put(
            "2",
            "no command given (this help is printed), bad arguments, or the command could not run");
      }
      usage.exitCodeListHeading("%nExit status:%n").exitCodeList(new java.util.TreeMap<>(codes));
    }
    cl.getSubcommands().values().stream().distinct().forEach(HeldarCli::documentExitStatus);
  }

  /** No command: the usage on standard error, and status 2. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new CommandLine.ParameterException(
        spec.commandLine(), "give a command (heldar help COMMAND tells more)");
  }

  /** Reads the version the build wrote into {@code version.properties}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in =
          HeldarCli.class.getResourceAsStream("/io/heldar/examples/version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {
        "heldar " + p.getProperty("version", "unknown"),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
            + ")"
      };
    }
  }
}
