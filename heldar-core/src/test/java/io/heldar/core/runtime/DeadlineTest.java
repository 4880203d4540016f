package io.heldar.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class DeadlineTest {
  final MutableClock time = new MutableClock(Instant.parse("2026-12-06T08:00:00Z"));

  @Test
  void remainingShrinksWithTheTickerAndNeverGoesNegative() {
    Deadline d = Deadline.after(Duration.ofSeconds(10), time::monotonicNanos);
    assertThat(d.remaining()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.hasPassed()).isFalse();
    time.advance(Duration.ofSeconds(4));
    assertThat(d.remaining()).isEqualTo(Duration.ofSeconds(6));
    time.advance(Duration.ofSeconds(7));
    assertThat(d.remaining()).isZero();
    assertThat(d.remainingNanos()).isZero();
    assertThat(d.hasPassed()).isTrue();
  }

  @Test
  void aNegativeTimeoutIsNowAndAHugeOneDoesNotOverflow() {
    assertThat(Deadline.after(Duration.ofSeconds(-5), time::monotonicNanos).hasPassed())
        .isTrue();
    Deadline far = Deadline.after(Duration.ofDays(365L * 1_000_000), time::monotonicNanos);
    assertThat(far.hasPassed()).isFalse();
    assertThat(far.remaining()).isGreaterThan(Duration.ofDays(365L * 50)); // saturated, not wrapped
  }

  @Test
  void aShareIsTakenOfTheTimeLeftNotOfTheOriginalTimeout() {
    Deadline d = Deadline.after(Duration.ofSeconds(8), time::monotonicNanos);
    time.advance(Duration.ofSeconds(4));
    Deadline polite = d.share(3, 4);
    assertThat(polite.remaining()).isEqualTo(Duration.ofSeconds(3));
    assertThat(d.share(0, 4).hasPassed()).isTrue();
    assertThat(d.share(4, 4).remaining()).isEqualTo(d.remaining());
    assertThatThrownBy(() -> d.share(5, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.share(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void joinReturnsWhenTheThreadEndsAndGivesUpAtTheDeadline() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Thread worker = new Thread(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    worker.start();
    // A passed deadline: join returns at once (within its one-nanosecond wait) and says "alive".
    assertThat(Deadline.after(Duration.ZERO).join(worker)).isFalse();
    release.countDown();
    assertThat(Deadline.after(Duration.ofSeconds(30)).join(worker)).isTrue();
  }

  @Test
  void waitOnReturnsAtOnceOncePassed() throws Exception {
    Object monitor = new Object();
    synchronized (monitor) {
      Deadline.after(Duration.ZERO).waitOn(monitor); // would block forever if it waited
    }
    assertThat(Deadline.after(Duration.ofSeconds(3), time::monotonicNanos).toString())
        .contains("PT3S");
  }
}
