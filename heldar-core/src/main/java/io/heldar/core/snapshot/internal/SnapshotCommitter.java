package io.heldar.core.snapshot.internal;

import io.heldar.core.cluster.CameraAssignment;
import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.model.SlotSnapshot;
import io.heldar.core.model.Snapshot;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.core.runtime.Deadline;
import io.heldar.core.snapshot.SnapshotCaptureException;
import io.heldar.core.snapshot.SnapshotScheduler;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.store.LeaseLostException;
import io.heldar.core.store.LeaseStore.Duty;
import io.heldar.core.store.LeaseStore.Lease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot pipeline's last stage, on one thread ({@code heldar-snapshot-commit}): commits the
 * rows of written files in groups, fenced by each camera's capture lease, then has the files renamed
 * to their final names. A slot already taken keeps its row (the copy is dropped); a capture whose
 * lease ended is dropped for the next tenure to account for; a row the store refuses is the slot's
 * failure.
 */
final class SnapshotCommitter {
  private static final Logger log = LoggerFactory.getLogger(SnapshotCommitter.class);
  private static final int MAX_COMMIT_BATCH = 1000;

  /**
   * A written snapshot file waiting for its row and its schedule's {@code last_fired_at}; {@code
   * tenure} is the capture lease the slot was fired under.
   */
  record Pending(
      SnapshotSchedule schedule,
      Instant slot,
      SnapshotFiles.Written file,
      Instant takenAt,
      Optional<Lease> tenure) {}

  private final HeldarStore store;
  private final Clock clock;
  private final EventPublisher events;
  private final CameraAssignment assignment;
  private final SnapshotFiles files;
  private final SlotLedger ledger;
  private final Executor writers;
  private final java.util.function.Consumer<Pending> onDone;
  private final SnapshotScheduler.SlotObserver observer;
  /** Files written and waiting for their rows. */
  private final BlockingQueue<Pending> commits = new LinkedBlockingQueue<>();
  /**
   * Rows held back until an earlier slot of their schedule is settled (committer thread only).
   */
  private final List<Pending> held = new ArrayList<>();

  private final Thread thread;
  private final AtomicLong stored = new AtomicLong();
  private volatile boolean closed;
  private boolean started;

  /**
   * @param writers where renames run (the rename threads; inline once they refuse work)
   * @param observer hears of each snapshot committed
   * @param onDone called once per pending snapshot when it is over (stored, dropped or failed)
   */
  SnapshotCommitter(
      HeldarStore store,
      Clock clock,
      EventPublisher events,
      CameraAssignment assignment,
      SnapshotFiles files,
      SlotLedger ledger,
      Executor writers,
      SnapshotScheduler.SlotObserver observer,
      java.util.function.Consumer<Pending> onDone) {
    this.store = store;
    this.clock = clock;
    this.events = events;
    this.assignment = assignment;
    this.files = files;
    this.ledger = ledger;
    this.writers = writers;
    this.onDone = onDone;
    this.observer = observer;
    // Made here, started by the first tick or recovery: building a scheduler starts nothing.
    this.thread = new Thread(this::commitLoop, "heldar-snapshot-commit");
    this.thread.setDaemon(true);
  }

  /** Starts the thread the first time work may reach it (not after {@link #close}). */
  void start() {
    synchronized (thread) {
      if (!started && !closed) {
        thread.start();
        started = true;
      }
    }
  }

  /** Queues a written file for its row. */
  void add(Pending p) {
    commits.add(p);
  }

  /** Snapshots committed since start. */
  long stored() {
    return stored.get();
  }

  /**
   * Lets the thread drain what it was handed, then end, waiting up to {@code deadline}; interrupts
   * it at the deadline.
   */
  void close(Deadline deadline) {
    closed = true;
    synchronized (thread) {
      if (!started) {
        return;
      }
    }
    if (!deadline.join(thread)) {
      thread.interrupt();
      log.warn(
          "snapshot committer still running at the stop deadline; interrupted (a crash-safe state: rows commit before renames)");
    }
  }

