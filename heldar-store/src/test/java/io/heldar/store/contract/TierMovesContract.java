package io.heldar.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.engine.internal.EngineContext;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.Segment;
import io.heldar.core.retention.DiskSpace;
import io.heldar.core.retention.RetentionPolicy;
import io.heldar.core.retention.RetentionSweeper;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.testing.MutableClock;
import io.heldar.core.tier.MoveReport;
import io.heldar.core.tier.PlannedMove;
import io.heldar.core.tier.StorageTier;
import io.heldar.core.tier.StorageTiers;
import io.heldar.core.tier.TierMoveOptions;
import io.heldar.core.tier.internal.TierMover;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Storage tiers on the store under test and real files in two directories: moves by each rule,
 * verified; holds pin; a tier that goes away; a source changed while copied; a process stopped dead
 * at each step of a move, then a new process converging.
 */
public abstract class TierMovesContract extends StoreContractBase {
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  Path hot;
  Path cold;
  HeldarStore store;
  MutableClock clock;
  StorageTiers tiers;
  /** The bytes of every file recorded, by path: what must survive every move. */
  final Map<String, byte[]> content = new HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    hot = Files.createDirectories(dir.resolve("hot"));
    cold = Files.createDirectories(dir.resolve("cold"));
    store = openDatabase();
    clock = new MutableClock(T0.plus(Duration.ofDays(2)));
    tiers = StorageTiers.of(
        StorageTier.builder("ssd", hot).moveAfter(Duration.ofDays(1)).build(),
        StorageTier.builder("nas", cold).build());
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  List<Segment> record(String cam, Instant from, int n) throws IOException {
    return fixture().record(store, cam, from, n);
  }

  void assertConverged(HeldarStore s) throws IOException {
    fixture().assertConverged(s);
  }

  TierFixture fixture() {
    return new TierFixture(hot, cold, tiers, content);
  }

  TierMover mover(HeldarStore on, DiskSpace disk) {
    return mover(on, disk, 2);
  }

  /** A mover copying {@code files} at once. */
  TierMover mover(HeldarStore on, DiskSpace disk, int files) {
    return mover(on, disk, files, io.heldar.core.cluster.CameraAssignment.SINGLE_NODE);
  }

  /** A mover of the cameras {@code assignment} gives this node. */
  TierMover mover(
      HeldarStore on,
      DiskSpace disk,
      int files,
      io.heldar.core.cluster.CameraAssignment assignment) {
    EngineContext context = EngineContext.builder(on)
        .assignment(assignment)
        .clock(clock)
        .recordingsRoot(hot)
        .tiers(tiers)
        .build();
    TierMover m = new TierMover(
        context,
        tiers,
        TierMoveOptions.builder().bytesPerSecond(0).concurrentFiles(files).build(),
        disk,
        () -> false,
        io.heldar.core.index.SegmentIndexer.VanishGuard.DEFAULTS);
    m.start();
    return m;
  }

  TierMover mover() {
    return mover(store, DiskSpace.fileStore());
  }

