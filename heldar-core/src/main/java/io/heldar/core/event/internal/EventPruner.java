package io.heldar.core.event.internal;

import io.heldar.core.engine.internal.Engine;
import io.heldar.core.engine.internal.EngineContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine that deletes events older than their maximum age, oldest first, in batches: at most
 * {@link #BATCHES} statements of {@link #BATCH} rows per tick (a backlog goes on at the next tick).
 */
public final class EventPruner implements Engine {
  private static final Logger log = LoggerFactory.getLogger(EventPruner.class);

  /** Events deleted per statement. */
  static final int BATCH = 10_000;

  /** Statements per pruning at most. */
  static final int BATCHES = 100;

  private final EngineContext context;
  private final Duration maxAge;

  /** Prunes the context's store of events older than {@code maxAge} (positive). */
  public EventPruner(EngineContext context, Duration maxAge) {
    this.context = Objects.requireNonNull(context, "context");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
  }

  @Override
  public String name() {
    return "event-pruning";
  }

  @Override
  public Duration tick() {
    prune();
    return AT_PACE;
  }

  /** One pruning; returns how many events it deleted. */
  public long prune() {
    Instant cutoff = context.clock().instant().minus(maxAge);
    long total = 0;
    for (int i = 0; i < BATCHES; i++) {
      int n = context.store().events().deleteOlderThan(cutoff, BATCH);
      total += n;
      if (n < BATCH) {
        break;
      }
    }
    context.observer().onEventsPruned(total);
    if (total > 0) {
      log.info("pruned {} event(s) older than {} (before {})", total, maxAge, cutoff);
    }
    return total;
  }
}