  /**
   * Commits written files' rows in groups: one transaction for everything queued, which keeps a
   * thousand snapshots a second from queueing behind a thousand single-row transactions. A row
   * whose schedule has an earlier slot still open (its file still being written, its failure not
   * yet recorded) is held back until that slot is settled, so the schedule's last spent slot never
   * passes a slot without an outcome (see {@link SlotLedger}).
   */
  private void commitLoop() {
    List<Pending> batch = new ArrayList<>();
    while (true) {
      try {
        Pending first = commits.poll(100, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          commits.drainTo(batch, MAX_COMMIT_BATCH - 1);
        }
        if (!held.isEmpty()) {
          ledger.retryUnrecorded(); // an earlier slot's failure may be what the held rows wait for
          batch.addAll(held);
          held.clear();
        }
        if (batch.isEmpty()) {
          if (closed) {
            return;
          }
          continue;
        }
        List<Pending> ready = inSlotOrder(batch);
        if (ready.isEmpty() && closed && first == null) {
          // Stopping past the deadline, and what the held rows wait for (a write cut off, a record
          // the store refused) will not be settled by this process. Committing them would spend
          // their slots past one nobody accounted for; dropped, they and it are counted missed by
          // the next start, which resumes after the last slot spent.
          log.warn(
              "{} snapshot(s) not committed at the stop: an earlier slot of their schedule had no"
                  + " outcome; the next start counts them missed",
              held.size());
          held.forEach(p -> {
            deleteQuietly(p.file().temp());
            settle(p);
          });
          held.clear();
          continue;
        }
        if (!ready.isEmpty()) {
          commit(ready);
          if (ledger.hasUnrecorded()) {
            ledger.retryUnrecorded(); // records that waited for these slots, without a tick's delay
          }
        }
      } catch (InterruptedException ie) {
        if (closed && commits.isEmpty()) {
          return;
        }
      } catch (Throwable t) { // NOPMD: the committer must survive anything; commit() reported it
        log.error("snapshot committer failed", t);
      } finally {
        batch.clear();
      }
    }
  }

