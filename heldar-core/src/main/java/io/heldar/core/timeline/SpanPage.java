package io.heldar.core.timeline;

import io.heldar.core.model.SegmentSpan;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a camera's segment spans in a range.
 *
 * @param spans in start order (then path)
 * @param next where the next page starts (pass it back as {@code after}); empty on the last page
 */
public record SpanPage(List<SegmentSpan> spans, Optional<SegmentSpan> next) {
  /** Freezes. */
  public SpanPage {
    spans = List.copyOf(spans);
    Objects.requireNonNull(next, "next");
  }
}
