package io.heldar.core.heal;

import io.heldar.core.model.Camera;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Footage a camera keeps on its own storage (an SD card, an NVR's disk: "edge storage", ONVIF
 * replay), fetched back for a range so a gap in the recordings can be healed. Implementations:
 * {@code heldar-ffmpeg}'s {@code HttpEdgeSource} (a playback URL template: MediaMTX's {@code /get},
 * cameras' HTTP export) and the host's own.
 *
 * <p>An implementation writes what the edge has for the range into {@code sink} as one MP4 (or
 * fragmented MP4), within the request's timeout and size limit, and says what happened. It never
 * throws for the edge's failures: those are {@link EdgeFetch} outcomes, which the healer records and
 * retries. Heldar checks the footage before it lands (probe, range, overlap, codec).
 */
@FunctionalInterface
public interface EdgeSource {
  /**
   * Fetches {@code request}'s range into {@code sink} (an empty file Heldar created).
   *
   * @throws InterruptedException when Heldar stops meanwhile
   */
  EdgeFetch fetch(Request request, Path sink) throws InterruptedException;

  /** Whether this source has footage of {@code camera} at all (default: every camera). */
  default boolean covers(Camera camera) {
    return true;
  }

  /**
   * What the heal history records as the source of {@code camera}'s footage: short, and without
   * credentials (default: the class's simple name). HTTP and RTSP adapters give the scheme, host
   * and port.
   */
  default String describe(Camera camera) {
    return getClass().getSimpleName();
  }

  /**
   * One fetch.
   *
   * @param camera the camera
   * @param from the start of the range
   * @param to its end (exclusive)
   * @param timeout the most the fetch may take, all in all
   * @param maxBytes the most bytes it may write
   * @param bytesPerSecond the most bytes a second it should read from the edge ({@code 0}: as fast
   *     as it comes), so healing does not starve the camera's live stream
   */
  record Request(
      Camera camera,
      Instant from,
      Instant to,
      Duration timeout,
      long maxBytes,
      long bytesPerSecond) {
    /** Validates. */
    public Request {
      Objects.requireNonNull(camera, "camera");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(timeout, "timeout");
      if (!to.isAfter(from)) {
        throw new IllegalArgumentException("edge range " + from + ".." + to + " is empty");
      }
      if (maxBytes <= 0) {
        throw new IllegalArgumentException("maxBytes must be positive");
      }
      if (bytesPerSecond < 0) {
        throw new IllegalArgumentException("bytesPerSecond must be 0 (unbounded) or positive");
      }
    }
  }
}
