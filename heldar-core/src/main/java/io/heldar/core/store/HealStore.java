package io.heldar.core.store;

import io.heldar.core.heal.HealAttempt;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code gap_heals} table: what the gap healer did with each range it tried. */
public interface HealStore {
  /** Inserts the attempt, or replaces the one of the same camera and range start. */
  void record(HealAttempt attempt);

  /** The attempt of {@code cameraId}'s range starting at {@code from}. */
  Optional<HealAttempt> find(String cameraId, Instant from);

  /**
   * The attempts of a camera whose range has {@code start < to} and {@code end > from}, ordered by
   * range start, at most {@code limit}.
   */
  List<HealAttempt> overlapping(String cameraId, Instant from, Instant to, int limit);
}
