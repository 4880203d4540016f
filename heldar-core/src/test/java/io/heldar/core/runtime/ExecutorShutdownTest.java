package io.heldar.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ExecutorShutdownTest {

  /** Starts work on {@code pool} that only an interrupt ends; returns whether it was interrupted. */
  static AtomicBoolean runUntilInterrupted(ExecutorService pool) throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    pool.execute(() -> {
      started.countDown();
      try {
        new CountDownLatch(1).await(); // never released
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
    });
    started.await();
    return interrupted;
  }

  @Test
  void workUnderWayFinishesPolitelyWhenItCan() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    AtomicBoolean interrupted = new AtomicBoolean();
    pool.execute(() -> {
      started.countDown();
      try {
        release.await();
        finished.set(true);
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
    });
    started.await();
    release.countDown();
    assertThat(ExecutorShutdown.shutdown(pool, Deadline.after(Duration.ofSeconds(30)), "test work"))
        .isTrue();
    assertThat(finished).isTrue();
    assertThat(interrupted).isFalse();
  }

  @Test
  void workThatDoesNotEndIsInterruptedAfterThreeQuartersOfTheDeadline() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    AtomicBoolean interrupted = runUntilInterrupted(pool);
    long t0 = System.nanoTime();
    assertThat(ExecutorShutdown.shutdown(pool, Deadline.after(Duration.ofMillis(400)), "stuck"))
        .isTrue();
    assertThat(interrupted).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void workThatIgnoresInterruptsIsLeftAtTheDeadline() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    pool.execute(() -> {
      started.countDown();
      boolean done = false;
      while (!done) {
        try {
          done = release.await(1, TimeUnit.DAYS);
        } catch (InterruptedException ignored) {
          // a native call that does not answer interrupts
        }
      }
    });
    started.await();
    assertThat(ExecutorShutdown.shutdown(pool, Deadline.after(Duration.ofMillis(200)), "deaf"))
        .isFalse();
    assertThat(pool.isTerminated()).isFalse();
    release.countDown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void shutdownNowInterruptsAtOnce() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    AtomicBoolean interrupted = runUntilInterrupted(pool);
    assertThat(ExecutorShutdown.shutdownNow(pool, Deadline.after(Duration.ofSeconds(30)), "probes"))
        .isTrue();
    assertThat(interrupted).isTrue();
  }
}
