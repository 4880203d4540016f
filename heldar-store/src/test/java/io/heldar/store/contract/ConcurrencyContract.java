package io.heldar.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.event.HeldarEvent;
import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.Segment;
import io.heldar.core.model.Severity;
import io.heldar.core.store.HeldarStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

public abstract class ConcurrencyContract extends StoreContractBase {

  @Test
  void concurrentReadersAndWritersOfTwoStoreInstancesNeverFail() throws Exception {
    // Two store instances on one file: two "processes" contending for the write lock.
    try (HeldarStore a = openDatabase();
        HeldarStore b = openDatabase()) {
      a.cameras().add(Camera.of("cam1", StoreContract.T0));
      ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
      CountDownLatch failed = new CountDownLatch(1);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong writes = new AtomicLong();
      AtomicLong reads = new AtomicLong();
      AtomicLong seq = new AtomicLong();
      CountDownLatch started = new CountDownLatch(4);
      List<Thread> threads = new ArrayList<>();
      for (HeldarStore store : List.of(a, b)) {
        threads.add(new Thread(() -> {
          started.countDown();
          while (!stop.get()) {
            try {
              // read-then-write in one transaction: the pattern that fails with deferred
              // transactions
              store.useTransaction(() -> {
                long before = store.segments().count("cam1");
                int i = (int) seq.incrementAndGet();
                Segment s = StoreContract.segment("cam1", i, 5);
                store.segments().insertAll(List.of(s));
                store
                    .events()
                    .append(HeldarEvent.of(
                        "cam1",
                        EventKinds.RECORDING_GAP,
                        Severity.INFO,
                        Map.of("before", before),
                        s.start()));
              });
              writes.incrementAndGet();
            } catch (Throwable t) {
              errors.add(t);
              failed.countDown();
            }
          }
        }));
        threads.add(new Thread(() -> {
          started.countDown();
          while (!stop.get()) {
            try {
              store.segments().versionsInPathOrder("cam1", Optional.empty(), 1000);
              store.events().recent(Optional.empty(), Optional.empty(), 50);
              reads.incrementAndGet();
            } catch (Throwable t) {
              errors.add(t);
              failed.countDown();
            }
          }
        }));
      }
      threads.forEach(Thread::start);
      started.await();
      // Three seconds of readers and writers at once, or until the first error.
      failed.await(3, java.util.concurrent.TimeUnit.SECONDS);
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
      assertThat(errors).isEmpty();
      assertThat(writes.get()).isGreaterThan(10);
      assertThat(reads.get()).isGreaterThan(10);
      assertThat(a.segments().count("cam1")).isEqualTo(writes.get());
    }
  }
}
