package io.heldar.examples.cli;

import io.heldar.core.Heldar;
import io.heldar.core.cluster.ClusterOptions;
import io.heldar.core.cluster.ClusterStatus;
import io.heldar.core.model.Camera;
import io.heldar.core.snapshot.SnapshotSource;
import io.heldar.core.store.LeaseStore;
import io.heldar.store.jdbi.JdbiHeldarStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code heldar bench cluster}: N cameras, each on a snapshot schedule, served by K cluster nodes
 * (each a {@link Heldar} with a pool of its own, in this JVM) on a PostgreSQL server, and the same
 * cameras by one node without cluster mode: how long until every lease is held, leases lost with
 * no fault, lease statements per second per node, snapshots per second and how late they are.
 */
final class ClusterBench {
  record Run(int cameras, int nodes) {}

  private final BenchDatabases databases;
  private final Path work;
  private final Duration every;
  private final Duration runFor;
  private final Duration lease;
  private final PrintWriter out;

  ClusterBench(
      BenchDatabases databases,
      Path work,
      Duration every,
      Duration runFor,
      Duration lease,
      PrintWriter out) {
    this.databases = databases;
    this.work = work;
    this.every = every;
    this.runFor = runFor;
    this.lease = lease;
    this.out = out;
  }

  private static final byte[] JPEG = jpeg();

  private static byte[] jpeg() {
    byte[] b = new byte[2000];
    b[0] = (byte) 0xff;
    b[1] = (byte) 0xd8;
    b[2] = (byte) 0xff;
    b[b.length - 2] = (byte) 0xff;
    b[b.length - 1] = (byte) 0xd9;
    return b;
  }

  /**
   * Run number {@code attempt} of {@code r}: {@code nodes} cluster nodes, or one node outside
   * cluster mode when 0, on a database of its own. Prints its line and adds its figures.
   */
  void run(Run r, int attempt, io.heldar.examples.bench.RunFigures figures) throws Exception {
    String name = "c" + r.cameras() + "n" + r.nodes() + "r" + attempt;
    try (JdbiHeldarStore setup = databases.open(name)) {
      Instant now = Instant.now();
      setup.useTransaction(() -> {
        for (int i = 0; i < r.cameras(); i++) {
          String id = String.format(java.util.Locale.ROOT, "cam-%05d", i);
          setup.cameras().add(new Camera(id, id, Optional.of("bench://" + id), now));
          setup.snapshotSchedules().create(id, every, true, now);
        }
      });
      SnapshotSource source = (camera, timeout) -> JPEG;
      List<Heldar> nodes = new ArrayList<>();
      List<JdbiHeldarStore> stores = new ArrayList<>();
      int count = Math.max(1, r.nodes());
      long t0 = System.nanoTime();
      for (int n = 0; n < count; n++) {
        JdbiHeldarStore s = databases.open(name);
        stores.add(s);
        Heldar.Builder b = Heldar.builder()
            .store(s)
            .snapshotsRoot(Files.createDirectories(work.resolve(name).resolve("snaps")))
            .snapshotSource(source);
        if (r.nodes() > 0) {
          b.cluster(ClusterOptions.builder()
              .nodeId("node-" + n)
              .lease(lease)
              .renewInterval(lease.dividedBy(3))
              .claimInterval(Duration.ofSeconds(1))
              .safetyMargin(lease.dividedBy(5))
              .capacity(r.cameras())
              .build());
        }
        Heldar h = b.build();
        nodes.add(h);
        h.start();
      }
      double heldAfter = Double.NaN;
      Optional<LeaseStore> leases = setup.leases();
      long end = t0 + runFor.toNanos();
      while (System.nanoTime() < end) {
        if (r.nodes() > 0 && Double.isNaN(heldAfter) && leases.isPresent()) {
          Instant dbNow = leases.get().databaseNow();
          long held = leases.get().leases().stream()
              .filter(l -> l.expiresAt().isAfter(dbNow))
              .count();
          if (held == 2L * r.cameras()) {
            heldAfter = (System.nanoTime() - t0) / 1e9;
          }
        }
        Thread.sleep(200);
      }
      long lost = 0;
      long statements = 0;
      for (Heldar h : nodes) {
        Optional<ClusterStatus> st = h.clusterStatus();
        if (st.isPresent()) {
          lost += st.get().losses();
          statements += st.get().leaseStatements();
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      nodes.forEach(Heldar::stop);
      stores.forEach(JdbiHeldarStore::close);
      long[] snapshots = snapshots(setup);
      out.printf(
          java.util.Locale.ROOT,
          "%6d cameras, %s: all leases held after %s; leases lost %d; lease statements %.1f/s per"
              + " node; snapshots %.0f/s; lateness p50 %d ms, p99 %d ms%n",
          r.cameras(),
          r.nodes() == 0 ? "no cluster" : r.nodes() + " node(s)",
          r.nodes() == 0
              ? "-"
              : Double.isNaN(heldAfter)
                  ? "never (" + Json.human(runFor) + ")"
                  : String.format("%.1f s", heldAfter),
          lost,
          r.nodes() == 0 ? 0.0 : statements / seconds / count,
          snapshots[0] / seconds,
          snapshots[1],
          snapshots[2]);
      out.flush();
      if (r.nodes() > 0) {
        figures
            .add("seconds until all leases held", heldAfter)
            .add("leases lost", lost)
            .add("lease statements/s per node", statements / seconds / count);
      }
      figures
          .add("snapshots/s", snapshots[0] / seconds)
          .add("lateness p50 ms", snapshots[1])
          .add("lateness p99 ms", snapshots[2]);
    }
  }

  /**
   * Snapshots taken, and the p50 and p99 of how late each was taken behind its slot in ms (slots
   * lie on a grid of the interval from the epoch, so that is the time past the last grid point).
   */
  private long[] snapshots(JdbiHeldarStore store) {
    List<Long> late = new ArrayList<>();
    long iv = every.toMillis();
    for (Camera c : store.cameras().list()) {
      store
          .snapshots()
          .all(c.id())
          .forEach(s -> late.add(Math.floorMod(s.takenAt().toEpochMilli(), iv)));
    }
    late.sort(null);
    if (late.isEmpty()) {
      return new long[] {0, 0, 0};
    }
    return new long[] {
      late.size(),
      late.get((int) Math.min(late.size() - 1, Math.ceil(0.5 * late.size()) - 1)),
      late.get((int) Math.min(late.size() - 1, Math.ceil(0.99 * late.size()) - 1))
    };
  }
}
