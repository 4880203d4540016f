package io.heldar.core;

import io.heldar.core.event.StoredEvent;
import io.heldar.core.internal.StoreClient;
import io.heldar.core.model.Camera;
import io.heldar.core.model.RetentionHold;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.timeline.Timeline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a host does with Heldar, apart from running it: cameras, snapshot schedules, retention
 * holds, the timeline and the events (db-scheduler's {@code SchedulerClient} beside its {@code
 * Scheduler} is the model). The engines' runtime hooks are not here; the store SPI is for store
 * implementers.
 *
 * <p>{@link Heldar#client()} is the client of a running Heldar: a schedule created through it is
 * picked up at the scheduler's next tick. {@link #of(HeldarStore, Clock)} is a client of a store
 * alone, for a tool or a process that does not run the engines (a running Heldar on the same store
 * picks its changes up within its schedule refresh interval).
 *
 * <pre>{@code
 * HeldarClient client = heldar.client();
 * client.registerCamera(Camera.of("front-door", Instant.now()));
 * client.createSchedule("front-door", Duration.ofSeconds(10));
 * client.hold("front-door", incidentStart, incidentEnd, "case 4711");
 * }</pre>
 */
public interface HeldarClient {

  /** A client of {@code store} alone (no engine runs); every timestamp from {@code clock}. */
  static HeldarClient of(HeldarStore store, Clock clock) {
    return new StoreClient(store, clock, () -> {});
  }

  /** Registers a camera unless its id is known; returns whether it was added. */
  boolean registerCamera(Camera camera);

  /** Replaces an existing camera's name and source URL; returns whether it existed. */
  boolean updateCamera(Camera camera);

  /** A camera by id. */
  Optional<Camera> camera(String id);

  /** Every camera, ordered by id. */
  List<Camera> cameras();

  /**
   * Deletes a camera that has no footage, schedules, snapshots or holds left; returns whether it
   * existed.
   *
   * @throws io.heldar.core.store.CameraInUseException naming what still holds its rows
   */
  boolean deleteCamera(String id);

  /**
   * Creates an enabled snapshot schedule on the epoch-aligned grid of {@code interval}.
   *
   * @throws IllegalArgumentException when the camera is not registered
   */
  SnapshotSchedule createSchedule(String cameraId, Duration interval);

  /** Changes a schedule's interval and enabled flag; empty when the id is unknown. */
  Optional<SnapshotSchedule> updateSchedule(long id, Duration interval, boolean enabled);

  /** A schedule by id. */
  Optional<SnapshotSchedule> schedule(long id);

  /** Every schedule. */
  List<SnapshotSchedule> schedules();

  /** Deletes a schedule (its snapshots stay); returns whether it existed. */
  boolean deleteSchedule(long id);

  /** Holds a camera's range: retention deletes nothing overlapping it until it is released. */
  RetentionHold hold(String cameraId, Instant from, Instant to, String reason);

  /** Releases a hold; returns whether it existed. */
  boolean releaseHold(long holdId);

  /** A camera's holds. */
  List<RetentionHold> holds(String cameraId);

  /**
   * What gap healing did in a camera's range: the ranges it tried, oldest first, with their
   * outcome, tries, reason, the seconds healed and the source (at most 10,000).
   */
  List<io.heldar.core.heal.HealAttempt> heals(String cameraId, Instant from, Instant to);

  /** Timeline queries: coverage, segment pages, per-day summaries, nearest snapshot. */
  Timeline timeline();

  /**
   * Events after the one with id {@code afterId} (0: from the oldest kept), oldest first, at most
   * {@code limit} (0 to 10,000): pass the last id read to read on.
   */
  List<StoredEvent> events(long afterId, int limit);

  /**
   * Events before the one with id {@code beforeId} ({@code Long.MAX_VALUE}: the newest), newest
   * first, at most {@code limit} (0 to 10,000): pass the last id read to read further back.
   */
  List<StoredEvent> eventsBefore(long beforeId, int limit);
}