  @Test
  void oldFootageMovesVerifiedAndEveryReaderFollowsIt() throws Exception {
    List<Segment> old = record("door", T0, 6);
    record("door", T0.plus(Duration.ofDays(1)).plusSeconds(3600), 3);
    long spansBefore = store
        .segments()
        .spans("door", T0, T0.plus(Duration.ofDays(3)), 100, Optional.empty())
        .size();

    MoveReport r = mover().round();

    assertThat(r.planned()).hasSize(6).allMatch(m -> m.reason() == PlannedMove.Reason.AGE);
    assertThat(r.moved()).isEqualTo(6);
    assertThat(r.failed()).isZero();
    for (Segment s : old) {
      assertThat(hot.resolve(s.path())).doesNotExist();
      assertThat(Files.readAllBytes(cold.resolve(s.path()))).isEqualTo(content.get(s.path()));
      assertThat(store.segments().findByPath(s.path()).orElseThrow().tier()).contains("nas");
      assertThat(Files.getLastModifiedTime(cold.resolve(s.path())).toInstant())
          .isEqualTo(s.fileModified());
    }
    assertThat(cold.resolve(StorageTiers.MARKER)).hasContent("nas");
    assertConverged(store);
    // The timeline does not notice; reconciliation of the recordings root sees the hot rows only.
    assertThat(store
            .segments()
            .spans("door", T0, T0.plus(Duration.ofDays(3)), 100, Optional.empty())
            .size())
        .isEqualTo(spansBefore);
    assertThat(store.segments().versionsInPathOrder("door", Optional.empty(), 100))
        .hasSize(3);
    assertThat(store.segments().bytesByTier("door"))
        .containsOnlyKeys(Optional.empty(), Optional.of("nas"));
    // A second round has nothing to do.
    assertThat(mover().round().planned()).isEmpty();

    // Retention deletes from where the footage lives now.
    RetentionSweeper sweeper = RetentionSweeper.builder()
        .store(store)
        .policy(RetentionPolicy.builder().maxAge(Duration.ofHours(36)).build())
        .storageTiers(tiers)
        .clock(clock)
        .build();
    assertThat(sweeper.sweep(true).segmentsDeleted()).isEqualTo(6);
    for (Segment s : old) {
      assertThat(cold.resolve(s.path())).doesNotExist();
      content.remove(s.path());
    }
    assertConverged(store);
  }

  @Test
  void heldAndLockedFootageStaysWhereItIs() throws Exception {
    List<Segment> old = record("door", T0, 6);
    store.holds().add("door", T0.plusSeconds(10), T0.plusSeconds(25), "incident 7", T0);

    MoveReport r = mover().round();

    assertThat(r.moved()).isEqualTo(4);
    assertThat(hot.resolve(old.get(1).path())).exists();
    assertThat(hot.resolve(old.get(2).path())).exists();
    assertThat(cold.resolve(old.get(0).path())).exists();
    assertConverged(store);
  }

  @Test
  void byteBudgetAndFreeSpaceMoveTheOldestFirst() throws Exception {
    tiers = StorageTiers.of(
        StorageTier.builder("ssd", hot).maxBytesPerCamera(1).build(),
        StorageTier.builder("nas", cold).build());
    List<Segment> door = record("door", clock.instant().minusSeconds(600), 3);
    List<Segment> yard = record("yard", clock.instant().minusSeconds(900), 3);
    List<PlannedMove> budget = mover().plan();
    // A one-byte budget moves all but... nothing is newer than the budget: everything moves.
    assertThat(budget).hasSize(6).allMatch(m -> m.reason() == PlannedMove.Reason.BYTES);

    tiers = StorageTiers.of(
        StorageTier.builder("ssd", hot).minFreeBytes(1_000_000).build(),
        StorageTier.builder("nas", cold).build());
    long needed = yard.get(0).sizeBytes() + 1; // free space short by just over one segment
    DiskSpace fake = new DiskSpace() {
      @Override
      public long usable(Path path) {
        return path.equals(hot) ? 1_000_000 - needed : Long.MAX_VALUE / 2;
      }

      @Override
      public long total(Path path) {
        return Long.MAX_VALUE;
      }
    };
    List<PlannedMove> free = mover(store, fake).plan();
    // The oldest of any camera first: yard's first, then yard's second (door starts later).
    assertThat(free)
        .extracting(PlannedMove::path)
        .containsExactly(yard.get(0).path(), yard.get(1).path());
    assertThat(free).allMatch(m -> m.reason() == PlannedMove.Reason.FREE_SPACE);
    assertThat(door).isNotEmpty();
  }

