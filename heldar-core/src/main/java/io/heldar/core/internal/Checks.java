package io.heldar.core.internal;

import java.time.Duration;
import java.util.Objects;

/** Argument checks the builders share. */
public final class Checks {
  private Checks() {}

  /** {@code d}, when it is positive. */
  public static Duration positive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
    return d;
  }

  /** {@code d}, when it is zero or positive. */
  public static Duration notNegative(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + d);
    }
    return d;
  }

  /** {@code n}, when it lies in {@code [min, max]}. */
  public static int inRange(String what, int n, int min, int max) {
    if (n < min || n > max) {
      throw new IllegalArgumentException(what + " must be " + min + ".." + max + ": " + n);
    }
    return n;
  }
}
