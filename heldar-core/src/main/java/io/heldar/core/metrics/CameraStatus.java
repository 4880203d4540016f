package io.heldar.core.metrics;

import java.util.Objects;

/**
 * Whether a camera's footage keeps arriving, and why not.
 *
 * @param state fresh, stale, failing, or no footage yet
 * @param reason one line for an operator (what was seen, since when)
 */
public record CameraStatus(State state, String reason) {
  /** The camera's condition. */
  public enum State {
    /** New footage is indexed as often as the camera records it. */
    FRESH,
    /** No new footage for several times the camera's usual segment length. */
    STALE,
    /** Its directory cannot be scanned, or its recent snapshots all failed. */
    FAILING,
    /** Nothing of it has been indexed yet. */
    NO_FOOTAGE
  }

  /** Validates every component. */
  public CameraStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
  }

  /** Whether an operator should look ({@link State#STALE} or {@link State#FAILING}). */
  public boolean needsAttention() {
    return state == State.STALE || state == State.FAILING;
  }
}
