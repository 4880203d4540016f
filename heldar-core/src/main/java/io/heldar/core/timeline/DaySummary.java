package io.heldar.core.timeline;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * One local day of a camera.
 *
 * @param date the day in the requested zone
 * @param start its first instant
 * @param end the next day's first instant (23 or 25 hours later at DST changes)
 * @param recorded footage inside the day
 * @param gaps open gaps overlapping the day
 * @param gapTime their time inside the day
 * @param segments segments starting inside the day
 * @param bytes their bytes
 * @param snapshots snapshots taken inside the day
 */
public record DaySummary(
    LocalDate date,
    Instant start,
    Instant end,
    Duration recorded,
    int gaps,
    Duration gapTime,
    long segments,
    long bytes,
    long snapshots) {
  /** The day's length. */
  public Duration length() {
    return Duration.between(start, end);
  }
}
