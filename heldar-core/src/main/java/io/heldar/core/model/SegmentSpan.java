package io.heldar.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What a timeline page shows of a segment: its file, the time its footage covers and its size;
 * everything else ({@link MediaInfo}, bookkeeping) stays in the store until asked for with
 * {@link io.heldar.core.store.SegmentStore#findByPath}. Reading four columns instead of sixteen is
 * what keeps a range query of thousands of segments within a couple of milliseconds.
 *
 * @param path the root-relative path
 * @param start when the footage starts
 * @param end when it ends (after {@code start})
 * @param sizeBytes the file's size
 */
public record SegmentSpan(String path, Instant start, Instant end, long sizeBytes) {
  /** Validates every component. */
  public SegmentSpan {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException(
          "span end " + end + " not after start " + start + ": " + path);
    }
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("negative size: " + path);
    }
  }

  /** The span of {@code segment}. */
  public static SegmentSpan of(Segment segment) {
    return new SegmentSpan(segment.path(), segment.start(), segment.end(), segment.sizeBytes());
  }
}
