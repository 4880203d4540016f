package io.heldar.core.snapshot.internal;

import io.heldar.core.model.Camera;
import io.heldar.core.snapshot.SnapshotCaptureException;
import io.heldar.core.snapshot.SnapshotSource;
import io.heldar.core.snapshot.SnapshotSources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/** Fetches a JPEG over HTTP(S) with the JDK client: timeouts, a size cap, basic auth. */
public final class HttpSnapshotSource implements SnapshotSource {
  private final SnapshotSources.HttpOptions options;
  private final HttpClient client;

  /** Use {@link SnapshotSources#http(SnapshotSources.HttpOptions)}. */
  public HttpSnapshotSource(SnapshotSources.HttpOptions options) {
    this.options = options;
    this.client = HttpClient.newBuilder()
        .connectTimeout(options.connectTimeout())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  @Override
  public byte[] capture(Camera camera, Duration timeout) {
    String url = camera
        .sourceUrl()
        .orElseThrow(() -> new SnapshotCaptureException(camera.id(), "camera has no source URL"));
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new SnapshotCaptureException(
          camera.id(), "invalid URL " + SnapshotSources.redact(url), false, e);
    }
    Optional<String> auth = authorization(uri);
    URI target = stripUserInfo(uri);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target).timeout(timeout).GET().header("Accept", "image/jpeg");
    auth.ifPresent(a -> request.header("Authorization", a));
    String shown = SnapshotSources.redact(url);
    long deadline = System.nanoTime() + timeout.toNanos();
    // One deadline bounds the whole capture, whatever the peer does: waiting for the headers is
    // bounded by get(timeout); a body that stalls is closed under the reader when the time is up.
    java.util.concurrent.CompletableFuture<HttpResponse<InputStream>> pending =
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    try {
      HttpResponse<InputStream> response =
          pending.get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
      InputStream body = response.body();
      java.util.concurrent.atomic.AtomicBoolean expired =
          new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.CompletableFuture<Void> closer =
          java.util.concurrent.CompletableFuture.runAsync(
              () -> {
                expired.set(true);
                closeQuietly(body);
              },
              java.util.concurrent.CompletableFuture.delayedExecutor(
                  Math.max(0, deadline - System.nanoTime()),
                  java.util.concurrent.TimeUnit.NANOSECONDS));
      try (body) {
        if (response.statusCode() != 200) {
          throw new SnapshotCaptureException(
              camera.id(), "HTTP " + response.statusCode() + " from " + shown);
        }
        long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > options.maxBytes()) {
          throw new SnapshotCaptureException(
              camera.id(),
              "response of " + declared + " bytes exceeds the limit of " + options.maxBytes());
        }
        return readCapped(camera, body, deadline, shown);
      } catch (IOException e) {
        if (expired.get()) {
          throw new SnapshotCaptureException(
              camera.id(), "body from " + shown + " not complete within " + timeout, true, e);
        }
        throw e;
      } finally {
        closer.cancel(false);
      }
    } catch (java.util.concurrent.TimeoutException e) {
      pending.cancel(true);
      throw new SnapshotCaptureException(
          camera.id(), "no response from " + shown + " within " + timeout, true, e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw new SnapshotCaptureException(
            camera.id(), "no response from " + shown + " within " + timeout, true, cause);
      }
      throw new SnapshotCaptureException(
          camera.id(), "cannot fetch " + shown + ": " + cause, false, cause);
    } catch (IOException e) {
      throw new SnapshotCaptureException(camera.id(), "cannot fetch " + shown + ": " + e, false, e);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new SnapshotCaptureException(camera.id(), "interrupted", false, e);
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException | RuntimeException ignored) {
      // closing to unblock a reader at the deadline; nothing else to do
    }
  }

  private byte[] readCapped(Camera camera, InputStream body, long deadline, String shown)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    int n;
    while ((n = body.read(buf)) >= 0) {
      if (out.size() + n > options.maxBytes()) {
        throw new SnapshotCaptureException(
            camera.id(),
            "response from " + shown + " exceeds the limit of " + options.maxBytes() + " bytes");
      }
      out.write(buf, 0, n);
      if (System.nanoTime() > deadline) {
        throw new SnapshotCaptureException(
            camera.id(), "body from " + shown + " not complete within the timeout", true, null);
      }
    }
    return out.toByteArray();
  }

  private Optional<String> authorization(URI uri) {
    String user;
    String pass;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      pass = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
    } else if (options.username().isPresent()) {
      user = options.username().get();
      pass = options.password().orElse("");
    } else {
      return Optional.empty();
    }
    String token =
        Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
    return Optional.of("Basic " + token);
  }

  private static URI stripUserInfo(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri;
    }
    String s = uri.toString();
    int at = s.indexOf('@');
    int scheme = s.indexOf("://");
    return URI.create(s.substring(0, scheme + 3) + s.substring(at + 1));
  }
}
