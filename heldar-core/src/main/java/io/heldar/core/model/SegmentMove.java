package io.heldar.core.model;

import java.util.Objects;

/**
 * A move of a segment's file to another storage tier that has begun and not yet finished: the row
 * names its target ({@code segments.move_to}) from before the copy until the source is unlinked.
 *
 * @param segment the segment as stored now ({@link Segment#tier()} is where the index says it lives)
 * @param target the tier the move goes to
 */
public record SegmentMove(Segment segment, String target) {
  /** Validates. */
  public SegmentMove {
    Objects.requireNonNull(segment, "segment");
    Segment.requireTierName(target);
  }

  /** Whether the index already names the target (the location changed; the source may remain). */
  public boolean relocated() {
    return segment.tier().filter(target::equals).isPresent();
  }
}
