package io.heldar.core.runtime.internal;

import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.internal.Threads;
import io.heldar.core.model.HeldarEvent;
import io.heldar.core.runtime.HeldarRuntime;
import io.heldar.core.runtime.SupervisedTask;
import io.heldar.core.runtime.TaskHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link HeldarRuntime} on a {@link ScheduledExecutorService}, supervising every tick. */
public final class SupervisingRuntime implements HeldarRuntime {
  private static final Logger log = LoggerFactory.getLogger(SupervisingRuntime.class);
  private static final AtomicInteger RUNTIMES = new AtomicInteger();

  private enum State {
    NEW,
    RUNNING,
    STOPPED
  }

  private final Clock clock;
  private final Optional<ScheduledExecutorService> hostExecutor;
  private final int threads;
  private final Duration stopTimeout;
  private final Duration maxBackoff;
  private final Optional<EventPublisher> events;
  private final Map<String, Task> tasks = new LinkedHashMap<>();
  private ScheduledExecutorService executor;
  private State state = State.NEW;

  /** Use {@link HeldarRuntime#builder()}. */
  public SupervisingRuntime(
      Clock clock,
      Optional<ScheduledExecutorService> hostExecutor,
      int threads,
      Duration stopTimeout,
      Duration maxBackoff,
      Optional<EventPublisher> events) {
    this.clock = Objects.requireNonNull(clock);
    this.hostExecutor = Objects.requireNonNull(hostExecutor);
    this.threads = threads;
    this.stopTimeout = Objects.requireNonNull(stopTimeout);
    this.maxBackoff = Objects.requireNonNull(maxBackoff);
    this.events = Objects.requireNonNull(events);
  }

  @Override
  public SupervisedTask schedule(
      String name, Duration initialDelay, Duration period, Runnable body) {
    return schedule(name, initialDelay, period, maxBackoff, body);
  }

  @Override
  public synchronized SupervisedTask schedule(
      String name, Duration initialDelay, Duration period, Duration maxBackoff, Runnable body) {
    Objects.requireNonNull(name, "name");
    requireNotNegative("maxBackoff", maxBackoff);
    Objects.requireNonNull(body, "body");
    requireNotNegative("initialDelay", initialDelay);
    requireNotNegative("period", period);
    if (period.isZero()) {
      throw new IllegalArgumentException("period must be positive");
    }
    if (state == State.STOPPED) {
      throw new IllegalStateException("runtime is stopped; cannot schedule " + name);
    }
    if (tasks.containsKey(name)) {
      throw new IllegalArgumentException("a task named " + name + " is already scheduled");
    }
    Task task = new Task(name, initialDelay, period, maxBackoff, body, null, null);
    tasks.put(name, task);
    if (state == State.RUNNING) {
      task.submit(executor);
    }
    return task;
  }

