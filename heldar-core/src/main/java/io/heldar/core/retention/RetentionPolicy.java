package io.heldar.core.retention;

import io.heldar.core.model.Camera;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What retention keeps: global limits with per-camera overrides. A limit that is absent is not
 * enforced; a policy with no limit deletes nothing.
 *
 * @param maxAge segments that ended longer ago than this are deleted
 * @param maxBytesPerCamera a camera's segments beyond this many bytes are deleted, oldest first
 * @param minFreeBytes keep at least this many bytes free on the recordings file system
 * @param minFreePercent keep at least this share (0–100) of it free
 * @param snapshotMaxAge snapshots older than this are deleted
 * @param maxDeleteShare a sweep that would delete more than this share (0–1) of a camera's segments
 *     does not touch that camera unless forced
 * @param perCamera overrides by camera id
 */
public record RetentionPolicy(
    Optional<Duration> maxAge,
    OptionalLong maxBytesPerCamera,
    OptionalLong minFreeBytes,
    OptionalDouble minFreePercent,
    Optional<Duration> snapshotMaxAge,
    double maxDeleteShare,
    Map<String, CameraRetention> perCamera) {

  /** Default {@link #maxDeleteShare()}: half of a camera's segments. */
  public static final double DEFAULT_MAX_DELETE_SHARE = 0.5;

  /** Validates and freezes. */
  public RetentionPolicy {
    Objects.requireNonNull(maxAge, "maxAge").ifPresent(d -> positive("maxAge", d));
    Objects.requireNonNull(maxBytesPerCamera, "maxBytesPerCamera");
    Objects.requireNonNull(minFreeBytes, "minFreeBytes");
    Objects.requireNonNull(minFreePercent, "minFreePercent");
    Objects.requireNonNull(snapshotMaxAge, "snapshotMaxAge")
        .ifPresent(d -> positive("snapshotMaxAge", d));
    if (maxBytesPerCamera.isPresent() && maxBytesPerCamera.getAsLong() <= 0) {
      throw new IllegalArgumentException("maxBytesPerCamera must be positive");
    }
    if (minFreeBytes.isPresent() && minFreeBytes.getAsLong() <= 0) {
      throw new IllegalArgumentException("minFreeBytes must be positive");
    }
    if (minFreePercent.isPresent()
        && !(minFreePercent.getAsDouble() > 0 && minFreePercent.getAsDouble() < 100)) {
      throw new IllegalArgumentException("minFreePercent must be between 0 and 100");
    }
    if (!(maxDeleteShare > 0 && maxDeleteShare <= 1)) {
      throw new IllegalArgumentException("maxDeleteShare must be in (0, 1]: " + maxDeleteShare);
    }
    perCamera = Map.copyOf(perCamera);
    perCamera.keySet().forEach(Camera::requireValidId);
  }

  private static void positive(String what, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
  }

  /** The camera's maximum age (override, else global). */
  public Optional<Duration> maxAgeOf(String cameraId) {
    CameraRetention c = perCamera.get(cameraId);
    return c != null && c.maxAge().isPresent() ? c.maxAge() : maxAge;
  }

  /** The camera's byte budget (override, else global). */
  public OptionalLong maxBytesOf(String cameraId) {
    CameraRetention c = perCamera.get(cameraId);
    return c != null && c.maxBytes().isPresent() ? c.maxBytes() : maxBytesPerCamera;
  }

  /** The camera's snapshot maximum age (override, else global). */
  public Optional<Duration> snapshotMaxAgeOf(String cameraId) {
    CameraRetention c = perCamera.get(cameraId);
    return c != null && c.snapshotMaxAge().isPresent() ? c.snapshotMaxAge() : snapshotMaxAge;
  }

  /**
   * Per-camera overrides; absent values fall back to the global ones.
   *
   * @param maxAge segment maximum age
   * @param maxBytes byte budget
   * @param snapshotMaxAge snapshot maximum age
   */
  public record CameraRetention(
      Optional<Duration> maxAge, OptionalLong maxBytes, Optional<Duration> snapshotMaxAge) {
    /** Validates. */
    public CameraRetention {
      Objects.requireNonNull(maxAge, "maxAge");
      Objects.requireNonNull(maxBytes, "maxBytes");
      Objects.requireNonNull(snapshotMaxAge, "snapshotMaxAge");
    }
  }

  /** A builder with no limits and the default delete share. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from {@code policy}: change one rule of an existing policy. */
  public static Builder from(RetentionPolicy policy) {
    Builder b = new Builder();
    b.maxAge = policy.maxAge().orElse(null);
    b.maxBytes =
        policy.maxBytesPerCamera().isPresent() ? policy.maxBytesPerCamera().getAsLong() : null;
    b.minFreeBytes = policy.minFreeBytes().isPresent() ? policy.minFreeBytes().getAsLong() : null;
    b.minFreePercent =
        policy.minFreePercent().isPresent() ? policy.minFreePercent().getAsDouble() : null;
    b.snapshotMaxAge = policy.snapshotMaxAge().orElse(null);
    b.maxDeleteShare = policy.maxDeleteShare();
    b.perCamera.putAll(policy.perCamera());
    return b;
  }

  /** Builds a {@link RetentionPolicy}; setters validate. */
  public static final class Builder {
    private Duration maxAge;
    private Long maxBytes;
    private Long minFreeBytes;
    private Double minFreePercent;
    private Duration snapshotMaxAge;
    private double maxDeleteShare = DEFAULT_MAX_DELETE_SHARE;
    private final Map<String, CameraRetention> perCamera = new HashMap<>();

    private Builder() {}

    /** See {@link RetentionPolicy#maxAge()}. */
    public Builder maxAge(Duration d) {
      positive("maxAge", Objects.requireNonNull(d));
      this.maxAge = d;
      return this;
    }

    /** See {@link RetentionPolicy#maxBytesPerCamera()}. */
    public Builder maxBytesPerCamera(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxBytesPerCamera must be positive");
      }
      this.maxBytes = bytes;
      return this;
    }

    /** See {@link RetentionPolicy#minFreeBytes()}. */
    public Builder minFreeBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("minFreeBytes must be positive");
      }
      this.minFreeBytes = bytes;
      return this;
    }

    /** See {@link RetentionPolicy#minFreePercent()}. */
    public Builder minFreePercent(double percent) {
      if (!(percent > 0 && percent < 100)) {
        throw new IllegalArgumentException("minFreePercent must be between 0 and 100");
      }
      this.minFreePercent = percent;
      return this;
    }

    /** See {@link RetentionPolicy#snapshotMaxAge()}. */
    public Builder snapshotMaxAge(Duration d) {
      positive("snapshotMaxAge", Objects.requireNonNull(d));
      this.snapshotMaxAge = d;
      return this;
    }

    /** See {@link RetentionPolicy#maxDeleteShare()}. */
    public Builder maxDeleteShare(double share) {
      if (!(share > 0 && share <= 1)) {
        throw new IllegalArgumentException("maxDeleteShare must be in (0, 1]: " + share);
      }
      this.maxDeleteShare = share;
      return this;
    }

    /** Overrides for one camera. */
    public Builder camera(String cameraId, CameraRetention rules) {
      perCamera.put(Camera.requireValidId(cameraId), Objects.requireNonNull(rules, "rules"));
      return this;
    }

    /** The policy. */
    public RetentionPolicy build() {
      return new RetentionPolicy(
          Optional.ofNullable(maxAge),
          maxBytes == null ? OptionalLong.empty() : OptionalLong.of(maxBytes),
          minFreeBytes == null ? OptionalLong.empty() : OptionalLong.of(minFreeBytes),
          minFreePercent == null ? OptionalDouble.empty() : OptionalDouble.of(minFreePercent),
          Optional.ofNullable(snapshotMaxAge),
          maxDeleteShare,
          perCamera);
    }
  }
}
