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
 * @param tier where the file lives: empty for the recordings root (where it was indexed), else the
 *     name of the storage tier it was moved to; the file is {@code tierRoot.resolve(path)} either
 *     way, so a move keeps the path (see {@link io.heldar.core.tier.StorageTiers#resolve})
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
    Instant indexedAt,
    Optional<String> tier) {

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
    Objects.requireNonNull(tier, "tier").ifPresent(Segment::requireTierName);
    RelativePaths.requireRelative(path);
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException(
          "segment " + path + ": end " + end + " not after start " + start);
    }
    if (sizeBytes <= 0) {
      throw new IllegalArgumentException("segment " + path + ": size must be positive");
    }
  }

  /** A segment in the recordings root (no {@link #tier()}). */
  public Segment(
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
    this(
        cameraId,
        path,
        start,
        end,
        media,
        sizeBytes,
        fileModified,
        locked,
        incidentId,
        indexedAt,
        Optional.empty());
  }

  /** Tier names: like camera ids ({@code ^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$}). */
  public static String requireTierName(String name) {
    if (name == null || !Camera.isValidId(name)) {
      throw new IllegalArgumentException(
          "invalid tier name " + PrintableText.of(String.valueOf(name))
              + ": letters, digits, '_' and '-', at most 64, starting with a letter or digit");
    }
    return name;
  }

  /** This segment, living on {@code tier} (empty: the recordings root). */
  public Segment onTier(Optional<String> tier) {
    return new Segment(
        cameraId,
        path,
        start,
        end,
        media,
        sizeBytes,
        fileModified,
        locked,
        incidentId,
        indexedAt,
        tier);
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
