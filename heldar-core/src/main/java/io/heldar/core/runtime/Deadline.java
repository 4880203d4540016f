package io.heldar.core.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A point in monotonic time by which something must be done: the one deadline of a stop, handed
 * down unchanged to every part that stops, so the parts share it instead of each starting a clock
 * of its own. Read on a {@link Ticker} (the system's by default; a test passes one it moves).
 *
 * <pre>{@code
 * Deadline deadline = Deadline.after(Duration.ofSeconds(10));
 * runtime.stop(deadline);          // ticks end or are interrupted
 * scheduler.close(deadline);       // then captures and their commits, in what is left
 * }</pre>
 */
public final class Deadline {
  private final Ticker ticker;
  private final long atNanos;

  private Deadline(Ticker ticker, long atNanos) {
    this.ticker = ticker;
    this.atNanos = atNanos;
  }

  /** The deadline {@code timeout} from now on the system ticker; a negative timeout is now. */
  public static Deadline after(Duration timeout) {
    return after(timeout, Ticker.system());
  }

  /** The deadline {@code timeout} from now on {@code ticker}; a negative timeout is now. */
  public static Deadline after(Duration timeout, Ticker ticker) {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(ticker, "ticker");
    long nanos = timeout.isNegative() ? 0 : saturatedNanos(timeout);
    return new Deadline(ticker, ticker.read() + nanos);
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4; // centuries: "no deadline" without overflowing the ticker
    }
  }

  /** Time left, never negative. */
  public Duration remaining() {
    return Duration.ofNanos(remainingNanos());
  }

  /** Time left in nanoseconds, never negative. */
  public long remainingNanos() {
    return Math.max(0, atNanos - ticker.read());
  }

  /** Whether the deadline has passed. */
  public boolean hasPassed() {
    return remainingNanos() == 0;
  }

  /**
   * An earlier deadline at {@code numerator/denominator} of the time left: where polite waiting
   * ends and interrupting begins (three quarters: {@code share(3, 4)}).
   *
   * @throws IllegalArgumentException unless {@code 0 <= numerator <= denominator} and {@code denominator > 0}
   */
  public Deadline share(int numerator, int denominator) {
    if (denominator <= 0 || numerator < 0 || numerator > denominator) {
      throw new IllegalArgumentException(
          "need 0 <= numerator <= denominator, not " + numerator + "/" + denominator);
    }
    long left = remainingNanos();
    return new Deadline(ticker, ticker.read() + left / denominator * numerator);
  }

  /**
   * Waits on {@code monitor} (whose lock the caller holds) until notified or the deadline, like
   * {@link Object#wait(long)}; returns at once when it has passed.
   */
  public void waitOn(Object monitor) throws InterruptedException {
    long left = remainingNanos();
    if (left > 0) {
      TimeUnit.NANOSECONDS.timedWait(monitor, left);
    }
  }

  /**
   * Waits for {@code thread} to end, at most until the deadline; returns whether it ended. An
   * interrupt of the caller ends the wait and is kept.
   */
  public boolean join(Thread thread) {
    try {
      TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(1, remainingNanos()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  @Override
  public String toString() {
    return "Deadline[in " + remaining() + "]";
  }
}
