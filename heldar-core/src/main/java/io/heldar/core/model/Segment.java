package io.heldar.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One closed, indexed recording file.
 *
 * @param cameraId the camera that recorded it
 * @param path the file's path relative to the recordings root, {@code /}-separated and starting
 *     with the camera id ({@code front-door/20261121T101500Z.mp4}); unique across the index
 * @param start the instant the footage starts (from the file name)
 * @param end {@code start} plus the probed duration
 * @param media what the probe found
 * @param sizeBytes the file size when it was indexed
 * @param fileModified the file's modification time when it was indexed
 * @param locked whether retention must keep it
 * @param incidentId the incident that holds it, if any
 * @param indexedAt when it was indexed
 */
public record Segment(
    String cameraId,
    String path,
    Instant start,
    Instant end,
    MediaInfo media,
    long sizeBytes,
    Instant fileModified,
    boolean locked,
    Optional<String> incidentId,
    Instant indexedAt) {

  /** Validates every component. */
  public Segment {
    Camera.requireValidId(cameraId);
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(media, "media");
    Objects.requireNonNull(fileModified, "fileModified");
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(indexedAt, "indexedAt");
    RelativePaths.requireRelative(path);
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException(
          "segment " + path + ": end " + end + " not after start " + start);
    }
    if (sizeBytes <= 0) {
      throw new IllegalArgumentException("segment " + path + ": size must be positive");
    }
  }

  /** A new, unlocked segment whose end is {@code start + media.duration()}. */
  public static Segment of(
      String cameraId,
      String path,
      Instant start,
      MediaInfo media,
      long sizeBytes,
      Instant fileModified,
      Instant indexedAt) {
    return new Segment(
        cameraId,
        path,
        start,
        start.plus(media.duration()),
        media,
        sizeBytes,
        fileModified,
        false,
        Optional.empty(),
        indexedAt);
  }

  /** {@code end - start}. */
  public Duration duration() {
    return Duration.between(start, end);
  }
}
