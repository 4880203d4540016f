package io.heldar.ffmpeg;

import io.heldar.core.heal.EdgeFetch;
import io.heldar.core.heal.EdgeSource;
import io.heldar.core.model.Camera;
import io.heldar.core.snapshot.SnapshotSources;
import io.heldar.ffmpeg.internal.EdgeUrlTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Footage from a camera's own storage over HTTP, by a URL template: MediaMTX's playback server
 * ({@code http://mediamtx:9996/get?path={camera}&start={start}&duration={seconds}}), cameras' and
 * NVRs' HTTP export. The answer's body (MP4 or fragmented MP4) is written to the sink.
 *
 * <p>Placeholders: {@code {camera}} (the camera's recorder name, or its id; URL-encoded), {@code
 * {id}}, {@code {start}} and {@code {end}} (ISO-8601 UTC, {@code 2026-11-21T10:00:00Z}), {@code
 * {start:PATTERN}} and {@code {end:PATTERN}} ({@link DateTimeFormatter} patterns in UTC, e.g.
 * {@code {start:yyyyMMdd'T'HHmmss'Z'}}), {@code {seconds}} (the range's length, decimal). User
 * info in the URL is sent as basic authentication, never logged.
 *
 * <p>Outcomes: 200/206 with a body: written (capped at the request's size limit); 404 or an empty
 * body: no footage; anything else, a refused connection or a deadline passed (the whole fetch,
 * headers and body, is bounded by the request's timeout): unreachable.
 */
public final class HttpEdgeSource implements EdgeSource {
  private final Map<String, String> templates;
  private final Optional<String> fallback;
  private final HttpClient client;

  private HttpEdgeSource(Map<String, String> templates, Optional<String> fallback) {
    this.templates = Map.copyOf(templates);
    this.fallback = fallback;
    templates.values().forEach(EdgeUrlTemplate::check);
    fallback.ifPresent(EdgeUrlTemplate::check);
    this.client = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /** One template for every camera (with {@code {camera}} in it, usually). */
  public static HttpEdgeSource of(String urlTemplate) {
    return new HttpEdgeSource(Map.of(), Optional.of(urlTemplate));
  }

  /**
   * A template per camera id; cameras without one use {@code fallback} when given, else are not
   * covered (never healed).
   */
  public static HttpEdgeSource perCamera(Map<String, String> byCamera, Optional<String> fallback) {
    return new HttpEdgeSource(byCamera, fallback);
  }

  @Override
  public boolean covers(Camera camera) {
    return templates.containsKey(camera.id()) || fallback.isPresent();
  }

  /** The template's scheme, host and port (never its user info). */
  @Override
  public String describe(Camera camera) {
    String template = templates.getOrDefault(camera.id(), fallback.orElse(null));
    return template == null ? "http" : EdgeUrlTemplate.origin(template);
  }

  /** The URL of a request (with the user info it may carry). */
  public String url(Request request) {
    Camera c = request.camera();
    String template = templates.getOrDefault(c.id(), fallback.orElse(null));
    if (template == null) {
      throw new IllegalArgumentException("no edge URL for camera " + c.id());
    }
    return EdgeUrlTemplate.expand(
        template, c.recorderNameOrId(), c.id(), request.from(), request.to());
  }

  @Override
  public EdgeFetch fetch(Request request, Path sink) throws InterruptedException {
    String url = url(request);
    String shown = SnapshotSources.redact(url);
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return new EdgeFetch.Unreachable("invalid URL " + shown);
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(withoutUserInfo(uri)).timeout(request.timeout()).GET();
    Optional.ofNullable(uri.getRawUserInfo())
        .ifPresent(u -> b.header(
            "Authorization",
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(java.net.URLDecoder.decode(u, StandardCharsets.UTF_8)
                        .getBytes(StandardCharsets.UTF_8))));
    long deadline = System.nanoTime() + request.timeout().toNanos();
    CompletableFuture<HttpResponse<InputStream>> pending =
        client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    try {
      HttpResponse<InputStream> response =
          pending.get(request.timeout().toNanos(), TimeUnit.NANOSECONDS);
      InputStream body = response.body();
      AtomicBoolean expired = new AtomicBoolean();
      // A body that stalls is closed under the reader when the one deadline passes.
      CompletableFuture<Void> closer = CompletableFuture.runAsync(
          () -> {
            expired.set(true);
            try {
              body.close();
            } catch (IOException ignored) {
              // closing to unblock the reader; nothing else to do
            }
          },
          CompletableFuture.delayedExecutor(
              Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      try (body) {
        int status = response.statusCode();
        if (status == 404) {
          return new EdgeFetch.NoFootage("HTTP 404 from " + shown);
        }
        if (status != 200 && status != 206) {
          return new EdgeFetch.Unreachable("HTTP " + status + " from " + shown);
        }
        long n = copyCapped(body, sink, request.maxBytes(), request.bytesPerSecond());
        return n == 0
            ? new EdgeFetch.NoFootage("empty answer from " + shown)
            : new EdgeFetch.Written(n);
      } catch (IOException e) {
        return new EdgeFetch.Unreachable(
            expired.get()
                ? "body from " + shown + " not complete within " + request.timeout()
                : "reading " + shown + ": " + e.getMessage());
      } finally {
        closer.cancel(false);
      }
    } catch (TimeoutException e) {
      pending.cancel(true);
      return new EdgeFetch.Unreachable("no answer from " + shown + " within " + request.timeout());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return new EdgeFetch.Unreachable(
          cause instanceof HttpTimeoutException
              ? "no answer from " + shown + " within " + request.timeout()
              : "cannot reach " + shown + ": " + cause);
    } catch (InterruptedException e) {
      pending.cancel(true);
      throw e;
    }
  }

  /**
   * Copies at most {@code max + 1} bytes (one more says it was too long), at most {@code rate} a
   * second when positive; returns how many.
   */
  private static long copyCapped(InputStream in, Path sink, long max, long rate)
      throws IOException {
    byte[] buf = new byte[1 << 16];
    long total = 0;
    long started = System.nanoTime();
    try (OutputStream out = Files.newOutputStream(
        sink, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      int n;
      while (total <= max && (n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
        total += n;
        if (rate > 0) {
          long due = started + total * 1_000_000_000L / rate;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            try {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new java.io.InterruptedIOException("stopped");
            }
          }
        }
      }
    }
    return total;
  }

  private static URI withoutUserInfo(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri;
    }
    return URI.create(uri.toString().replaceFirst("//[^@/]*@", "//"));
  }

  @Override
  public String toString() {
    return "HttpEdgeSource"
        + fallback.map(SnapshotSources::redact).map(t -> "[" + t + "]").orElse("")
        + (templates.isEmpty() ? "" : " (" + templates.size() + " camera(s))");
  }
}
