package io.heldar.core.clip;

/** What a clip does where its range has no footage. */
public enum GapPolicy {
  /** Ends the part at each gap: the footage after it is the next part (its own file). */
  SPLIT,
  /** Leaves gaps out: the footage on either side plays back to back in one part. */
  SKIP,
  /** Refuses a range with any gap ({@link ClipGapException}); nothing is written. */
  FAIL
}
