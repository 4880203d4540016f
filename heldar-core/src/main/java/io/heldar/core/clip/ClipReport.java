package io.heldar.core.clip;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a clip holds and what it does not: its parts, the gaps of the requested range with their
 * causes, and every source segment with its hash. {@link ClipManifest#of} turns it into the
 * evidence file.
 *
 * @param request what was asked for
 * @param parts the playable files, in time order
 * @param gaps the stretches of the range without footage, in time order
 * @param sources the segments the footage came from, in time order
 * @param leftOut the segments of the range that gave nothing, each with why (an overlapping
 *     segment already gave their footage; none of their sync samples falls in the range)
 * @param createdAt when the clip was made (the Heldar clock)
 */
public record ClipReport(
    ClipRequest request,
    List<ClipPart> parts,
    List<ClipGap> gaps,
    List<ClipSource> sources,
    List<LeftOut> leftOut,
    Instant createdAt) {
  /** A segment of the range that gave no footage, and why. */
  public record LeftOut(String path, String reason) {
    /** Checks the fields. */
    public LeftOut {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Copies the lists. */
  public ClipReport {
    Objects.requireNonNull(request, "request");
    parts = List.copyOf(parts);
    gaps = List.copyOf(gaps);
    sources = List.copyOf(sources);
    leftOut = List.copyOf(leftOut);
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** The bytes written, all parts. */
  public long bytes() {
    return parts.stream().mapToLong(p -> p.bytes().orElse(0L)).sum();
  }

  /** The video frames delivered, all parts. */
  public long frames() {
    return parts.stream().mapToLong(ClipPart::frames).sum();
  }
}
