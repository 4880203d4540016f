package io.heldar.examples.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C/SIGTERM into a request the main thread answers: the hook asks to stop, waits for the
 * main thread to finish cleanly (stop Heldar, close the database, print), then ends the JVM with
 * status 0 — a requested, clean shutdown is not a failure.
 */
final class ShutdownGate implements AutoCloseable {
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  ShutdownGate(String name) {
    hook = new Thread(
        () -> {
          stopRequested.countDown();
          try {
            if (finished.await(60, TimeUnit.SECONDS)) {
              System.out.flush();
              System.err.flush();
              Runtime.getRuntime().halt(0);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        },
        name);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Counts down when a stop is requested. */
  CountDownLatch stopRequested() {
    return stopRequested;
  }

  /** The main thread is done: lets a waiting hook end the JVM, or removes the hook. */
  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException | IllegalArgumentException shuttingDown) {
      // the JVM is already shutting down: the hook is running and waits for us
    }
  }
}
