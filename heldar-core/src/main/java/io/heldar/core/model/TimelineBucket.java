package io.heldar.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A 15-minute roll-up of one camera's timeline, kept by the store.
 *
 * @param start the bucket's start, a multiple of 15 minutes since the epoch
 * @param recorded footage inside the bucket
 * @param segments segments that start inside it
 * @param bytes bytes of those segments
 * @param snapshots snapshots taken inside it
 */
public record TimelineBucket(
    Instant start, Duration recorded, long segments, long bytes, long snapshots) {
  /** Bucket length. */
  public static final Duration LENGTH = Duration.ofMinutes(15);

  /** Validates every component. */
  public TimelineBucket {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(recorded, "recorded");
  }
}
