package io.heldar.core.timeline;

import io.heldar.core.model.Segment;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a camera's segments in a range.
 *
 * @param segments in start order
 * @param next where the next page starts (pass it back as {@code after}); empty on the last page
 */
public record SegmentPage(List<Segment> segments, Optional<Segment> next) {
  /** Freezes. */
  public SegmentPage {
    segments = List.copyOf(segments);
    Objects.requireNonNull(next, "next");
  }
}