  @Override
  public synchronized SupervisedTask scheduleAdaptive(
      String name,
      Duration initialDelay,
      Duration minDelay,
      Duration maxDelay,
      java.util.function.Supplier<Duration> body) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(body, "body");
    requireNotNegative("initialDelay", initialDelay);
    requireNotNegative("minDelay", minDelay);
    requireNotNegative("maxDelay", maxDelay);
    if (minDelay.isZero() || minDelay.compareTo(maxDelay) > 0) {
      throw new IllegalArgumentException(
          "need 0 < minDelay <= maxDelay, not " + minDelay + " and " + maxDelay);
    }
    if (state == State.STOPPED) {
      throw new IllegalStateException("runtime is stopped; cannot schedule " + name);
    }
    if (tasks.containsKey(name)) {
      throw new IllegalArgumentException("a task named " + name + " is already scheduled");
    }
    java.util.concurrent.atomic.AtomicReference<Duration> next =
        new java.util.concurrent.atomic.AtomicReference<>(maxDelay);
    Task task = new Task(
        name, initialDelay, maxDelay, maxBackoff, () -> next.set(body.get()), minDelay, next);
    tasks.put(name, task);
    if (state == State.RUNNING) {
      task.submit(executor);
    }
    return task;
  }

  @Override
  public synchronized void start() {
    if (state == State.STOPPED) {
      throw new IllegalStateException(
          "this runtime was stopped; a stopped runtime does not start again (build a new one)");
    }
    if (state != State.NEW) {
      return;
    }
    executor = hostExecutor.orElseGet(this::ownExecutor);
    state = State.RUNNING;
    tasks.values().forEach(t -> t.submit(executor));
    log.info(
        "Heldar runtime started: {} task(s) on {} executor",
        tasks.size(),
        hostExecutor.isPresent() ? "the host's" : "its own");
  }

  private ScheduledExecutorService ownExecutor() {
    int runtime = RUNTIMES.incrementAndGet();
    ThreadFactory factory = Threads.daemons("heldar-" + (runtime == 1 ? "" : runtime + "-"));
    ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(threads, factory);
    own.setRemoveOnCancelPolicy(true);
    own.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    own.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    return own;
  }

  @Override
  public void stop() {
    List<Task> toStop;
    synchronized (this) {
      if (state == State.STOPPED) {
        return;
      }
      boolean wasRunning = state == State.RUNNING;
      state = State.STOPPED;
      if (!wasRunning) {
        return;
      }
      toStop = new ArrayList<>(tasks.values());
    }
    toStop.forEach(Task::cancel);
    // One deadline: running ticks get three quarters of the stop timeout to end, are then
    // interrupted, and get the rest to stop. A tick that ignores interrupts (a native call that
    // waits) is left to end on its own; stop() does not wait past the deadline for it.
    long start = System.nanoTime();
    long deadline = start + stopTimeout.toNanos();
    long politeUntil = start + stopTimeout.toNanos() / 4 * 3;
    if (hostExecutor.isEmpty()) {
      executor.shutdown();
      try {
        if (!executor.awaitTermination(politeUntil - System.nanoTime(), TimeUnit.NANOSECONDS)) {
          log.warn(
              "ticks still running {} into stop(); interrupting them",
              Duration.ofNanos(politeUntil - start));
          executor.shutdownNow();
          if (!executor.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
            log.warn("ticks still running at the stop deadline ({}); left to end", stopTimeout);
          }
        }
      } catch (InterruptedException e) {
        executor.shutdownNow();
        Thread.currentThread().interrupt();
      }
    } else {
      // Never shut a host's executor down: wait for our own ticks only, then interrupt them.
      for (Task t : toStop) {
        if (!t.awaitIdle(politeUntil)) {
          log.warn(
              "task {} still running {} into stop(); interrupting it",
              t.name,
              Duration.ofNanos(politeUntil - start));
          t.interruptRunner();
          if (!t.awaitIdle(deadline)) {
            log.warn(
                "task {} still running at the stop deadline ({}); left to end",
                t.name,
                stopTimeout);
          }
        }
      }
    }
    log.info("Heldar runtime stopped");
  }

  @Override
  public synchronized boolean isRunning() {
    return state == State.RUNNING;
  }

  @Override
  public synchronized List<TaskHealth> health() {
    return tasks.values().stream().map(Task::health).toList();
  }

  @Override
  public synchronized Optional<TaskHealth> health(String name) {
    return Optional.ofNullable(tasks.get(name)).map(Task::health);
  }

  private static void requireNotNegative(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + d);
    }
  }

  private final class Task implements SupervisedTask, Runnable {
    private final String name;
    private final Duration initialDelay;
    private final Duration period;
    /** The longest delay after failures (never below the period). */
    private final Duration backoffCap;

    private final Runnable body;
    /** For adaptive tasks: the shortest delay, and where the body leaves its next delay; null otherwise. */
    private final Duration minDelay;

    private final java.util.concurrent.atomic.AtomicReference<Duration> nextDelay;
    private ScheduledExecutorService executorUsed;
    private final Object lock = new Object();
    private ScheduledFuture<?> future;
    private volatile boolean cancelled;
    private Thread runner;
    private long runs;
    private long failures;
    private long consecutiveFailures;
    private Instant lastRun;
    private Instant lastSuccess;
    private Instant lastFailure;
    private String lastFailureMessage;
    private Duration lastDuration;
    /** The failure whose stack trace was logged last (type, message, where); null after a success. */
    private String loggedFailure;

    Task(
        String name,
        Duration initialDelay,
        Duration period,
        Duration maxBackoff,
        Runnable body,
        Duration minDelay,
        java.util.concurrent.atomic.AtomicReference<Duration> nextDelay) {
      this.name = name;
      this.initialDelay = initialDelay;
      this.period = period;
      this.backoffCap = maxBackoff.compareTo(period) > 0 ? maxBackoff : period;
      this.body = body;
      this.minDelay = minDelay;
      this.nextDelay = nextDelay;
    }

    void submit(ScheduledExecutorService on) {
      synchronized (lock) {
        if (!cancelled) {
          executorUsed = on;
          future = on.schedule(this, initialDelay.toNanos(), TimeUnit.NANOSECONDS);
        }
      }
    }

    /**
     * Books the next tick after each one: the period (an adaptive task: the delay its body asked
     * for, clamped); after failures the period doubled per consecutive failure, capped.
     */
    private void bookNext(boolean failed) {
      Duration delay;
      if (failed) {
        delay = backoff();
      } else if (nextDelay == null || nextDelay.get() == null) {
        delay = period;
      } else {
        Duration wanted = nextDelay.get();
        delay = wanted.compareTo(minDelay) < 0
            ? minDelay
            : wanted.compareTo(period) > 0 ? period : wanted;
      }
      synchronized (lock) {
        if (!cancelled) {
          try {
            future = executorUsed.schedule(this, delay.toNanos(), TimeUnit.NANOSECONDS);
          } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("task {}: executor shut down; not rescheduled", name);
          }
        }
      }
    }

    @Override
    public void run() {
      synchronized (lock) {
        if (cancelled) {
          return;
        }
        runner = Thread.currentThread();
        runs++;
        lastRun = clock.instant();
      }
      long started = System.nanoTime();
      Throwable failure = null;
      try {
        body.run();
      } catch (Throwable t) { // NOPMD: a periodic task must survive anything, Errors included
        failure = t;
      } finally {
        synchronized (lock) {
          runner = null;
          lastDuration = Duration.ofNanos(System.nanoTime() - started);
          lock.notifyAll();
        }
        // A tick interrupted by stop() must not leave the pool thread interrupted.
        if (cancelled) {
          Thread.interrupted();
        }
      }
      if (failure == null) {
        synchronized (lock) {
          consecutiveFailures = 0;
          loggedFailure = null;
          lastSuccess = clock.instant();
        }
        bookNext(false);
        return;
      }
      recordFailure(failure);
      bookNext(true);
    }

    /** {@code period × 2^(consecutive failures − 1)}, at most the cap. */
    private Duration backoff() {
      long n;
      synchronized (lock) {
        n = Math.max(1, consecutiveFailures);
      }
      Duration d = period.multipliedBy(1L << Math.min(n - 1, 20));
      return d.compareTo(backoffCap) > 0 ? backoffCap : d;
    }

    private void recordFailure(Throwable failure) {
      Instant now = clock.instant();
      // The type and the stack trace go to the log; health, and what is shown from it (HTTP,
      // CLI), carries only the message.
      String message = failure.getMessage() == null || failure.getMessage().isBlank()
          ? "unexpected failure without a message (its type and stack trace are in the log)"
          : failure.getMessage();
      String where =
          failure.getStackTrace().length > 0 ? failure.getStackTrace()[0].toString() : "";
      long consecutive;
      boolean sameAsLogged;
      synchronized (lock) {
        failures++;
        consecutive = ++consecutiveFailures;
        lastFailure = now;
        lastFailureMessage = message;
        sameAsLogged = (message + " at " + where).equals(loggedFailure);
        loggedFailure = message + " at " + where;
      }
      try {
        Duration next = backoff();
        if (sameAsLogged) {
          // The same failure again: one line, the stack trace was logged with its first occurrence.
          log.error(
              "task {} failed again (consecutive failures: {}): {}; it runs again in {}",
              name,
              consecutive,
              message,
              next);
        } else {
          log.error(
              "task {} failed (consecutive failures: {}); it runs again in {}",
              name,
              consecutive,
              next,
              failure);
        }
        events.ifPresent(e -> {
          e.publish(HeldarEvent.global(new TypedEvent.TaskFailed(name, message, consecutive), now));
          e.notifyTaskFailure(name, failure);
        });
      } catch (Throwable t) { // NOPMD: reporting must never kill the task either
        log.error("could not report failure of task {}", name, t);
      }
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public TaskHealth health() {
      synchronized (lock) {
        return new TaskHealth(
            name,
            period,
            runs,
            failures,
            consecutiveFailures,
            Optional.ofNullable(lastRun),
            Optional.ofNullable(lastSuccess),
            Optional.ofNullable(lastFailure),
            Optional.ofNullable(lastFailureMessage),
            Optional.ofNullable(lastDuration));
      }
    }

    @Override
    public void cancel() {
      synchronized (lock) {
        cancelled = true;
        if (future != null) {
          future.cancel(false);
        }
      }
    }

    boolean awaitIdle(long deadlineNanos) {
      synchronized (lock) {
        while (runner != null) {
          long left = deadlineNanos - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          try {
            TimeUnit.NANOSECONDS.timedWait(lock, left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return runner == null;
          }
        }
        return true;
      }
    }

    void interruptRunner() {
      synchronized (lock) {
        if (runner != null) {
          runner.interrupt();
        }
      }
    }
  }
}
