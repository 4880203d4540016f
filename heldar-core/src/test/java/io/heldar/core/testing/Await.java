package io.heldar.core.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition instead of sleeping a fixed time. */
public final class Await {
  private static final long POLL_NANOS = 5_000_000;

  private Await() {}

  /** Polls {@code condition} until it holds; fails after {@code timeout}. */
  public static void until(Duration timeout, BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      // A poll of the condition, not a sleep standing in for one: the condition is checked again
      // within a few milliseconds, and the wait ends the moment it holds.
      java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }
}
