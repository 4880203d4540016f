package io.heldar.core.runtime.internal;

import io.heldar.core.engine.internal.Cadence;
import io.heldar.core.engine.internal.Engine;
import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.internal.Threads;
import io.heldar.core.runtime.Deadline;
import io.heldar.core.runtime.ExecutorShutdown;
import io.heldar.core.runtime.HeldarRuntime;
import io.heldar.core.runtime.ManualRuntime;
import io.heldar.core.runtime.RuntimeOptions;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HeldarRuntime} on a {@link ScheduledExecutorService}, supervising every tick; or, built
 * manual, the same supervision without threads ({@link ManualRuntime}). Every task is an {@link
 * Engine} ticked at its {@link Cadence}: Heldar's engines as they are, a host's periodic work
 * ({@link #schedule}) as an engine of one runnable.
 */
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
  private final RuntimeOptions options;
  private final Optional<EventPublisher> events;
  private final boolean manual;
  private final Map<String, Task> tasks = new LinkedHashMap<>();
  /** The engines whose start and stop this runtime calls, in registration order. */
  private final List<Engine> engines = new ArrayList<>();

  private ScheduledExecutorService executor;
  private State state = State.NEW;

  /** Use {@link HeldarRuntime#builder()}. */
  public SupervisingRuntime(
      Clock clock,
      Optional<ScheduledExecutorService> hostExecutor,
      RuntimeOptions options,
      Optional<EventPublisher> events,
      boolean manual) {
    this.clock = Objects.requireNonNull(clock);
    this.hostExecutor = Objects.requireNonNull(hostExecutor);
    this.options = Objects.requireNonNull(options);
    this.events = Objects.requireNonNull(events);
    this.manual = manual;
  }

  @Override
  public SupervisedTask schedule(
      String name, Duration initialDelay, Duration period, Runnable body) {
    return register(name, fixed(initialDelay, period), asTick(body));
  }

  @Override
  public SupervisedTask schedule(
      String name, Duration initialDelay, Duration period, Duration maxBackoff, Runnable body) {
    requireNotNegative("maxBackoff", maxBackoff);
    Cadence cadence = fixed(initialDelay, period);
    return register(
        name,
        maxBackoff.isZero() ? cadence.withMaxBackoff(period) : cadence.withMaxBackoff(maxBackoff),
        asTick(body));
  }

  @Override
  public SupervisedTask scheduleAdaptive(
      String name,
      Duration initialDelay,
      Duration minDelay,
      Duration maxDelay,
      Supplier<Duration> body) {
    Objects.requireNonNull(body, "body");
    requireNotNegative("initialDelay", initialDelay);
    requireNotNegative("minDelay", minDelay);
    requireNotNegative("maxDelay", maxDelay);
    return register(name, Cadence.between(initialDelay, minDelay, maxDelay), body);
  }

  /**
   * Supervises an engine: its {@link Engine#start()} at {@link #start()} (at once when already
   * running), its ticks at {@code cadence}, its {@link Engine#stop} at {@link #stop(Deadline)}.
   *
   * @throws IllegalArgumentException when its name is taken
   * @throws IllegalStateException when the runtime is stopped
   */
  public synchronized SupervisedTask supervise(Engine engine, Cadence cadence) {
    Objects.requireNonNull(engine, "engine");
    Task task = register(engine.name(), cadence, engine::tick);
    engines.add(engine);
    if (state == State.RUNNING) {
      engine.start();
    }
    return task;
  }

  private static Cadence fixed(Duration initialDelay, Duration period) {
    requireNotNegative("initialDelay", initialDelay);
    requireNotNegative("period", period);
    if (period.isZero()) {
      throw new IllegalArgumentException("period must be positive");
    }
    return Cadence.every(initialDelay, period);
  }

  private static Supplier<Duration> asTick(Runnable body) {
    Objects.requireNonNull(body, "body");
    return () -> {
      body.run();
      return Engine.AT_PACE;
    };
  }

  private synchronized Task register(String name, Cadence cadence, Supplier<Duration> body) {
    Objects.requireNonNull(name, "name");
    if (state == State.STOPPED) {
      throw new IllegalStateException("runtime is stopped; cannot schedule " + name);
    }
    if (tasks.containsKey(name)) {
      throw new IllegalArgumentException("a task named " + name + " is already scheduled");
    }
    Task task = new Task(name, cadence, body);
    tasks.put(name, task);
    if (state == State.RUNNING) {
      task.submit();
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
    if (!manual) {
      executor = hostExecutor.orElseGet(this::ownExecutor);
    }
    state = State.RUNNING;
    engines.forEach(Engine::start);
    tasks.values().forEach(Task::submit);
    log.info(
        "Heldar runtime started: {} task(s) on {}",
        tasks.size(),
        manual ? "demand (manual)" : hostExecutor.isPresent() ? "the host's executor" : "its own");
  }

  private ScheduledExecutorService ownExecutor() {
    int runtime = RUNTIMES.incrementAndGet();
    ThreadFactory factory = Threads.daemons("heldar-" + (runtime == 1 ? "" : runtime + "-"));
    ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(options.threads(), factory);
    own.setRemoveOnCancelPolicy(true);
    own.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    own.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    return own;
  }

  @Override
  public void stop() {
    stop(Deadline.after(options.stopTimeout()));
  }

  @Override
  public void stop(Deadline deadline) {
    Objects.requireNonNull(deadline, "deadline");
    List<Task> toStop;
    List<Engine> toClose;
    boolean wasRunning;
    synchronized (this) {
      if (state == State.STOPPED) {
        return;
      }
      wasRunning = state == State.RUNNING;
      state = State.STOPPED;
      toStop = new ArrayList<>(tasks.values());
      toClose = new ArrayList<>(engines);
    }
    toStop.forEach(Task::cancel);
    if (wasRunning) {
      awaitTicks(toStop, deadline);
    }
    // Last registered first: an engine others depend on (the cluster's leases) stops last. An
    // engine that never started is stopped too: it may hold threads from its construction.
    for (int i = toClose.size() - 1; i >= 0; i--) {
      Engine engine = toClose.get(i);
      try {
        engine.stop(deadline);
      } catch (RuntimeException e) {
        log.warn("engine {} did not stop cleanly", engine.name(), e);
      }
    }
    log.info("Heldar runtime stopped");
  }

  /**
   * Running ticks get three quarters of the time left to end, are then interrupted and get the
   * rest. A tick that ignores interrupts (a native call that waits) is left to end on its own.
   */
  private void awaitTicks(List<Task> running, Deadline deadline) {
    if (manual) {
      return; // ticks ran on the callers' threads and have ended
    }
    if (hostExecutor.isEmpty()) {
      ExecutorShutdown.shutdown(executor, deadline, "runtime ticks");
      return;
    }
    // Never shut a host's executor down: wait for our own ticks only, then interrupt them.
    Deadline polite = deadline.share(3, 4);
    for (Task t : running) {
      if (!t.awaitIdle(polite)) {
        log.warn("task {} still running late into stop(); interrupting it", t.name);
        t.interruptRunner();
        if (!t.awaitIdle(deadline)) {
          log.warn("task {} still running at the stop deadline; left to end", t.name);
        }
      }
    }
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

  /**
   * This runtime as a {@link ManualRuntime}, when it was built manual.
   *
   * @throws IllegalStateException when it ticks on its own threads
   */
  public ManualRuntime asManual() {
    if (!manual) {
      throw new IllegalStateException("this runtime ticks on its own threads; build it manual");
    }
    return manualView;
  }

  private final ManualRuntime manualView = new ManualRuntime() {
    @Override
    public Duration tick(String name) {
      return SupervisingRuntime.this.tick(name);
    }

    @Override
    public List<String> tickDue() {
      return SupervisingRuntime.this.tickDue();
    }

    @Override
    public SupervisedTask schedule(
        String name, Duration initialDelay, Duration period, Runnable body) {
      return SupervisingRuntime.this.schedule(name, initialDelay, period, body);
    }

    @Override
    public SupervisedTask schedule(
        String name, Duration initialDelay, Duration period, Duration maxBackoff, Runnable body) {
      return SupervisingRuntime.this.schedule(name, initialDelay, period, maxBackoff, body);
    }

    @Override
    public SupervisedTask scheduleAdaptive(
        String name,
        Duration initialDelay,
        Duration minDelay,
        Duration maxDelay,
        Supplier<Duration> body) {
      return SupervisingRuntime.this.scheduleAdaptive(name, initialDelay, minDelay, maxDelay, body);
    }

    @Override
    public void start() {
      SupervisingRuntime.this.start();
    }

    @Override
    public void stop() {
      SupervisingRuntime.this.stop();
    }

    @Override
    public void stop(Deadline deadline) {
      SupervisingRuntime.this.stop(deadline);
    }

    @Override
    public boolean isRunning() {
      return SupervisingRuntime.this.isRunning();
    }

    @Override
    public List<TaskHealth> health() {
      return SupervisingRuntime.this.health();
    }

    @Override
    public Optional<TaskHealth> health(String name) {
      return SupervisingRuntime.this.health(name);
    }
  };

  /** See {@link ManualRuntime#tick}; only on a manual runtime. */
  public Duration tick(String name) {
    Task task;
    synchronized (this) {
      requireManualRunning();
      task = tasks.get(name);
      if (task == null) {
        throw new IllegalArgumentException("no task named " + name + "; tasks: " + tasks.keySet());
      }
    }
    return task.runOnce();
  }

  /** See {@link ManualRuntime#tickDue}; only on a manual runtime. */
  public List<String> tickDue() {
    List<Task> due = new ArrayList<>();
    synchronized (this) {
      requireManualRunning();
      Instant now = clock.instant();
      for (Task t : tasks.values()) {
        if (!t.dueAt().isAfter(now)) {
          due.add(t);
        }
      }
    }
    due.forEach(Task::runOnce);
    return due.stream().map(t -> t.name).toList();
  }

  private void requireManualRunning() {
    if (!manual) {
      throw new IllegalStateException("this runtime ticks on its own threads; build it manual");
    }
    if (state != State.RUNNING) {
      throw new IllegalStateException(
          "the runtime is " + state.name().toLowerCase(java.util.Locale.ROOT) + ", not running");
    }
  }

  private static void requireNotNegative(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + d);
    }
  }

  private final class Task implements SupervisedTask, Runnable {
    private final String name;
    private final Cadence cadence;
    /** The longest delay after failures. */
    private final Duration backoffCap;

    private final Supplier<Duration> body;
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
    /** Manual runtime: when the next tick is due on the clock. */
    private Instant dueAt = Instant.MIN;
    /** The failure whose stack trace was logged last (type, message, where); null after a success. */
    private String loggedFailure;

    Task(String name, Cadence cadence, Supplier<Duration> body) {
      this.name = name;
      this.cadence = cadence;
      this.backoffCap = cadence.maxBackoff().orElse(options.maxBackoff());
      this.body = body;
    }

    void submit() {
      synchronized (lock) {
        if (cancelled) {
          return;
        }
        if (manual) {
          dueAt = clock.instant().plus(cadence.initialDelay());
          return;
        }
        future = executor.schedule(this, cadence.initialDelay().toNanos(), TimeUnit.NANOSECONDS);
      }
    }

    Instant dueAt() {
      synchronized (lock) {
        return dueAt;
      }
    }

    /** Books the next tick after the delay: on the executor, or (manual) on the clock. */
    private void bookNext(Duration delay) {
      synchronized (lock) {
        if (cancelled) {
          return;
        }
        if (manual) {
          dueAt = clock.instant().plus(delay);
          return;
        }
        try {
          future = executor.schedule(this, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
          log.debug("task {}: executor shut down; not rescheduled", name);
        }
      }
    }

    @Override
    public void run() {
      runOnce();
    }

    /** One supervised tick; returns (and books) the delay until the next. */
    private Duration runOnce() {
      synchronized (lock) {
        if (cancelled) {
          return cadence.maxDelay();
        }
        runner = Thread.currentThread();
        runs++;
        lastRun = clock.instant();
      }
      long started = System.nanoTime();
      Throwable failure = null;
      Duration wanted = null;
      try {
        wanted = body.get();
      } catch (Throwable t) { // NOPMD: a periodic task must survive anything, Errors included
        failure = t;
      } finally {
        synchronized (lock) {
          runner = null;
          lastDuration = Duration.ofNanos(System.nanoTime() - started);
          lock.notifyAll();
        }
        // A tick interrupted by stop() must not leave the pool thread interrupted.
        if (cancelled && !manual) {
          Thread.interrupted();
        }
      }
      Duration next;
      if (failure == null) {
        synchronized (lock) {
          consecutiveFailures = 0;
          loggedFailure = null;
          lastSuccess = clock.instant();
        }
        next = cadence.clamp(wanted);
      } else {
        recordFailure(failure);
        next = backoff();
      }
      bookNext(next);
      return next;
    }

    private Duration backoff() {
      long n;
      synchronized (lock) {
        n = consecutiveFailures;
      }
      return cadence.backoff(n, backoffCap);
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
            cadence.maxDelay(),
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

    boolean awaitIdle(Deadline deadline) {
      synchronized (lock) {
        while (runner != null) {
          if (deadline.hasPassed()) {
            return false;
          }
          try {
            deadline.waitOn(lock);
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
