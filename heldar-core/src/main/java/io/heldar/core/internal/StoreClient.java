package io.heldar.core.internal;

import io.heldar.core.HeldarClient;
import io.heldar.core.event.StoredEvent;
import io.heldar.core.model.Camera;
import io.heldar.core.model.RetentionHold;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.timeline.Timeline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HeldarClient} over a store: the one implementation of each host operation, used by {@code
 * Heldar.client()}, by {@code HeldarClient.of(store, clock)}, and by the engines' own methods of
 * the same name (a standalone snapshot scheduler's {@code create}, a sweeper's {@code hold}).
 */
public final class StoreClient implements HeldarClient {
  private static final Logger log = LoggerFactory.getLogger(StoreClient.class);

  private final HeldarStore store;
  private final Clock clock;
  private final Runnable schedulesChanged;
  private final Timeline timeline;

  /**
   * @param schedulesChanged called after a schedule is created, changed or deleted (a running
   *     snapshot scheduler re-reads its schedules at its next tick)
   */
  public StoreClient(HeldarStore store, Clock clock, Runnable schedulesChanged) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.schedulesChanged = Objects.requireNonNull(schedulesChanged, "schedulesChanged");
    this.timeline = new Timeline(store);
  }

  @Override
  public boolean registerCamera(Camera camera) {
    boolean added = store.cameras().add(camera);
    if (added) {
      log.info("registered camera {}", camera.id());
    }
    return added;
  }

  @Override
  public boolean updateCamera(Camera camera) {
    return store.cameras().update(camera);
  }

  @Override
  public Optional<Camera> camera(String id) {
    return store.cameras().find(id);
  }

  @Override
  public List<Camera> cameras() {
    return store.cameras().list();
  }

  @Override
  public boolean deleteCamera(String id) {
    boolean deleted = store.cameras().delete(id);
    if (deleted) {
      log.info("deleted camera {}", id);
    }
    return deleted;
  }

  @Override
  public SnapshotSchedule createSchedule(String cameraId, Duration interval) {
    if (store.cameras().find(cameraId).isEmpty()) {
      throw new IllegalArgumentException("unknown camera " + cameraId);
    }
    SnapshotSchedule s =
        store.snapshotSchedules().create(cameraId, interval, true, clock.instant());
    log.info("created snapshot schedule {} for camera {} every {}", s.id(), cameraId, interval);
    schedulesChanged.run();
    return s;
  }

  @Override
  public Optional<SnapshotSchedule> updateSchedule(long id, Duration interval, boolean enabled) {
    Optional<SnapshotSchedule> s =
        store.snapshotSchedules().update(id, interval, enabled, clock.instant());
    schedulesChanged.run();
    return s;
  }

  @Override
  public Optional<SnapshotSchedule> schedule(long id) {
    return store.snapshotSchedules().find(id);
  }

  @Override
  public List<SnapshotSchedule> schedules() {
    return store.snapshotSchedules().list();
  }

  @Override
  public boolean deleteSchedule(long id) {
    boolean deleted = store.snapshotSchedules().delete(id);
    schedulesChanged.run();
    return deleted;
  }

  @Override
  public RetentionHold hold(String cameraId, Instant from, Instant to, String reason) {
    RetentionHold h = store.holds().add(cameraId, from, to, reason, clock.instant());
    log.info("camera {}: hold {} placed on {} .. {} ({})", cameraId, h.id(), from, to, reason);
    return h;
  }

  @Override
  public boolean releaseHold(long holdId) {
    return store.holds().remove(holdId);
  }

  @Override
  public List<RetentionHold> holds(String cameraId) {
    return store.holds().list(cameraId);
  }

  @Override
  public List<io.heldar.core.heal.HealAttempt> heals(String cameraId, Instant from, Instant to) {
    return store.heals().overlapping(cameraId, from, to, 10_000);
  }

  @Override
  public Timeline timeline() {
    return timeline;
  }

  @Override
  public List<StoredEvent> events(long afterId, int limit) {
    return store.events().after(afterId, Optional.empty(), limit);
  }

  @Override
  public List<StoredEvent> eventsBefore(long beforeId, int limit) {
    return store.events().before(beforeId, Optional.empty(), limit);
  }
}
