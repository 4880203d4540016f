package io.heldar.core.clip;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a time-lapse holds: its frames, the slots it has no frame for (and why), its size and
 * SHA-256.
 *
 * @param request what was asked for
 * @param file the file's name
 * @param frames the frames (slots with a usable snapshot)
 * @param missing the slots without one, in time order
 * @param width the picture width
 * @param height the picture height
 * @param bytes the file's size
 * @param sha256 the file's SHA-256 (lower-case hex)
 */
public record TimelapseReport(
    TimelapseRequest request,
    String file,
    long frames,
    List<MissingSlot> missing,
    int width,
    int height,
    long bytes,
    String sha256) {
  /** A slot of the grid without a frame, and why: no snapshot, a file gone, not a JPEG... */
  public record MissingSlot(Instant slot, String reason) {
    /** Checks the fields. */
    public MissingSlot {
      Objects.requireNonNull(slot, "slot");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Copies the list. */
  public TimelapseReport {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(file, "file");
    missing = List.copyOf(missing);
    Objects.requireNonNull(sha256, "sha256");
  }
}
