package io.heldar.http;

import java.security.KeyPair;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link HeldarApiServlet} answers: its bearer token, whether probes may skip it, and the
 * bounds of one response. Immutable; build with {@link #builder()}, change one setting of an
 * existing one with {@link #from(HttpApiOptions)}.
 *
 * @param token the bearer token every request must carry ({@code Authorization: Bearer ...}); none
 *     means no check, which only a loopback listener should serve
 * @param openProbes whether {@code /health} and {@code /metrics} answer without the token (for
 *     probes that cannot send a header); the API keeps it
 * @param maxRange the longest range one timeline or segments request covers
 * @param maxDays the most days one days request covers
 * @param maxTimelineItems runs plus gaps one timeline response holds at most
 * @param maxPageSize segments or events per page at most
 * @param maxHealthWarnings cameras {@code /health} lists by name at most
 * @param maxClipLength the longest range one clip request ({@code clip.mp4}, {@code clip.json},
 *     {@code /get}) covers
 * @param maxConcurrentClips clips served at once; a request beyond it gets 429 with {@code
 *     Retry-After}
 * @param clipSigningKey the Ed25519 key {@code clip.json} manifests are signed with, if any
 */
public record HttpApiOptions(
    Optional<String> token,
    boolean openProbes,
    Duration maxRange,
    int maxDays,
    int maxTimelineItems,
    int maxPageSize,
    int maxHealthWarnings,
    Duration maxClipLength,
    int maxConcurrentClips,
    Optional<KeyPair> clipSigningKey) {
  /** The shortest token accepted. */
  public static final int MIN_TOKEN_LENGTH = 16;

  /** By default {@code /health} and {@code /metrics} need the token like the rest. */
  public static final boolean DEFAULT_OPEN_PROBES = false;

  public static final Duration DEFAULT_MAX_RANGE = Duration.ofDays(31);
  public static final int DEFAULT_MAX_DAYS = 366;
  public static final int DEFAULT_MAX_TIMELINE_ITEMS = 10_000;
  public static final int DEFAULT_MAX_PAGE_SIZE = 1000;
  public static final int DEFAULT_MAX_HEALTH_WARNINGS = HealthReport.DEFAULT_MAX_WARNINGS;

  /** A day of footage per clip request by default. */
  public static final Duration DEFAULT_MAX_CLIP_LENGTH = Duration.ofDays(1);

  /** Two clips at once by default: each reads a disk as fast as it can. */
  public static final int DEFAULT_MAX_CONCURRENT_CLIPS = 2;

  /** Checks every setting. */
  public HttpApiOptions {
    Objects.requireNonNull(token, "token").ifPresent(HttpApiOptions::checkToken);
    Objects.requireNonNull(maxRange, "maxRange");
    if (maxRange.isNegative() || maxRange.isZero()) {
      throw new IllegalArgumentException("maxRange must be positive: " + maxRange);
    }
    positive("maxDays", maxDays);
    positive("maxTimelineItems", maxTimelineItems);
    positive("maxPageSize", maxPageSize);
    if (maxHealthWarnings < 0) {
      throw new IllegalArgumentException("maxHealthWarnings must not be negative");
    }
    positive("maxClipLength", maxClipLength);
    positive("maxConcurrentClips", maxConcurrentClips);
    Objects.requireNonNull(clipSigningKey, "clipSigningKey");
  }

  private static void positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  /** The defaults: no token, probes behind the token if there is one, the default bounds. */
  public static HttpApiOptions defaults() {
    return builder().build();
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1: " + value);
    }
  }

  private static void checkToken(String t) {
    if (t.length() < MIN_TOKEN_LENGTH) {
      throw new IllegalArgumentException(
          "the HTTP token must be at least " + MIN_TOKEN_LENGTH + " characters");
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException(
            "the HTTP token must be printable ASCII without spaces (character " + (i + 1) + ")");
      }
    }
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from {@code existing}. */
  public static Builder from(HttpApiOptions existing) {
    Builder b = new Builder();
    b.token = existing.token;
    b.openProbes = existing.openProbes;
    b.maxRange = existing.maxRange;
    b.maxDays = existing.maxDays;
    b.maxTimelineItems = existing.maxTimelineItems;
    b.maxPageSize = existing.maxPageSize;
    b.maxHealthWarnings = existing.maxHealthWarnings;
    b.maxClipLength = existing.maxClipLength;
    b.maxConcurrentClips = existing.maxConcurrentClips;
    b.clipSigningKey = existing.clipSigningKey;
    return b;
  }

  /** Builds {@link HttpApiOptions}; each setter checks its value at once. */
  public static final class Builder {
    private Optional<String> token = Optional.empty();
    private boolean openProbes = DEFAULT_OPEN_PROBES;
    private Duration maxRange = DEFAULT_MAX_RANGE;
    private int maxDays = DEFAULT_MAX_DAYS;
    private int maxTimelineItems = DEFAULT_MAX_TIMELINE_ITEMS;
    private int maxPageSize = DEFAULT_MAX_PAGE_SIZE;
    private int maxHealthWarnings = DEFAULT_MAX_HEALTH_WARNINGS;
    private Duration maxClipLength = DEFAULT_MAX_CLIP_LENGTH;
    private int maxConcurrentClips = DEFAULT_MAX_CONCURRENT_CLIPS;
    private Optional<KeyPair> clipSigningKey = Optional.empty();

    private Builder() {}

    /** The bearer token (at least {@value #MIN_TOKEN_LENGTH} printable characters), or none. */
    public Builder token(Optional<String> token) {
      Objects.requireNonNull(token, "token").ifPresent(HttpApiOptions::checkToken);
      this.token = token;
      return this;
    }

    /** Whether {@code /health} and {@code /metrics} answer without the token. */
    public Builder openProbes(boolean openProbes) {
      this.openProbes = openProbes;
      return this;
    }

    /** The longest range of one timeline or segments request. */
    public Builder maxRange(Duration maxRange) {
      Objects.requireNonNull(maxRange, "maxRange");
      if (maxRange.isNegative() || maxRange.isZero()) {
        throw new IllegalArgumentException("maxRange must be positive: " + maxRange);
      }
      this.maxRange = maxRange;
      return this;
    }

    /** The most days of one days request. */
    public Builder maxDays(int maxDays) {
      positive("maxDays", maxDays);
      this.maxDays = maxDays;
      return this;
    }

    /** Runs plus gaps of one timeline response at most. */
    public Builder maxTimelineItems(int maxTimelineItems) {
      positive("maxTimelineItems", maxTimelineItems);
      this.maxTimelineItems = maxTimelineItems;
      return this;
    }

    /** Segments or events per page at most. */
    public Builder maxPageSize(int maxPageSize) {
      positive("maxPageSize", maxPageSize);
      this.maxPageSize = maxPageSize;
      return this;
    }

    /** Cameras {@code /health} names at most. */
    public Builder maxHealthWarnings(int maxHealthWarnings) {
      if (maxHealthWarnings < 0) {
        throw new IllegalArgumentException("maxHealthWarnings must not be negative");
      }
      this.maxHealthWarnings = maxHealthWarnings;
      return this;
    }

    /** The options. */
    /** The longest range one clip request covers. */
    public Builder maxClipLength(Duration maxClipLength) {
      positive("maxClipLength", maxClipLength);
      this.maxClipLength = maxClipLength;
      return this;
    }

    /** Clips served at once; beyond it, 429 with {@code Retry-After}. */
    public Builder maxConcurrentClips(int maxConcurrentClips) {
      positive("maxConcurrentClips", maxConcurrentClips);
      this.maxConcurrentClips = maxConcurrentClips;
      return this;
    }

    /** Signs {@code clip.json} manifests with this Ed25519 key pair. */
    public Builder clipSigningKey(Optional<KeyPair> clipSigningKey) {
      this.clipSigningKey = Objects.requireNonNull(clipSigningKey, "clipSigningKey");
      return this;
    }

    public HttpApiOptions build() {
      return new HttpApiOptions(
          token,
          openProbes,
          maxRange,
          maxDays,
          maxTimelineItems,
          maxPageSize,
          maxHealthWarnings,
          maxClipLength,
          maxConcurrentClips,
          clipSigningKey);
    }
  }
}
