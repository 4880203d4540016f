package io.heldar.examples.http;

import io.heldar.core.Heldar;
import io.heldar.core.model.Camera;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.runtime.RuntimeOptions;
import io.heldar.core.testing.Await;
import io.heldar.http.HttpApiOptions;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A running Heldar (native probe, SQLite file) that indexed a recordings root, served by {@code
 * heldar run --http}'s Jetty server on loopback: what the HTTP and browser tests start.
 */
public final class ServedHeldar implements AutoCloseable {
  public final SqliteHeldarStore store;
  public final Heldar heldar;
  public final JettyApiServer api;

  /**
   * Registers each camera of {@code segments}, indexes {@code root} until each has its count of
   * segments, and serves the API with {@code options}.
   */
  public ServedHeldar(Path dir, Path root, Map<String, Integer> segments, HttpApiOptions options)
      throws Exception {
    this(dir, root, Optional.empty(), segments, options);
  }

  /**
   * As above, with snapshot files under {@code snapshots} (served; no schedule takes new ones).
   */
  public ServedHeldar(
      Path dir,
      Path root,
      Optional<Path> snapshots,
      Map<String, Integer> segments,
      HttpApiOptions options)
      throws Exception {
    store = SqliteHeldarStore.open(dir.resolve("heldar.db"));
    for (String c : segments.keySet()) {
      store.cameras().add(new Camera(c, c, Optional.empty(), Instant.now()));
    }
    Heldar.Builder b = Heldar.builder()
        .store(store)
        .recordingsRoot(root)
        .probe(MediaProbes.nativeMp4())
        .scanInterval(Duration.ofMillis(200))
        .runtime(RuntimeOptions.builder().stopTimeout(Duration.ofSeconds(2)).build());
    snapshots.ifPresent(s -> b.snapshotsRoot(s).snapshotSource((camera, timeout) -> {
      throw new io.heldar.core.snapshot.SnapshotCaptureException(camera.id(), "no camera here");
    }));
    heldar = b.build();
    heldar.start();
    Await.until(
        Duration.ofSeconds(30),
        () -> segments.entrySet().stream()
            .allMatch(e -> store.segments().count(e.getKey()) == e.getValue()),
        "indexed");
    api = new JettyApiServer(
        heldar, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), options);
    api.start();
  }

  /** The server's base URL. */
  public String base() {
    return "http://127.0.0.1:" + api.address().getPort();
  }

  @Override
  public void close() {
    api.close();
    heldar.stop();
    store.close();
  }
}
