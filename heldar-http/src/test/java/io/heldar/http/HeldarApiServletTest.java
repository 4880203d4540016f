package io.heldar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.Heldar;
import io.heldar.core.model.Camera;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.runtime.RuntimeOptions;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The servlet as a host mounts it: under a prefix of its own context, in a plain Jetty without
 * Heldar's hardening and without async support (responses are then written blocking), on a real
 * SQLite store.
 */
class HeldarApiServletTest {
  @TempDir
  Path dir;

  private SqliteHeldarStore store;
  private Heldar heldar;
  private Server server;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    store = SqliteHeldarStore.open(dir.resolve("heldar.db"));
    store.cameras().add(Camera.of("gate", Instant.parse("2026-11-21T10:00:00Z")));
    heldar = Heldar.builder()
        .store(store)
        .recordingsRoot(Files.createDirectories(dir.resolve("rec")))
        .probe(MediaProbes.nativeMp4())
        .runtime(RuntimeOptions.builder().stopTimeout(Duration.ofSeconds(2)).build())
        .build();
    heldar.start();
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/app");
    context.addServlet(
        new ServletHolder(new HeldarApiServlet(
            heldar,
            HttpApiOptions.builder()
                .token(Optional.of("a-token-of-enough-length"))
                .openProbes(true)
                .maxPageSize(50)
                .build())),
        "/heldar/*");
    server.setHandler(context);
    server.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.stop();
    heldar.stop();
    store.close();
  }

  private HttpResponse<String> get(String path, boolean token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + path));
    if (token) {
      b.header("Authorization", "Bearer a-token-of-enough-length");
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesUnderAPrefixWithTheOptionsItWasGiven() throws Exception {
    HttpResponse<String> cameras = get("/app/heldar/api/cameras", true);
    assertThat(cameras.statusCode()).isEqualTo(200);
    assertThat(cameras.body()).startsWith("[{\"id\":\"gate\"").endsWith("\n");
    assertThat(get("/app/heldar/api/cameras", false).statusCode()).isEqualTo(401);
    assertThat(get("/app/heldar/health", false).statusCode()).as("open probes").isEqualTo(200);
    assertThat(get("/app/heldar/metrics", false).body()).contains("# TYPE heldar_task_runs_total");
    HttpResponse<String> page = get("/app/heldar/api/cameras/gate/segments?limit=51", true);
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.body()).contains("limit must be 1..50");
    HttpResponse<String> missing = get("/app/heldar/api/nothing", true);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("no such resource: /api/nothing");
  }

  @Test
  void optionsAreCheckedWhenTheyAreSet() {
    assertThatThrownBy(() -> HttpApiOptions.builder().token(Optional.of("short")))
        .hasMessageContaining("at least 16 characters");
    assertThatThrownBy(() -> HttpApiOptions.builder().token(Optional.of("sixteen chars and space")))
        .hasMessageContaining("printable ASCII without spaces");
    assertThatThrownBy(() -> HttpApiOptions.builder().maxPageSize(0))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> HttpApiOptions.builder().maxRange(Duration.ZERO))
        .hasMessageContaining("positive");
    HttpApiOptions o = HttpApiOptions.builder().openProbes(true).build();
    assertThat(HttpApiOptions.from(o).maxDays(7).build())
        .isEqualTo(new HttpApiOptions(
            Optional.empty(),
            true,
            HttpApiOptions.DEFAULT_MAX_RANGE,
            7,
            HttpApiOptions.DEFAULT_MAX_TIMELINE_ITEMS,
            HttpApiOptions.DEFAULT_MAX_PAGE_SIZE,
            HttpApiOptions.DEFAULT_MAX_HEALTH_WARNINGS,
            HttpApiOptions.DEFAULT_MAX_CLIP_LENGTH,
            HttpApiOptions.DEFAULT_MAX_CONCURRENT_CLIPS,
            Optional.empty()));
    assertThatThrownBy(() -> HttpApiOptions.builder().maxConcurrentClips(0))
        .hasMessageContaining("at least 1");
  }

  @Test
  void messagesForClientsCarryNoJavaTypesNorStatementDumps() {
    assertThat(
            HealthReport.forClients("org.jdbi.v3.core.statement.UnableToExecuteStatementException:"
                + " org.sqlite.SQLiteException: [SQLITE_BUSY] The database file is locked"
                + " [statement:\"SELECT 1\", arguments:{}]"))
        .isEqualTo("[SQLITE_BUSY] The database file is locked");
    assertThat(HealthReport.forClients(null)).contains("see the server's log");
    assertThat(HealthReport.forClients("camera back\\slash: invalid recorder name"))
        .isEqualTo("camera back\\slash: invalid recorder name");
  }
}
