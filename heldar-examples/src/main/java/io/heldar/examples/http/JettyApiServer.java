package io.heldar.examples.http;

import io.heldar.core.Heldar;
import io.heldar.http.ApiJson;
import io.heldar.http.HeldarApiServlet;
import io.heldar.http.HttpApiOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code heldar run --http}: {@link HeldarApiServlet} on embedded Jetty, hardened for a port that
 * hostile clients can reach. Slow and idle clients cost a socket, never a thread (Jetty reads
 * without blocking), and are closed: a connection that has not sent a whole request head within
 * {@link #HEADER_TIMEOUT}, or sends nothing for {@link #IDLE_TIMEOUT}. Threads and their queue are
 * bounded ({@link #MAX_THREADS}, {@link #MAX_QUEUED}), so are connections ({@link
 * #MAX_CONNECTIONS}: more wait in the kernel's backlog) and request heads ({@link
 * #MAX_REQUEST_HEAD_BYTES}: more is a 431). Every error Jetty answers itself (a malformed request,
 * a bad URI, a header too large) is the API's JSON error, never HTML or a stack trace. Binds to
 * loopback unless a token is configured. See docs/operations.md.
 */
public final class JettyApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JettyApiServer.class);

  /** Request threads at most. */
  public static final int MAX_THREADS = 32;
  /** Open connections at most; beyond, new ones wait in the kernel's accept backlog. */
  public static final int MAX_CONNECTIONS = 1024;
  /**
   * Jobs waiting for a thread at most: a connection has at most one job at a time, so the
   * connection limit bounds the queue (Jetty's own queue stays unbounded, as Jetty advises: a
   * refused job would leave its connection half-handled).
   */
  public static final int MAX_QUEUED = MAX_CONNECTIONS;
  /** A connection that sends or takes nothing this long is closed. */
  public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
  /** A new connection must have sent a whole request head within this. */
  public static final Duration HEADER_TIMEOUT = Duration.ofSeconds(5);
  /** The request line and headers together, at most (beyond: 431, or 414 for the URI). */
  public static final int MAX_REQUEST_HEAD_BYTES = 8192;

  private final Server server;
  private final QueuedThreadPool threads;
  private final ServerConnector connector;
  private final AtomicLong headTimeouts = new AtomicLong();

  /**
   * Binds nothing yet: {@link #start()} does.
   *
   * @throws IllegalArgumentException when a non-loopback address has no token
   */
  public JettyApiServer(Heldar heldar, InetSocketAddress address, HttpApiOptions options) {
    Objects.requireNonNull(heldar, "heldar");
    Objects.requireNonNull(options, "options");
    if (!address.getAddress().isLoopbackAddress() && options.token().isEmpty()) {
      throw new IllegalArgumentException("--http " + address.getHostString() + ":"
          + address.getPort() + " is not a loopback address: it needs a token"
          + " (HELDAR_HTTP_TOKEN or --http-token-file)");
    }
    threads = new QueuedThreadPool(MAX_THREADS, 4, 60_000);
    threads.setName("heldar-http");
    threads.setDaemon(true);
    server = new Server(threads);
    server.setStopTimeout(2_000);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(MAX_REQUEST_HEAD_BYTES);
    http.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(address.getHostString());
    connector.setPort(address.getPort());
    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    connector.setAcceptQueueSize(128);
    connector.addBean(new HeadTimeout(connector.getScheduler()));
    server.addConnector(connector);
    server.addBean(new ConnectionLimit(MAX_CONNECTIONS, server));
    JsonErrors errors = new JsonErrors();
    server.setErrorHandler(errors);
    ServletContextHandler context = new ServletContextHandler("/");
    context.setErrorHandler(errors);
    ServletHolder servlet = new ServletHolder(new HeldarApiServlet(heldar, options));
    servlet.setAsyncSupported(true); // responses are written without holding a thread
    context.addServlet(servlet, "/*");
    server.setHandler(context);
  }

  /** Binds and serves. */
  public void start() throws IOException {
    try {
      server.start();
    } catch (IOException e) {
      stopQuietly();
      throw e;
    } catch (Exception e) {
      stopQuietly();
      throw new IOException(e.getMessage(), e);
    }
    log.info("HTTP API on http://{}:{}/", address().getHostString(), address().getPort());
  }

  /** Where it listens (the port chosen when 0 was asked for). */
  public InetSocketAddress address() {
    String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
    return new InetSocketAddress(host, connector.getLocalPort());
  }

  /** Connections closed because their request head did not arrive in time. */
  public long headTimeouts() {
    return headTimeouts.get();
  }

  /** Request threads running a job now, and jobs waiting for one: 0 when nothing is being served. */
  public int requestsInProgress() {
    return threads.getUtilizedThreads() + threads.getQueueSize();
  }

  /** Stops serving; requests in flight get two seconds. */
  @Override
  public void close() {
    stopQuietly();
  }

  private void stopQuietly() {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("the HTTP server did not stop cleanly: {}", e.getMessage());
    }
  }

  /** Closes a connection whose first request head has not arrived within {@link #HEADER_TIMEOUT}. */
  private final class HeadTimeout implements Connection.Listener {
    private final Scheduler scheduler;
    private final Map<Connection, Scheduler.Task> pending = new ConcurrentHashMap<>();

    HeadTimeout(Scheduler scheduler) {
      this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
      pending.put(
          connection,
          scheduler.schedule(
              () -> {
                pending.remove(connection);
                if (connection.getMessagesIn() == 0 && connection.getEndPoint().isOpen()) {
                  headTimeouts.incrementAndGet();
                  log.debug(
                      "closing {}: no request head within {}",
                      connection.getEndPoint().getRemoteSocketAddress(),
                      HEADER_TIMEOUT);
                  connection.getEndPoint().close();
                }
              },
              HEADER_TIMEOUT.toMillis(),
              TimeUnit.MILLISECONDS));
    }

    @Override
    public void onClosed(Connection connection) {
      Scheduler.Task t = pending.remove(connection);
      if (t != null) {
        t.cancel();
      }
    }
  }

  /** Every error Jetty answers itself, as the API's JSON error. */
  private static final class JsonErrors extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      int status = response.getStatus();
      Object code = request.getAttribute(ERROR_STATUS);
      if (code instanceof Integer c) {
        status = c;
      }
      byte[] body = body(status, request.getAttribute(ERROR_MESSAGE));
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, HeldarApiServlet.JSON_TYPE);
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      response.write(true, ByteBuffer.wrap(body), callback);
      return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      fields.put(HttpHeader.CONTENT_TYPE, HeldarApiServlet.JSON_TYPE);
      fields.put(HttpHeader.CACHE_CONTROL, "no-store");
      return ByteBuffer.wrap(body(status, reason));
    }

    /** {@code {"error": ...}}: the status's reason and Jetty's message, without Java names. */
    private static byte[] body(int status, Object message) {
      String reason = HttpStatus.getMessage(status);
      String detail = message == null ? "" : message.toString();
      if (detail.contains("Exception") || detail.contains("java.") || detail.length() > 200) {
        detail = "";
      }
      String text = detail.isEmpty() || detail.equals(reason) ? reason : reason + ": " + detail;
      return (ApiJson.write(ApiJson.object("error", text)) + "\n").getBytes(StandardCharsets.UTF_8);
    }
  }
}
