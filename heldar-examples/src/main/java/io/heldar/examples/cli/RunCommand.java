package io.heldar.examples.cli;

import io.heldar.core.Heldar;
import io.heldar.core.cluster.ClusterOptions;
import io.heldar.core.model.Camera;
import io.heldar.core.model.GapStatus;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.snapshot.SnapshotSource;
import io.heldar.core.snapshot.SnapshotSources;
import io.heldar.examples.http.JettyApiServer;
import io.heldar.ffmpeg.FfmpegSegmentRemuxer;
import io.heldar.ffmpeg.FfmpegSnapshotSource;
import io.heldar.http.HttpApiOptions;
import io.heldar.store.jdbi.JdbiHeldarStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heldar run}: the whole runtime — indexer, gap detector, snapshot scheduler. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run Heldar: index recordings, track gaps, take scheduled snapshots, until interrupted or for --for.",
      "Shuts down cleanly on Ctrl-C/SIGTERM and exits 0."
    })
final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions store;

  @Mixin
  IndexingFlags indexing;

  @Mixin
  RetentionOptions retention;

  @Mixin
  TierOptions tiers;

  @Option(
      names = "--edge",
      paramLabel = "URL-TEMPLATE",
      description = "Heal gaps from the cameras' own storage through this playback URL: http(s)"
          + " is fetched (http://mediamtx:9996/get?path={camera}&start={start}&duration={seconds}),"
          + " anything else is copied by ffmpeg (rtsp://cam/Streaming/tracks/101?starttime="
          + "{start:yyyyMMdd'T'HHmmss'Z'}); placeholders: {camera} {id} {start} {end}"
          + " {start:PATTERN} {seconds}.")
  String edge;

  @Option(
      names = "--edge-for",
      paramLabel = "CAMERA=URL-TEMPLATE",
      description = "A camera's own edge URL template (over --edge). Repeatable.")
  Map<String, String> edgeFor = new java.util.LinkedHashMap<>();

  @Option(
      names = "--heal-max-age",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Gaps that ended longer ago are not healed (default: 3d).")
  Duration healMaxAge;

  @Option(
      names = "--heal-chunk",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "The longest range one fetch from the edge asks for (default: 5m).")
  Duration healChunk;

  @Option(
      names = "--retention-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Pause between retention sweeps (when a retention limit is given) and event prunings (default: ${DEFAULT-VALUE}).")
  Duration retentionInterval;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "A YAML file of options: each key is an option of this command without its"
          + " dashes (db: heldar.db, max-age: 30d, pin: {cam-a: box-1}). HELDAR_<OPTION> variables"
          + " (HELDAR_MAX_AGE=7d) override it; the command line overrides both.")
  Path config;

  @Option(
      names = "--http",
      paramLabel = "HOST:PORT",
      description = "Serve the read-only HTTP API (/api/cameras, /api/events, /health, /metrics, …)"
          + " on this address, e.g. 127.0.0.1:9400. A non-loopback address needs a token"
          + " (HELDAR_HTTP_TOKEN or --http-token-file).")
  String http;

  @Option(
      names = "--http-token-file",
      paramLabel = "FILE",
      description = "A file holding the bearer token every HTTP request must carry (at least 16"
          + " characters; HELDAR_HTTP_TOKEN overrides it). Not on the command line: ps shows it.")
  Path httpTokenFile;

  @Option(
      names = "--http-open-probes",
      description = "Let /health and /metrics answer without the token (for probes that cannot"
          + " send a header); the API keeps it. Off by default.")
  boolean httpOpenProbes;

  @Option(
      names = "--event-max-age",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Events older than this are pruned, every retention interval (default: ${DEFAULT-VALUE}).")
  Duration eventMaxAge;

  @Option(
      names = "--snapshots",
      paramLabel = "DIR",
      description =
          "Where snapshot JPEGs are written. Without it no snapshots are taken: indexing, gaps and"
              + " retention only (schedules in the database then wait, and say so).")
  Path snapshots;

  @Option(
      names = "--for",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Stop after this long (default: run until interrupted).")
  Duration runFor;

  @Option(
      names = "--http-source",
      paramLabel = "http|ffmpeg",
      defaultValue = "http",
      description =
          "How http(s) sources are captured: a JPEG fetched directly, or a frame grabbed by ffmpeg (default: ${DEFAULT-VALUE}).")
  String httpSource;

  @Option(
      names = "--allow-file-sources",
      description =
          "Let cameras whose source is a local file path or file: URL be captured (off: camera URLs must not read local files).")
  boolean allowFileSources;

  @Option(
      names = "--ffmpeg",
      paramLabel = "PATH",
      description = "ffmpeg executable (default: PATH, then the bundled one).")
  Path ffmpeg;

  @Option(
      names = "--node",
      paramLabel = "NAME",
      description =
          "Run as one node of a cluster on a PostgreSQL --db: work only on the cameras whose leases this node holds "
              + "(1 to 64 of A-Z a-z 0-9 . _ -; unique in the cluster; \"auto\" for a generated one).")
  String node;

  @Option(
      names = "--lease",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Cluster lease length (default 10s).")
  Duration lease;

  @Option(
      names = "--renew-every",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Cluster lease renewal period (default 3s).")
  Duration renewEvery;

  @Option(
      names = "--claim-every",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Cluster claim scan period (default 1s).")
  Duration claimEvery;

  @Option(
      names = "--safety-margin",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Stop starting work this long before a lease could expire (default 2s).")
  Duration safetyMargin;

  @Option(
      names = "--capacity",
      paramLabel = "N",
      description = "Cluster: the most cameras (per duty) this node takes.")
  Integer capacity;

  @Option(
      names = "--pin",
      paramLabel = "CAMERA=NODE",
      description =
          "Cluster: this camera's duties belong to that node (the one holding its storage). Repeatable.")
  Map<String, String> pins = new java.util.LinkedHashMap<>();

  /**
   * The edge sources of {@code --edge}, {@code --edge-for} and the cameras' own templates ({@code
   * heldar camera add --edge}): {@code --edge-for} over the camera's, the camera's over {@code
   * --edge}; an http(s) template is fetched over HTTP, any other (rtsp://…) copied by ffmpeg.
   */
  private io.heldar.core.heal.EdgeSource edgeSource() {
    return io.heldar.ffmpeg.EdgeSources.fromCameras(
        edgeFor, Optional.ofNullable(edge), Optional.ofNullable(ffmpeg));
  }

  /** The cluster options the flags ask for, if --node was given; throws on a bad value. */
  Optional<ClusterOptions> clusterOptions() {
    if (node == null) {
      if (lease != null
          || renewEvery != null
          || claimEvery != null
          || safetyMargin != null
          || capacity != null
          || !pins.isEmpty()) {
        throw new IllegalArgumentException(
            "--lease, --renew-every, --claim-every, --safety-margin, --capacity and --pin need --node");
      }
      return Optional.empty();
    }
    ClusterOptions.Builder b = ClusterOptions.builder();
    if (!node.equals("auto")) {
      b.nodeId(node);
    }
    if (lease != null) {
      b.lease(lease);
    }
    if (renewEvery != null) {
      b.renewInterval(renewEvery);
    }
    if (claimEvery != null) {
      b.claimInterval(claimEvery);
    }
    if (safetyMargin != null) {
      b.safetyMargin(safetyMargin);
    }
    if (capacity != null) {
      b.capacity(capacity);
    }
    pins.forEach(b::pin);
    return Optional.of(b.build());
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    MediaProbe probe;
    SnapshotSource source;
    Optional<ClusterOptions> cluster;
    io.heldar.core.heal.EdgeSource edges;
    try {
      cluster = clusterOptions();
      edges = edgeSource();
      indexing.validate();
      if (!httpSource.equals("http") && !httpSource.equals("ffmpeg")) {
        throw new IllegalArgumentException("--http-source must be http or ffmpeg");
      }
      probe = indexing.probe();
      FfmpegSnapshotSource grabber =
          ffmpeg != null ? FfmpegSnapshotSource.withBinary(ffmpeg) : FfmpegSnapshotSource.onPath();
      SnapshotSource http = httpSource.equals("http") ? SnapshotSources.http() : grabber;
      Map<String, SnapshotSource> bySchemeName = new java.util.HashMap<>(
          Map.of("rtsp", grabber, "rtsps", grabber, "http", http, "https", http));
      if (allowFileSources) {
        bySchemeName.put("file", grabber.allowingFiles());
      }
      source = SnapshotSources.byScheme(bySchemeName);
    } catch (RuntimeException e) {
      err.println("heldar run: " + e.getMessage());
      return 2;
    }
    JdbiHeldarStore db;
    try {
      db = store.open();
    } catch (RuntimeException e) {
      err.println("heldar run: " + e.getMessage());
      return 2;
    }
    if (cluster.isPresent() && db.leases().isEmpty()) {
      db.close();
      err.println("heldar run: cluster mode (--node) needs PostgreSQL: --db postgresql://…; "
          + "a SQLite file is single-node");
      return 2;
    }
    ShutdownGate gate = new ShutdownGate("heldar-shutdown");
    try (db) {
      indexing.cameras(Instant.now()).forEach(db.cameras()::add);
      Heldar.Builder builder = Heldar.builder()
          .store(db)
          .listener(new IndexCommand.EventPrinter(out))
          .recordingsRoot(indexing.root)
          .probe(probe)
          .indexing(indexing.options())
          .scanInterval(indexing.interval)
          // Clips of segments in other containers (MPEG-TS...) go through ffmpeg -c copy.
          .clipRemuxer(
              ffmpeg != null
                  ? FfmpegSegmentRemuxer.withBinary(ffmpeg)
                  : FfmpegSegmentRemuxer.onPath());
      if (snapshots != null) {
        builder.snapshotsRoot(snapshots).snapshotSource(source);
      } else if (!db.snapshotSchedules().list().isEmpty()) {
        err.println("heldar run: no --snapshots directory: the "
            + db.snapshotSchedules().list().size()
            + " snapshot schedule(s) in the database take nothing until it is given");
        err.flush();
      }
      builder.retentionInterval(retentionInterval).eventMaxAge(eventMaxAge);
      retention.policy().ifPresent(builder::retention);
      tiers
          .storageTiers(indexing.root)
          .ifPresent(t -> builder.storageTiers(t).tierMoves(tiers.moveOptions()));
      cluster.ifPresent(builder::cluster);
      // Healing runs always: a camera is healed once it has an edge URL (its own, --edge-for or
      // --edge), including one registered while Heldar runs; the others cost nothing.
      {
        io.heldar.core.heal.HealOptions.Builder heal = io.heldar.core.heal.HealOptions.builder();
        if (healMaxAge != null) {
          heal.maxAge(healMaxAge);
        }
        if (healChunk != null) {
          heal.chunk(healChunk);
        }
        builder.edgeSource(edges).healing(heal.build());
      }
      Heldar heldar = builder.build();
      JettyApiServer api = http == null
          ? null
          : new JettyApiServer(
              heldar,
              address(http),
              HttpApiOptions.builder().token(token()).openProbes(httpOpenProbes).build());
      out.printf(
          "heldar running%s: %d camera(s), %d schedule(s); recordings %s, %s%s%n",
          cluster.map(c -> " as node " + c.nodeId()).orElse(""),
          db.cameras().list().size(),
          db.snapshotSchedules().list().size(),
          heldar
              .storageTiers()
              .filter(io.heldar.core.tier.StorageTiers::hasFurtherTiers)
              .map(t -> indexing.root + " (tiers " + t + ")")
              .orElse(String.valueOf(indexing.root)),
          snapshots != null ? "snapshots " + snapshots : "no snapshots (indexing only)",
          runFor != null ? ", for " + Json.human(runFor) : "; Ctrl-C to stop");
      out.flush();
      heldar.start();
      if (api != null) {
        api.start();
        out.printf(
            "HTTP API on http://%s:%d/%n",
            api.address().getHostString(), api.address().getPort());
        out.flush();
      }
      try {
        if (runFor != null) {
          gate.stopRequested().await(runFor.toMillis(), TimeUnit.MILLISECONDS);
        } else {
          gate.stopRequested().await();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (api != null) {
        api.close();
      }
      heldar.stop();
      summary(out, db);
      return 0;
    } catch (java.io.IOException e) {
      err.println("heldar run: cannot serve --http " + http + ": " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("heldar run: " + e.getMessage());
      return 2;
    } finally {
      gate.close();
    }
  }

  /** HOST:PORT ({@code [::1]:9400} for IPv6). */
  static java.net.InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException(
          "--http wants HOST:PORT, e.g. 127.0.0.1:9400: " + hostPort);
    }
    String host = hostPort.substring(0, colon).replaceAll("^\\[(.*)]$", "$1");
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--http: not a port: " + hostPort.substring(colon + 1));
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("--http: port out of range: " + port);
    }
    java.net.InetSocketAddress a = new java.net.InetSocketAddress(host, port);
    if (a.isUnresolved()) {
      throw new IllegalArgumentException("--http: unknown host " + host);
    }
    return a;
  }

  private Optional<String> token() {
    String env = System.getenv("HELDAR_HTTP_TOKEN");
    if (env != null && !env.isBlank()) {
      return Optional.of(env.strip());
    }
    if (httpTokenFile == null) {
      return Optional.empty();
    }
    return Optional.of(readTokenFile(httpTokenFile));
  }

  /**
   * The token in {@code file}, stripped. Like ssh with a private key, a file that others than its
   * owner may read or write is refused.
   */
  static String readTokenFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--http-token-file " + file
          + (Files.exists(file) ? " is not a regular file" : " does not exist"));
    }
    try {
      java.util.Set<java.nio.file.attribute.PosixFilePermission> perms =
          Files.getPosixFilePermissions(file);
      java.util.Set<java.nio.file.attribute.PosixFilePermission> open = java.util.EnumSet.of(
          java.nio.file.attribute.PosixFilePermission.GROUP_READ,
          java.nio.file.attribute.PosixFilePermission.GROUP_WRITE,
          java.nio.file.attribute.PosixFilePermission.OTHERS_READ,
          java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
      open.retainAll(perms);
      if (!open.isEmpty()) {
        throw new IllegalArgumentException("--http-token-file " + file + " is too open (mode "
            + java.nio.file.attribute.PosixFilePermissions.toString(perms)
            + "): others than its owner can read or change the token; chmod 600 " + file);
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing to check
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot read --http-token-file " + file + ": "
          + Optional.ofNullable(e.getMessage()).orElse("I/O error"));
    }
    try {
      String token =
          Files.readString(file, java.nio.charset.StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new IllegalArgumentException("--http-token-file " + file + " is empty");
      }
      return token;
    } catch (java.nio.file.AccessDeniedException e) {
      throw new IllegalArgumentException(
          "cannot read --http-token-file " + file + ": permission denied");
    } catch (java.nio.charset.MalformedInputException e) {
      throw new IllegalArgumentException("--http-token-file " + file + " is not UTF-8 text");
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot read --http-token-file " + file + ": "
          + Optional.ofNullable(e.getMessage()).orElse("I/O error"));
    }
  }

  private static void summary(PrintWriter out, JdbiHeldarStore db) {
    out.println("stopped. per camera:");
    for (Camera c : db.cameras().list()) {
      out.printf(
          "  %s: segments %d, open gaps %d, snapshots %d%n",
          c.id(),
          db.segments().count(c.id()),
          db.gaps().list(c.id(), Optional.of(GapStatus.OPEN)).size(),
          db.snapshots().all(c.id()).size());
    }
    out.flush();
  }
}