  @Test
  void anUnmountedTierWaitsWithOneEventAndLosesNothing() throws Exception {
    record("door", T0, 4);
    assertThat(mover().round().moved()).isEqualTo(4);
    record("door", T0.plusSeconds(100), 3);
    // The NAS goes away: its mount point is an empty directory again.
    Path away = Files.move(cold, dir.resolve("cold-unmounted"));
    Files.createDirectories(cold);

    TierMover m = mover();
    MoveReport r1 = m.round();
    MoveReport r2 = m.round();

    assertThat(r1.moved()).isZero();
    assertThat(r1.unavailable()).containsKey("nas");
    assertThat(r1.unavailable().get("nas")).contains("marker").contains("not mounted?");
    assertThat(r2.moved()).isZero();
    assertThat(store.events().count(Optional.empty(), EventKinds.STORAGE_TIER_UNAVAILABLE))
        .isEqualTo(1);
    assertThat(cold).isEmptyDirectory(); // nothing written to the bare mount point
    // Retention cannot delete what lives there: the rows stay, nothing counts as deleted.
    RetentionSweeper sweeper = RetentionSweeper.builder()
        .store(store)
        .policy(RetentionPolicy.builder().maxAge(Duration.ofHours(1)).build())
        .storageTiers(tiers)
        .clock(clock)
        .build();
    // The hot ones only, but the newest, which retention always keeps.
    assertThat(sweeper.sweep(true).segmentsDeleted()).isEqualTo(2);
    assertThat(store.segments().count("door")).isEqualTo(5);
    assertThat(store.events().count(Optional.of("door"), EventKinds.RETENTION_FAILED))
        .isEqualTo(4);
    for (int i = 0; i < 2; i++) {
      content.remove("door/" + T0.plusSeconds(100 + 10L * i).getEpochSecond() + ".mp4");
    }

    // Mounted again: one event says so, and everything is where its row says.
    Files.delete(cold);
    Files.move(away, cold);
    m.round();
    assertThat(store.events().count(Optional.empty(), EventKinds.STORAGE_TIER_AVAILABLE))
        .isEqualTo(1);
    assertConverged(store);
  }

  @Test
  void aFileGoneFromAFurtherTierIsMarkedMissingButAMassDisappearanceIsNot() throws Exception {
    List<Segment> old = record("door", T0, 4);
    assertThat(mover().round().moved()).isEqualTo(4);
    Files.delete(cold.resolve(old.get(1).path()));

    mover().checkTierFiles(Map.of());

    assertThat(store.segments().countMissing("door")).isEqualTo(1);
    assertThat(store.segments().missing("door", 10).get(0).tier()).contains("nas");
    assertThat(store.gaps().overlapping("door", T0, T0.plus(Duration.ofDays(1))))
        .anySatisfy(g -> assertThat(g.cause().name()).isEqualTo("LOST"));
    // Every other file gone at once looks like an outage, not a loss: nothing is marked.
    for (int i : new int[] {0, 2, 3}) {
      Files.delete(cold.resolve(old.get(i).path()));
    }
    mover().checkTierFiles(Map.of());
    assertThat(store.segments().countMissing("door")).isEqualTo(1);
    assertThat(store.events().count(Optional.of("door"), EventKinds.STORAGE_UNAVAILABLE))
        .isEqualTo(1);
  }

  /** A node that holds a camera's files lease until the commit of its moves, then loses it. */
  static final class LeaseLostAtCommit implements io.heldar.core.cluster.CameraAssignment {
    final java.util.concurrent.atomic.AtomicInteger fenced =
        new java.util.concurrent.atomic.AtomicInteger();
    final boolean owns;

    LeaseLostAtCommit(boolean owns) {
      this.owns = owns;
    }

    @Override
    public boolean owns(String cameraId, io.heldar.core.store.LeaseStore.Duty duty) {
      return owns;
    }

    @Override
    public <T> T fenced(
        String cameraId,
        io.heldar.core.store.LeaseStore.Duty duty,
        java.util.function.Supplier<T> work) {
      // The first fenced write (the marks) holds; the next (the commit) finds the lease gone.
      if (!owns || fenced.incrementAndGet() > 1) {
        throw new io.heldar.core.store.LeaseLostException("node-a", cameraId, duty);
      }
      return work.get();
    }

