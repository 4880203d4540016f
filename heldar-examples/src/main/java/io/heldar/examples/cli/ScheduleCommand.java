package io.heldar.examples.cli;

import io.heldar.core.HeldarClient;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.store.jdbi.JdbiHeldarStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heldar schedule}: snapshot schedules. */
@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    description = "Manage interval snapshot schedules.",
    subcommands = {
      ScheduleCommand.Add.class,
      ScheduleCommand.ListSchedules.class,
      ScheduleCommand.Disable.class,
      ScheduleCommand.Enable.class,
      ScheduleCommand.Delete.class
    })
final class ScheduleCommand {

  /** {@code heldar schedule add}. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Snapshot a camera every interval (whole seconds).")
  static final class Add implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--camera", required = true, paramLabel = "ID", description = "The camera.")
    String camera;

    @Option(
        names = "--every",
        required = true,
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "Interval, whole seconds (e.g. 10s, 1m).")
    Duration every;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      return Cli.guard(spec, () -> {
        try (JdbiHeldarStore s = store.open()) {
          HeldarClient client = HeldarClient.of(s, Clock.systemUTC());
          if (client.camera(camera).isEmpty()) {
            throw new IllegalArgumentException(
                "unknown camera " + camera + " (add it with 'heldar camera add')");
          }
          SnapshotSchedule sched = client.createSchedule(camera, every);
          out.println("added schedule " + sched.id() + ": camera " + camera + " every "
              + every.toSeconds() + " s");
        }
        return 0;
      });
    }
  }

  /** {@code heldar schedule list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List schedules.")
  static final class ListSchedules implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    OutputFormat format;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      return Cli.guard(spec, () -> {
        boolean json = format.json();
        try (JdbiHeldarStore s = store.openExisting()) {
          java.util.List<SnapshotSchedule> schedules =
              HeldarClient.of(s, Clock.systemUTC()).schedules();
          if (json) {
            out.println(Json.write(schedules.stream().map(Json::schedule).toList()));
          } else {
            out.printf(
                "%-6s %-20s %-10s %-9s %s%n", "ID", "CAMERA", "EVERY", "ENABLED", "LAST FIRED");
            for (SnapshotSchedule sc : schedules) {
              out.printf(
                  "%-6d %-20s %-10s %-9s %s%n",
                  sc.id(),
                  sc.cameraId(),
                  Json.human(sc.interval()),
                  sc.enabled() ? "yes" : "no",
                  sc.lastFiredAt().map(Instant::toString).orElse("-"));
            }
          }
        }
        out.flush();
        return 0;
      });
    }
  }

  /** Changes the enabled flag. */
  abstract static class Toggle implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--id", required = true, paramLabel = "N", description = "Schedule id.")
    long id;

    abstract boolean enabled();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      return Cli.guard(spec, () -> {
        try (JdbiHeldarStore s = store.openExisting()) {
          HeldarClient client = HeldarClient.of(s, Clock.systemUTC());
          SnapshotSchedule sc = client
              .schedule(id)
              .orElseThrow(() -> new IllegalArgumentException("no schedule " + id));
          client.updateSchedule(id, sc.interval(), enabled());
          out.println((enabled() ? "enabled" : "disabled") + " schedule " + id);
        }
        return 0;
      });
    }
  }

  /** {@code heldar schedule disable}. */
  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Stop a schedule firing (keeps it).")
  static final class Disable extends Toggle {
    @Override
    boolean enabled() {
      return false;
    }
  }

  /** {@code heldar schedule enable}. */
  @Command(
      name = "enable",
      mixinStandardHelpOptions = true,
      description = "Let a disabled schedule fire again.")
  static final class Enable extends Toggle {
    @Override
    boolean enabled() {
      return true;
    }
  }

  /** {@code heldar schedule delete}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a schedule (its snapshots stay).")
  static final class Delete implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--id", required = true, paramLabel = "N", description = "Schedule id.")
    long id;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      return Cli.guard(spec, () -> {
        try (JdbiHeldarStore s = store.openExisting()) {
          if (!HeldarClient.of(s, Clock.systemUTC()).deleteSchedule(id)) {
            throw new IllegalArgumentException("no schedule " + id);
          }
          out.println("deleted schedule " + id);
        }
        return 0;
      });
    }
  }
}
