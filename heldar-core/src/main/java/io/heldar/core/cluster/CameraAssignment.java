package io.heldar.core.cluster;

import io.heldar.core.store.LeaseLostException;
import io.heldar.core.store.LeaseStore.Duty;
import io.heldar.core.store.LeaseStore.Lease;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which cameras this process works on, and the fence around that work. The engines ask {@link
 * #owns} before starting a camera's work and run the work that writes the camera's rows through
 * {@link #fenced}. A single process owns every camera ({@link #SINGLE_NODE}); a cluster node owns
 * the cameras whose leases it holds and renewed recently enough.
 */
public interface CameraAssignment {
  /** One process, every camera, no fence: what Heldar does without cluster mode. */
  CameraAssignment SINGLE_NODE = new CameraAssignment() {
    @Override
    public boolean owns(String cameraId, Duty duty) {
      return true;
    }

    @Override
    public <T> T fenced(String cameraId, Duty duty, Supplier<T> work) {
      return work.get();
    }

    @Override
    public <T> T fencedAll(Collection<String> cameraIds, Duty duty, Supplier<T> work) {
      return work.get();
    }

    @Override
    public String toString() {
      return "single node";
    }
  };

  /**
   * Whether this process may start {@code duty} work for {@code cameraId} now: it holds the lease
   * and renewed it less than {@code lease − safety margin} ago.
   */
  boolean owns(String cameraId, Duty duty);

  /**
   * Runs {@code work}; every write transaction it opens checks, inside the transaction, that this
   * process still holds the camera's lease at the same epoch, and rolls back otherwise.
   *
   * @throws LeaseLostException when the lease is not held (then {@code work} did not run) or was
   *     lost while it ran (then its transaction rolled back)
   */
  <T> T fenced(String cameraId, Duty duty, Supplier<T> work);

  /**
   * {@link #fenced} for several cameras at once: every write transaction of {@code work} checks
   * each camera's lease (one transaction for a group, as the snapshot committer writes them). No
   * default: an assignment that fences says how it fences a group, and none skips the fence.
   *
   * @throws LeaseLostException when any of them is not held; nothing of {@code work} commits
   */
  <T> T fencedAll(Collection<String> cameraIds, Duty duty, Supplier<T> work);

  /** The lease held for (camera, duty), if any; always empty for {@link #SINGLE_NODE}. */
  default Optional<Lease> lease(String cameraId, Duty duty) {
    return Optional.empty();
  }

  /**
   * How old a temp file another process left must be before this one may remove it: {@link
   * Duration#ZERO} for one process (a temp file at start is a crash's), two lease periods in a
   * cluster (a live owner's writes are younger).
   */
  default Duration orphanAge() {
    return Duration.ZERO;
  }
}