    @Override
    public <T> T fencedAll(
        java.util.Collection<String> cameraIds,
        io.heldar.core.store.LeaseStore.Duty duty,
        java.util.function.Supplier<T> work) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void onlyTheFilesLeaseHolderMovesAndALostLeaseLeavesNoCopy() throws Exception {
    List<Segment> old = record("door", T0, 3);
    // Not this node's camera: nothing planned, nothing touched.
    TierMover other = mover(store, DiskSpace.fileStore(), 2, new LeaseLostAtCommit(false));
    assertThat(other.plan()).isEmpty();
    assertThat(other.round().moved()).isZero();
    assertThat(store.segments().moving(10)).isEmpty();

    // This node's until the commit: the copies it made are removed, nothing is committed.
    MoveReport lost =
        mover(store, DiskSpace.fileStore(), 2, new LeaseLostAtCommit(true)).round();
    assertThat(lost.moved()).isZero();
    for (Segment s : old) {
      assertThat(cold.resolve(s.path())).doesNotExist();
      assertThat(hot.resolve(s.path())).exists();
      assertThat(store.segments().findByPath(s.path()).orElseThrow().tier()).isEmpty();
    }
    // The marks stay for the new holder, which settles them and moves everything.
    assertThat(store.segments().moving(10)).hasSize(3);
    MoveReport next = mover().round();
    assertThat(next.finished()).isEqualTo(3);
    assertThat(next.moved()).isEqualTo(3);
    assertConverged(store);
  }

  @Test
  void aSourceChangedWhileItIsCopiedIsRefused() throws Exception {
    List<Segment> old = record("door", T0, 2);
    TierMover m = mover();
    m.onSteps(step -> {
      if (step.equals("verify")) {
        try {
          Files.write(
              hot.resolve(old.get(0).path()), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    });

    MoveReport r = m.round();

    assertThat(r.failed()).isGreaterThanOrEqualTo(1);
    assertThat(store
            .events()
            .recent(Optional.of("door"), Optional.of(EventKinds.TIER_MOVE_FAILED), 10))
        .anySatisfy(e -> assertThat(String.valueOf(e.payload().get("reason")))
            .contains("changed while it was copied"));
    assertThat(hot.resolve(old.get(0).path())).exists();
    assertThat(cold.resolve(old.get(0).path())).doesNotExist();
    assertThat(store.segments().findByPath(old.get(0).path()).orElseThrow().tier())
        .isEmpty();
    assertThat(store.segments().moving(10)).isEmpty();
    try (Stream<Path> files = Files.walk(cold)) {
      assertThat(files.map(Path::toString)).noneMatch(f -> f.endsWith(".heldar-move"));
    }
  }

  /**
   * A process stopped dead before a step of a move (its threads frozen for good, as by {@code kill
   * -9}), then a new process on the same database and directories: it converges, and the next round
   * moves everything.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {"mark", "copy", "fsync", "verify", "rename", "commit", "unlink", "finish"})
  void aProcessStoppedAtAnyStepConverges(String at) throws Exception {
    List<Segment> old = record("door", T0, 5);
    CountDownLatch reached = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    HeldarStore first = openDatabase();
    // One copy at a time: a process stopped dead does nothing more, so no other thread may go on.
    TierMover dying = mover(first, DiskSpace.fileStore(), 1);
    dying.onSteps(step -> {
      if (step.equals(at)) {
        reached.countDown();
        try {
          never.await(); // frozen here for good
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("stopped");
        }
      }
    });
    Thread t = new Thread(dying::round, "dying-mover");
    t.setDaemon(true);
    t.start();
    assertThat(reached.await(30, TimeUnit.SECONDS)).as("reached " + at).isTrue();

    TierMover next = mover();
    next.recover();
    assertConverged(store);
    MoveReport r = next.round();
    assertThat(r.failed()).isZero();
    for (Segment s : old) {
      assertThat(store.segments().findByPath(s.path()).orElseThrow().tier()).contains("nas");
    }
    assertConverged(store);
  }
}
