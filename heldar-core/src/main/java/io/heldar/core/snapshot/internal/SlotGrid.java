package io.heldar.core.snapshot.internal;

import io.heldar.core.snapshot.MisfirePolicy;
import java.time.Duration;
import java.time.Instant;

/**
 * The slot grid of snapshot schedules, as pure arithmetic: no clock, no thread, no store. Slots of
 * a schedule with interval {@code i} are the instants {@code k × i} since the epoch (UTC
 * milliseconds), so every process and every restart agrees on them; what is due at an instant, and
 * what to do about it, is decided here and carried out by {@link GridSnapshotScheduler}.
 */
final class SlotGrid {
  private SlotGrid() {}

  /** The first slot at or after {@code t} (a sub-millisecond rest counts as after). */
  @SuppressWarnings(
      "JavaInstantGetSecondsGetNano") // the nano part alone: is there a sub-millisecond rest?
  static Instant firstAtOrAfter(Instant t, Duration interval) {
    long iv = interval.toMillis();
    long ms = t.toEpochMilli() + (t.getNano() % 1_000_000 == 0 ? 0 : 1);
    return Instant.ofEpochMilli(Math.floorDiv(ms + iv - 1, iv) * iv);
  }

  /** The first slot strictly after {@code t}. */
  static Instant firstAfter(Instant t, Duration interval) {
    long iv = interval.toMillis();
    return Instant.ofEpochMilli((Math.floorDiv(t.toEpochMilli(), iv) + 1) * iv);
  }

  /**
   * What to do with a schedule whose next slot is {@code nextSlot} at {@code now}; empty-handed
   * ({@link Wait}) when the slot is still ahead.
   *
   * @param busy whether the schedule's previous capture is still running
   */
  static Decision decide(
      Instant nextSlot,
      Instant now,
      Duration interval,
      boolean busy,
      Duration misfireThreshold,
      MisfirePolicy policy) {
    if (now.isBefore(nextSlot)) {
      return new Wait(nextSlot);
    }
    long iv = interval.toMillis();
    long due = (now.toEpochMilli() - nextSlot.toEpochMilli()) / iv + 1;
    Instant latest = nextSlot.plusMillis((due - 1) * iv);
    Instant next = latest.plusMillis(iv);
    if (busy) {
      return new Skip(due, next, "previous capture still running");
    }
    boolean misfire = due > 1 || Duration.between(latest, now).compareTo(misfireThreshold) > 0;
    if (misfire && policy == MisfirePolicy.SKIP_TO_NEXT) {
      return new Skip(due, next, "misfire, skipped to the next slot");
    }
    return new Fire(latest, due - 1, next);
  }

  /** What a tick does with one schedule. */
  sealed interface Decision {
    /** The schedule's next slot after this decision. */
    Instant next();
  }

  /** Nothing is due yet. */
  record Wait(Instant next) implements Decision {}

  /**
   * Capture {@code slot}; {@code missedBefore} earlier slots were due too and are missed (fired
   * once for all of them).
   */
  record Fire(Instant slot, long missedBefore, Instant next) implements Decision {}

  /** {@code missed} slots are missed, for {@code why}; nothing is captured. */
  record Skip(long missed, Instant next, String why) implements Decision {}
}
