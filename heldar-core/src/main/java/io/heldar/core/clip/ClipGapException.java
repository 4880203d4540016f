package io.heldar.core.clip;

import java.util.List;

/** The range has gaps and the request said {@link GapPolicy#FAIL}: nothing was written. */
public final class ClipGapException extends ClipException {
  private static final long serialVersionUID = 1L;
  private final transient List<ClipGap> gaps;

  /** The message and the gaps found. */
  public ClipGapException(String message, List<ClipGap> gaps) {
    super(message);
    this.gaps = List.copyOf(gaps);
  }

  /** The gaps found. */
  public List<ClipGap> gaps() {
    return gaps;
  }
}
