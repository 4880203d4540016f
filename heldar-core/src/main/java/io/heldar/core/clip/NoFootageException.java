package io.heldar.core.clip;

import java.util.List;

/** The range holds no footage that can be read: what is there instead is in {@link #gaps()}. */
public final class NoFootageException extends ClipException {
  private static final long serialVersionUID = 1L;
  private final transient List<ClipGap> gaps;

  /** The message and the gaps the range consists of. */
  public NoFootageException(String message, List<ClipGap> gaps) {
    super(message);
    this.gaps = List.copyOf(gaps);
  }

  /** The gaps the range consists of. */
  public List<ClipGap> gaps() {
    return gaps;
  }
}
