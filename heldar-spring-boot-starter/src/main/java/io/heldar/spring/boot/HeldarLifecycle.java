package io.heldar.spring.boot;

import io.heldar.core.Heldar;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts Heldar with the application context and stops it with it. Its phase is {@link
 * SmartLifecycle#DEFAULT_PHASE}, the last: Heldar's first scan starts after the web server is
 * serving, and Heldar stops (within {@code heldar.stop-timeout}) before the web server does.
 */
public final class HeldarLifecycle implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(HeldarLifecycle.class);

  private final Heldar heldar;
  private volatile boolean running;

  /** The lifecycle of {@code heldar}. */
  public HeldarLifecycle(Heldar heldar) {
    this.heldar = Objects.requireNonNull(heldar, "heldar");
  }

  @Override
  public void start() {
    heldar.start();
    running = true;
    log.info("Heldar started with the application");
  }

  @Override
  public void stop() {
    running = false;
    heldar.stop();
    log.info("Heldar stopped with the application");
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return DEFAULT_PHASE;
  }
}
