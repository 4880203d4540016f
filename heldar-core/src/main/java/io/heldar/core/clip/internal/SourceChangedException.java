package io.heldar.core.clip.internal;

/**
 * A source segment changed between planning a part and copying it (it vanished, shrank or was
 * rewritten): the part is made again from a new plan, where the segment becomes a gap.
 */
final class SourceChangedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SourceChangedException(String message) {
    super(message, null, false, false);
  }
}
