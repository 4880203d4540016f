package io.heldar.core.runtime;

/**
 * Heldar's monotonic time source: nanoseconds from an arbitrary origin, of which only differences
 * mean anything. Every interval Heldar decides on (when a camera is due for its complete listing,
 * when a capture has overrun its timeout, how long a scan took) is read from the one ticker of its
 * configuration, so a test can drive them without sleeping. Instants (what is stored and shown)
 * come from the {@link java.time.Clock} instead. Waits that bound real blocking calls (the stop
 * deadline) always use the system's monotonic time: a frozen test ticker must not stretch them.
 */
@FunctionalInterface
public interface Ticker {
  /** Nanoseconds from an arbitrary, fixed origin; monotonic. */
  long read();

  /** {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
