package io.heldar.core.tier;

import io.heldar.core.model.Camera;
import io.heldar.core.model.Segment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One storage tier: a root directory and the rules that move a camera's footage on to the next tier.
 * A rule that is absent is not enforced. The last tier has no move rules: footage leaves it only by
 * {@link io.heldar.core.retention.RetentionPolicy retention}.
 *
 * @param name the tier's name ({@code hot}, {@code nas}…), stored in {@code segments.tier} for every
 *     tier but the first; letters, digits, {@code _} and {@code -}
 * @param root the directory; a segment's file on this tier is {@code root} plus its path
 * @param moveAfter a segment that ended longer ago than this moves on
 * @param maxBytesPerCamera a camera's segments on this tier beyond this many bytes move on, oldest
 *     first
 * @param minFreeBytes keep at least this many bytes free on the tier's file system, moving the
 *     oldest footage of any camera on
 * @param minFreePercent keep at least this share (0–100) of it free
 * @param perCamera overrides of {@code moveAfter} and {@code maxBytesPerCamera} by camera id
 */
public record StorageTier(
    String name,
    Path root,
    Optional<Duration> moveAfter,
    OptionalLong maxBytesPerCamera,
    OptionalLong minFreeBytes,
    OptionalDouble minFreePercent,
    Map<String, CameraTierRules> perCamera) {

  /** Validates and freezes; the root is made absolute and normal. */
  public StorageTier {
    Segment.requireTierName(name);
    root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    Objects.requireNonNull(moveAfter, "moveAfter").ifPresent(d -> positive("moveAfter", d));
    Objects.requireNonNull(maxBytesPerCamera, "maxBytesPerCamera");
    Objects.requireNonNull(minFreeBytes, "minFreeBytes");
    Objects.requireNonNull(minFreePercent, "minFreePercent");
    if (maxBytesPerCamera.isPresent() && maxBytesPerCamera.getAsLong() <= 0) {
      throw new IllegalArgumentException("tier " + name + ": maxBytesPerCamera must be positive");
    }
    if (minFreeBytes.isPresent() && minFreeBytes.getAsLong() <= 0) {
      throw new IllegalArgumentException("tier " + name + ": minFreeBytes must be positive");
    }
    if (minFreePercent.isPresent()
        && !(minFreePercent.getAsDouble() > 0 && minFreePercent.getAsDouble() < 100)) {
      throw new IllegalArgumentException("tier " + name + ": minFreePercent must be in (0, 100)");
    }
    perCamera = Map.copyOf(perCamera);
    perCamera.keySet().forEach(Camera::requireValidId);
  }

  private static void positive(String what, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
  }

  /** Whether any rule moves footage off this tier. */
  public boolean hasMoveRules() {
    return moveAfter.isPresent()
        || maxBytesPerCamera.isPresent()
        || minFreeBytes.isPresent()
        || minFreePercent.isPresent()
        || perCamera.values().stream()
            .anyMatch(r -> r.moveAfter().isPresent() || r.maxBytes().isPresent());
  }

  /** The camera's move age on this tier (override, else the tier's). */
  public Optional<Duration> moveAfterOf(String cameraId) {
    CameraTierRules c = perCamera.get(cameraId);
    return c != null && c.moveAfter().isPresent() ? c.moveAfter() : moveAfter;
  }

  /** The camera's byte budget on this tier (override, else the tier's). */
  public OptionalLong maxBytesOf(String cameraId) {
    CameraTierRules c = perCamera.get(cameraId);
    return c != null && c.maxBytes().isPresent() ? c.maxBytes() : maxBytesPerCamera;
  }

  /**
   * A camera's overrides on one tier; absent values fall back to the tier's.
   *
   * @param moveAfter the camera's move age
   * @param maxBytes the camera's byte budget on the tier
   */
  public record CameraTierRules(Optional<Duration> moveAfter, OptionalLong maxBytes) {
    /** Validates. */
    public CameraTierRules {
      Objects.requireNonNull(moveAfter, "moveAfter").ifPresent(d -> positive("moveAfter", d));
      Objects.requireNonNull(maxBytes, "maxBytes");
      if (maxBytes.isPresent() && maxBytes.getAsLong() <= 0) {
        throw new IllegalArgumentException("maxBytes must be positive");
      }
    }
  }

  /** A builder of a tier named {@code name} at {@code root}, with no rules. */
  public static Builder builder(String name, Path root) {
    return new Builder(name, root);
  }

  /** Builds a {@link StorageTier}; setters validate. */
  public static final class Builder {
    private final String name;
    private final Path root;
    private Duration moveAfter;
    private Long maxBytes;
    private Long minFreeBytes;
    private Double minFreePercent;
    private final Map<String, CameraTierRules> perCamera = new HashMap<>();

    private Builder(String name, Path root) {
      this.name = Segment.requireTierName(name);
      this.root = Objects.requireNonNull(root, "root");
    }

    /** See {@link StorageTier#moveAfter()}. */
    public Builder moveAfter(Duration d) {
      positive("moveAfter", Objects.requireNonNull(d, "moveAfter"));
      this.moveAfter = d;
      return this;
    }

    /** See {@link StorageTier#maxBytesPerCamera()}. */
    public Builder maxBytesPerCamera(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxBytesPerCamera must be positive");
      }
      this.maxBytes = bytes;
      return this;
    }

    /** See {@link StorageTier#minFreeBytes()}. */
    public Builder minFreeBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("minFreeBytes must be positive");
      }
      this.minFreeBytes = bytes;
      return this;
    }

    /** See {@link StorageTier#minFreePercent()}. */
    public Builder minFreePercent(double percent) {
      if (!(percent > 0 && percent < 100)) {
        throw new IllegalArgumentException("minFreePercent must be between 0 and 100");
      }
      this.minFreePercent = percent;
      return this;
    }

    /** Overrides for one camera. */
    public Builder camera(String cameraId, CameraTierRules rules) {
      perCamera.put(Camera.requireValidId(cameraId), Objects.requireNonNull(rules, "rules"));
      return this;
    }

    /** The tier. */
    public StorageTier build() {
      return new StorageTier(
          name,
          root,
          Optional.ofNullable(moveAfter),
          maxBytes == null ? OptionalLong.empty() : OptionalLong.of(maxBytes),
          minFreeBytes == null ? OptionalLong.empty() : OptionalLong.of(minFreeBytes),
          minFreePercent == null ? OptionalDouble.empty() : OptionalDouble.of(minFreePercent),
          perCamera);
    }
  }
}
