package io.heldar.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A camera known to Heldar. Its id names its snapshots directory and, in Heldar's own layout, its
 * recordings directory ({@code <root>/<id>/}), so it is restricted to {@link #ID_PATTERN}: it can
 * never contain a path separator, {@code ..}, a NUL or other control characters. A recorder that
 * names cameras otherwise ({@code cam2/main}) has the name kept as {@link #recorderName()}.
 *
 * @param id stable identifier, matching {@link #ID_PATTERN}
 * @param name human-readable name (defaults to the id)
 * @param sourceUrl where snapshots are captured from (RTSP, HTTP or a file path), if any
 * @param createdAt when the camera was registered
 * @param recorderName the camera's name in the recorder's layout ({@code cam2/main}), when it is
 *     not the id itself; see {@code CameraNames}
 * @param edgeUrl where the camera's own stored footage is fetched from to heal gaps: a URL template
 *     (see {@code io.heldar.core.heal.EdgeSource} and {@code HttpEdgeSource}/{@code
 *     FfmpegEdgeSource} in heldar-ffmpeg), if any
 */
public record Camera(
    String id,
    String name,
    Optional<String> sourceUrl,
    Instant createdAt,
    Optional<String> recorderName,
    Optional<String> edgeUrl) {

  /** Allowed camera ids: a letter or digit, then up to 63 letters, digits, {@code _} or {@code -}. */
  public static final Pattern ID_PATTERN = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$");

  /** Validates every component. */
  public Camera {
    requireValidId(id);
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sourceUrl, "sourceUrl");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(recorderName, "recorderName");
    Objects.requireNonNull(edgeUrl, "edgeUrl");
    recorderName = recorderName.filter(r -> !r.equals(id));
    recorderName.ifPresent(r -> {
      if (r.isEmpty()
          || r.length() > 1024
          || r.indexOf('\0') >= 0
          || r.indexOf('\\') >= 0
          || r.startsWith("/")
          || ("/" + r + "/").contains("/../")
          || ("/" + r + "/").contains("/./")
          || r.contains("//")
          || r.endsWith("/")) {
        throw new IllegalArgumentException("camera " + id + ": invalid recorder name");
      }
    });
    if (name.isBlank()) {
      throw new IllegalArgumentException("camera " + id + ": name must not be blank");
    }
    sourceUrl.ifPresent(u -> {
      if (u.isBlank() || u.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("camera " + id + ": invalid source URL");
      }
    });
    edgeUrl.ifPresent(u -> {
      if (u.isBlank() || u.length() > 4096 || u.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
        throw new IllegalArgumentException("camera " + id + ": invalid edge URL");
      }
    });
  }

  /** A camera without an edge URL. */
  public Camera(
      String id,
      String name,
      Optional<String> sourceUrl,
      Instant createdAt,
      Optional<String> recorderName) {
    this(id, name, sourceUrl, createdAt, recorderName, Optional.empty());
  }

  /** A camera whose recorder name is its id. */
  public Camera(String id, String name, Optional<String> sourceUrl, Instant createdAt) {
    this(id, name, sourceUrl, createdAt, Optional.empty(), Optional.empty());
  }

  /** A camera named after its id, with no source. */
  public static Camera of(String id, Instant createdAt) {
    return new Camera(id, id, Optional.empty(), createdAt);
  }

  /** A copy with another name. */
  public Camera withName(String newName) {
    return new Camera(id, newName, sourceUrl, createdAt, recorderName, edgeUrl);
  }

  /** A copy with another source URL. */
  public Camera withSourceUrl(String url) {
    return new Camera(id, name, Optional.of(url), createdAt, recorderName, edgeUrl);
  }

  /** A copy with a recorder name (the id again means none). */
  public Camera withRecorderName(String recorderName) {
    return new Camera(id, name, sourceUrl, createdAt, Optional.of(recorderName), edgeUrl);
  }

  /** A copy with an edge URL template (see {@link #edgeUrl()}); empty removes it. */
  public Camera withEdgeUrl(Optional<String> template) {
    return new Camera(id, name, sourceUrl, createdAt, recorderName, template);
  }

  /** The camera's name in the recorder's layout: its recorder name, else its id. */
  public String recorderNameOrId() {
    return recorderName.orElse(id);
  }

  /** Whether {@code id} is an acceptable camera id. */
  public static boolean isValidId(String id) {
    // Hand-written equivalent of ID_PATTERN: ids are checked for every row read, so no regex.
    if (id == null || id.isEmpty() || id.length() > 64) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && (i == 0 || (c != '_' && c != '-'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns {@code id} when it is valid.
   *
   * @throws InvalidCameraIdException when it is not
   */
  public static String requireValidId(String id) {
    if (!isValidId(id)) {
      throw new InvalidCameraIdException(id);
    }
    return id;
  }
}
