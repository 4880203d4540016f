package io.heldar.core.tier;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one round of tier moves did.
 *
 * @param planned the moves planned, with their reasons
 * @param moved segments whose file now lives on the next tier
 * @param bytes bytes moved
 * @param failed moves that failed (each raised {@code tier_move_failed}); the segment stays where it was
 * @param finished moves a crash or stop had interrupted, finished or undone this round
 * @param unavailable tiers that could not be used this round, with the reason (moves to or from
 *     them wait)
 */
public record MoveReport(
    List<PlannedMove> planned,
    int moved,
    long bytes,
    int failed,
    int finished,
    Map<String, String> unavailable) {
  /** Freezes. */
  public MoveReport {
    planned = List.copyOf(planned);
    unavailable = Map.copyOf(Objects.requireNonNull(unavailable, "unavailable"));
  }
}