  /**
   * The rows of {@code batch} that may be committed now, in slot order per schedule: those of a
   * schedule with no open slot before them outside the batch. The others are added to {@link
   * #held}.
   */
  private List<Pending> inSlotOrder(List<Pending> batch) {
    Map<Long, Set<Instant>> slots = new HashMap<>();
    for (Pending p : batch) {
      slots.computeIfAbsent(p.schedule().id(), k -> new HashSet<>()).add(p.slot());
    }
    List<Pending> ready = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      long id = p.schedule().id();
      if (ledger.waitsForEarlier(id, p.slot(), slots.get(id))) {
        held.add(p);
      } else {
        ready.add(p);
      }
    }
    if (!held.isEmpty()) {
      log.debug("{} snapshot row(s) wait for an earlier slot of their schedule", held.size());
    }
    ready.sort(java.util.Comparator.comparing(Pending::slot));
    return ready;
  }

  private void commit(List<Pending> batch) {
    Set<String> cameras = new java.util.TreeSet<>();
    batch.forEach(p -> cameras.add(p.schedule().cameraId()));
    commitGroup(cameras, batch);
  }

  /** A pending row is over without a row of its own (dropped): its slot is settled. */
  private void settle(Pending p) {
    ledger.settled(p.schedule().id(), p.slot());
    onDone.accept(p);
  }

  /**
   * Commits captures of {@code cameras} in one transaction, fenced by each camera's capture lease in
   * a cluster: a node that lost a camera commits nothing of it, and a slot already taken (by
   * whichever process) keeps its row. A group whose fence fails is split per camera, so only the
   * lost cameras' captures are dropped.
   */
  private void commitGroup(Set<String> cameras, List<Pending> batch) {
    Instant now = clock.instant();
    try {
      List<SlotSnapshot> refused = assignment.fencedAll(
          cameras,
          Duty.CAPTURE,
          () -> store.inTransaction(() -> {
            List<SlotSnapshot> rows = new ArrayList<>(batch.size());
            for (Pending p : batch) {
              ledger.requireTenure(p.schedule().cameraId(), p.tenure());
              Optional<Lease> lease = p.tenure();
              rows.add(new SlotSnapshot(
                  new Snapshot(
                      p.schedule().cameraId(),
                      OptionalLong.of(p.schedule().id()),
                      p.file().path(),
                      p.takenAt(),
                      p.file().size(),
                      now),
                  p.slot(),
                  lease.map(Lease::nodeId),
                  lease.map(Lease::epoch).orElse(0L)));
            }
            List<SlotSnapshot> taken = store.snapshots().insertForSlots(rows);
            java.util.Map<Long, Instant> fired = new java.util.HashMap<>();
            for (Pending p : batch) {
              fired.merge(p.schedule().id(), p.slot(), (a, b) -> a.isAfter(b) ? a : b);
            }
            store.snapshotSchedules().markFiredAll(fired, now);
            return taken;
          }));
      Set<String> duplicate = new HashSet<>();
      refused.forEach(r -> duplicate.add(r.snapshot().path()));
      for (Pending p : batch) {
        if (duplicate.contains(p.file().path())) {
          // Another process took this slot (two processes on one database without cluster
          // mode): the slot has its snapshot; this copy is dropped.
          log.warn(
              "schedule {} (camera {}): slot {} was already captured; this copy is dropped",
              p.schedule().id(),
              p.schedule().cameraId(),
              p.slot());
          deleteQuietly(p.file().temp());
          settle(p);
        } else {
          ledger.settled(p.schedule().id(), p.slot());
          stored.incrementAndGet();
          try {
            observer.stored(p.schedule(), p.slot(), now);
          } catch (RuntimeException e) {
            log.warn("a slot observer failed: {}", e.toString());
          }
          publish(p);
        }
      }
    } catch (SlotLedger.TenureEnded ended) {
      if (batch.size() > 1) {
        commitEach(batch); // find the captures of an ended tenure; the others still commit
        return;
      }
      Pending p = batch.get(0);
      log.info(
          "schedule {} (camera {}): snapshot for slot {} not committed: {}",
          p.schedule().id(),
          p.schedule().cameraId(),
          p.slot(),
          ended.getMessage());
      deleteQuietly(p.file().temp());
      settle(p);
    } catch (LeaseLostException lost) {
      if (cameras.size() > 1) {
        splitByCamera(batch);
        return;
      }
      // The assignment reported it (lease_lost); the slots belong to the camera's new owner.
      for (Pending p : batch) {
        log.warn(
            "schedule {} (camera {}): snapshot for slot {} not committed: {}",
            p.schedule().id(),
            p.schedule().cameraId(),
            p.slot(),
            lost.getMessage());
        deleteQuietly(p.file().temp());
        settle(p);
      }
    } catch (RuntimeException e) {
      if (batch.size() > 1) {
        commitEach(batch); // find the row that failed; the others still commit
        return;
      }
      Pending p = batch.get(0);
      deleteQuietly(p.file().temp());
      ledger.fail(
          p.schedule(),
          p.slot(),
          new SnapshotCaptureException(
              p.schedule().cameraId(), "cannot record snapshot: " + e.getMessage(), false, e),
          p.tenure());
      onDone.accept(p);
    }
  }

  /**
   * Commits the rows of {@code batch} one at a time, in slot order; a row whose schedule has an
   * earlier slot open by then (an earlier row of the batch failed and its failure waits for the
   * store) is held back instead.
   */
  private void commitEach(List<Pending> batch) {
    for (Pending p : batch) {
      if (ledger.waitsForEarlier(p.schedule().id(), p.slot(), Set.of())) {
        held.add(p);
      } else {
        commitGroup(Set.of(p.schedule().cameraId()), List.of(p));
      }
    }
  }

  private void splitByCamera(List<Pending> batch) {
    Map<String, List<Pending>> byCamera = new LinkedHashMap<>();
    for (Pending p : batch) {
      byCamera.computeIfAbsent(p.schedule().cameraId(), k -> new ArrayList<>()).add(p);
    }
    byCamera.forEach((camera, pending) -> commitGroup(Set.of(camera), pending));
  }

  /** Renames committed files to their final names on the rename threads (inline once they are shut down). */
  private void publish(Pending p) {
    Runnable rename = () -> {
      try {
        files.publish(p.file());
      } catch (IOException | RuntimeException e) {
        // The row is committed; the bytes are in the temp file, which recovery renames at the next
        // start.
        log.error(
            "schedule {} (camera {}): cannot rename {} to its final name (recovery will): {}",
            p.schedule().id(),
            p.schedule().cameraId(),
            p.file().temp(),
            e.toString());
        events.publish(HeldarEvent.of(
            p.schedule().cameraId(),
            new TypedEvent.SnapshotFileMissing(
                1,
                p.file().path(),
                Optional.of("row committed but the file could not be renamed into place (" + e
                    + "); the next start's recovery renames it")),
            clock.instant()));
      } finally {
        onDone.accept(p);
      }
    };
    try {
      writers.execute(rename);
    } catch (RejectedExecutionException e) {
      rename.run();
    }
  }

  private static void deleteQuietly(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException e) {
      log.warn("could not remove {}", f, e);
    }
  }
}
