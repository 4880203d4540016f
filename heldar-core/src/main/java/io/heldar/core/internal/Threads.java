package io.heldar.core.internal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Heldar's own threads: daemons named {@code <prefix>N}, so they never keep a host's JVM alive. */
public final class Threads {
  private Threads() {}

  /** A factory of daemon threads named {@code prefix1}, {@code prefix2}, … */
  public static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** A fixed pool of {@code threads} daemon threads that exit when idle for 30 s. */
  public static ThreadPoolExecutor pool(String prefix, int threads, BlockingQueue<Runnable> queue) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, queue, daemons(prefix));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
