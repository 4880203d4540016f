package io.heldar.examples.cli;

import io.heldar.core.model.CameraStats;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.core.store.LeaseStore;
import io.heldar.core.store.LeaseStore.Duty;
import io.heldar.store.jdbi.JdbiHeldarStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code heldar cluster}: cluster mode's nodes and leases (PostgreSQL). */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "Cluster mode's nodes and leases (PostgreSQL only; see docs/cluster.md).",
    subcommands = {ClusterCommand.Status.class})
final class ClusterCommand {

  /** {@code heldar cluster status}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Print the nodes (last heartbeat, by the database's clock) and the leases (holder, epoch, expiry,"
            + " lag: for files, how old the camera's newest indexed footage is; for capture, how long"
            + " since its schedules' last slot was spent).",
        "Needs a PostgreSQL database: SQLite is single-node."
      })
  static final class Status implements Callable<Integer> {
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
        try (JdbiHeldarStore s = store.openExisting()) {
          LeaseStore leases = s.leases()
              .orElseThrow(() -> new IllegalArgumentException("cluster mode needs PostgreSQL; "
                  + s.describe() + " is a single-node SQLite database"));
          Instant now = leases.databaseNow();
          List<LeaseStore.Node> nodes = leases.nodes();
          List<LeaseStore.Lease> held = leases.leases();
          Map<String, Instant> lastSpent = new HashMap<>();
          for (SnapshotSchedule sc : s.snapshotSchedules().list()) {
            sc.lastFiredAt().ifPresent(t -> lastSpent.merge(sc.cameraId(), t, Status::later));
          }
          Function<LeaseStore.Lease, Optional<Duration>> lag = l -> (l.duty() == Duty.FILES
                  ? s.cameraStats().find(l.cameraId()).flatMap(CameraStats::lastSegmentEnd)
                  : Optional.ofNullable(lastSpent.get(l.cameraId())))
              .map(t -> Duration.between(t, now));
          if (format.json()) {
            out.println(Json.write(Json.object(
                "database_now", now,
                "nodes",
                    nodes.stream()
                        .map(n -> Json.object(
                            "node_id", n.nodeId(),
                            "capacity", n.capacity(),
                            "heartbeat_at", n.heartbeatAt(),
                            "heartbeat_age", Duration.between(n.heartbeatAt(), now)))
                        .toList(),
                "leases",
                    held.stream()
                        .map(l -> Json.object(
                            "camera_id", l.cameraId(),
                            "duty", l.duty().dbValue(),
                            "node_id", l.nodeId(),
                            "epoch", l.epoch(),
                            "expires_at", l.expiresAt(),
                            "expired", !l.expiresAt().isAfter(now),
                            "lag", lag.apply(l)))
                        .toList())));
          } else {
            out.printf(
                "database clock %s: %d node(s), %d lease(s)%n", now, nodes.size(), held.size());
            for (LeaseStore.Node n : nodes) {
              out.printf(
                  "node  %-24s capacity %-4d last heartbeat %s ago%n",
                  n.nodeId(), n.capacity(), Json.human(Duration.between(n.heartbeatAt(), now)));
            }
            for (LeaseStore.Lease l : held) {
              Duration left = Duration.between(now, l.expiresAt());
              out.printf(
                  "lease %-20s %-8s %-24s epoch %-6d %-22s lag %s%n",
                  l.cameraId(),
                  l.duty().dbValue(),
                  l.nodeId(),
                  l.epoch(),
                  left.isNegative() || left.isZero()
                      ? "expired " + Json.human(left.negated()) + " ago"
                      : "expires in " + Json.human(left),
                  lag.apply(l).map(Json::human).orElse("-"));
            }
          }
        }
        out.flush();
        return 0;
      });
    }

    private static Instant later(Instant a, Instant b) {
      return a.isAfter(b) ? a : b;
    }
  }
}
