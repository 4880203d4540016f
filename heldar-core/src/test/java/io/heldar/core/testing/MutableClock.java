package io.heldar.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests set and advance. */
public final class MutableClock extends Clock {
  private volatile Instant now;
  private volatile long monotonicNanos;

  /** A clock at {@code now}. */
  public MutableClock(Instant now) {
    this.now = now;
  }

  /** Sets the time (forward or back). */
  public void set(Instant t) {
    now = t;
  }

  /** Moves the time by {@code d}. */
  public synchronized void advance(Duration d) {
    now = now.plus(d);
    if (!d.isNegative()) {
      monotonicNanos += d.toNanos();
    }
  }

  /**
   * A monotonic reading that moves with {@link #advance} only: {@link #set} is a step of the wall
   * clock (like an NTP correction), during which no time elapses.
   */
  public long monotonicNanos() {
    return monotonicNanos;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
