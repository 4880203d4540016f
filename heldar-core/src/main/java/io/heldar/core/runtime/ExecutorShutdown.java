package io.heldar.core.runtime;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shuts an executor down within a {@link Deadline}, the one way every part of Heldar does it: no new
 * work, running work gets three quarters of the time left to end, is then interrupted and gets the
 * rest; what still runs at the deadline is left to end on its own and said in the log. Only for
 * executors Heldar made: a host's executor is never shut down.
 */
public final class ExecutorShutdown {
  private static final Logger log = LoggerFactory.getLogger(ExecutorShutdown.class);

  private ExecutorShutdown() {}

  /**
   * Shuts {@code executor} down within {@code deadline}; returns whether it terminated.
   *
   * @param what what the executor runs, for the log ("snapshot writes")
   */
  public static boolean shutdown(ExecutorService executor, Deadline deadline, String what) {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(what, "what");
    executor.shutdown();
    try {
      if (executor.awaitTermination(deadline.share(3, 4).remainingNanos(), TimeUnit.NANOSECONDS)) {
        return true;
      }
      log.warn("{} still running late into the stop; interrupting them", what);
      executor.shutdownNow();
      if (executor.awaitTermination(deadline.remainingNanos(), TimeUnit.NANOSECONDS)) {
        return true;
      }
      log.warn("{} still running at the stop deadline; left to end on their own", what);
      return false;
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
      return executor.isTerminated();
    }
  }

  /**
   * Interrupts what {@code executor} runs now and waits for it to end until {@code deadline}, for
   * work that must not finish politely (a capture after stop); returns whether it terminated.
   */
  public static boolean shutdownNow(ExecutorService executor, Deadline deadline, String what) {
    Objects.requireNonNull(executor, "executor");
    executor.shutdownNow();
    try {
      if (executor.awaitTermination(deadline.remainingNanos(), TimeUnit.NANOSECONDS)) {
        return true;
      }
      log.warn("{} still running at the stop deadline; left to end on their own", what);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return executor.isTerminated();
    }
  }
}
