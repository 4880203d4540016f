package io.heldar.core.snapshot;

/**
 * What a schedule does when it finds it missed its slot (after downtime, a stall, or a wall clock
 * jumping forward): never a burst of catch-up captures.
 */
public enum MisfirePolicy {
  /** Capture once, now, for the latest slot that is due; then back on the grid. (Default.) */
  FIRE_ONCE,
  /** Capture nothing for the missed slots; wait for the next slot on the grid. */
  SKIP_TO_NEXT
}
