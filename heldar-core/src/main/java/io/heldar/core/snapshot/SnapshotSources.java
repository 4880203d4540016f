package io.heldar.core.snapshot;

import io.heldar.core.snapshot.internal.HttpSnapshotSource;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Standard {@link SnapshotSource}s and choosing one by the camera's URL scheme. */
public final class SnapshotSources {
  private SnapshotSources() {}

  /**
   * Chooses a source by the scheme of the camera's {@code source_url} ({@code rtsp}, {@code http},
   * {@code https}, …; a URL without a scheme, such as a file path, uses the key {@code file}).
   * A camera without a source URL, or with a scheme that has no source, fails its capture.
   */
  public static SnapshotSource byScheme(Map<String, SnapshotSource> bySchemeName) {
    Map<String, SnapshotSource> sources = Map.copyOf(bySchemeName);
    return (camera, timeout) -> {
      String url = camera
          .sourceUrl()
          .orElseThrow(() -> new SnapshotCaptureException(camera.id(), "camera has no source URL"));
      String scheme = schemeOf(url);
      SnapshotSource source = sources.get(scheme);
      if (source == null) {
        throw new SnapshotCaptureException(
            camera.id(),
            "no snapshot source for scheme '" + scheme + "' (" + sources.keySet() + ")");
      }
      return source.capture(camera, timeout);
    };
  }

  /** The lower-case scheme of {@code url}, or {@code file} when it has none (a path). */
  public static String schemeOf(String url) {
    int colon = url.indexOf(':');
    if (colon > 1 && url.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      return url.substring(0, colon).toLowerCase(Locale.ROOT);
    }
    return "file";
  }

  /** An HTTP(S) source for cameras that serve a JPEG at their URL (JDK client, no extra dependency). */
  public static SnapshotSource http(HttpOptions options) {
    return new HttpSnapshotSource(options);
  }

  /** An HTTP(S) source with default options. */
  public static SnapshotSource http() {
    return http(HttpOptions.builder().build());
  }

  /**
   * Options of the HTTP source. Credentials in the URL ({@code http://user:pass@host/snap.jpg})
   * take precedence over the configured ones; either way they are sent as HTTP basic auth, never
   * logged.
   *
   * @param connectTimeout TCP/TLS connect timeout
   * @param maxBytes largest body accepted
   * @param username basic-auth user, if any
   * @param password basic-auth password, if any
   */
  public record HttpOptions(
      Duration connectTimeout, int maxBytes, Optional<String> username, Optional<String> password) {
    /** Default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default maximum body size: 16 MiB. */
    public static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

    /** Validates every component. */
    public HttpOptions {
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      if (connectTimeout.isNegative() || connectTimeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive");
      }
      if (maxBytes < 4) {
        throw new IllegalArgumentException("maxBytes too small: " + maxBytes);
      }
    }

    /** A builder with the defaults. */
    public static Builder builder() {
      return new Builder();
    }

    /** Builds {@link HttpOptions}; setters validate. */
    public static final class Builder {
      private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
      private int maxBytes = DEFAULT_MAX_BYTES;
      private String username;
      private String password;

      private Builder() {}

      /** See {@link HttpOptions#connectTimeout()}. */
      public Builder connectTimeout(Duration d) {
        this.connectTimeout =
            new HttpOptions(d, maxBytes, Optional.empty(), Optional.empty()).connectTimeout();
        return this;
      }

      /** See {@link HttpOptions#maxBytes()}. */
      public Builder maxBytes(int n) {
        this.maxBytes =
            new HttpOptions(connectTimeout, n, Optional.empty(), Optional.empty()).maxBytes();
        return this;
      }

      /** Basic-auth credentials for cameras whose URL carries none. */
      public Builder credentials(String username, String password) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
        return this;
      }

      /** The options. */
      public HttpOptions build() {
        return new HttpOptions(
            connectTimeout, maxBytes, Optional.ofNullable(username), Optional.ofNullable(password));
      }
    }
  }

  /** Strips user-info from a URL for messages. */
  public static String redact(String url) {
    try {
      URI u = URI.create(url);
      if (u.getUserInfo() == null) {
        return url;
      }
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), u.getQuery(), null)
          .toString();
    } catch (Exception e) {
      return url.replaceAll("//[^/@]*@", "//***@");
    }
  }
}
