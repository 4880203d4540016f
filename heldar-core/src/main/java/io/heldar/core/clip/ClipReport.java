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
 * @param createdAt when the clip was made (the Heldar clock)
 */
public record ClipReport(
    ClipRequest request,
    List<ClipPart> parts,
    List<ClipGap> gaps,
    List<ClipSource> sources,
    Instant createdAt) {
  /** Copies the lists. */
  public ClipReport {
    Objects.requireNonNull(request, "request");
    parts = List.copyOf(parts);
    gaps = List.copyOf(gaps);
    sources = List.copyOf(sources);
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
