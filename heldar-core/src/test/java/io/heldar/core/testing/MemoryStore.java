package io.heldar.core.testing;

import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.StoredEvent;
import io.heldar.core.model.Camera;
import io.heldar.core.model.CameraStats;
import io.heldar.core.model.GapCause;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.model.RetentionHold;
import io.heldar.core.model.Segment;
import io.heldar.core.model.SegmentSpan;
import io.heldar.core.model.SlotSnapshot;
import io.heldar.core.model.Snapshot;
import io.heldar.core.model.SnapshotSchedule;
import io.heldar.core.store.CameraStatsStore;
import io.heldar.core.store.CameraStore;
import io.heldar.core.store.EventStore;
import io.heldar.core.store.GapStore;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.store.HoldStore;
import io.heldar.core.store.LeaseLostException;
import io.heldar.core.store.LeaseStore;
import io.heldar.core.store.SegmentStore;
import io.heldar.core.store.SnapshotScheduleStore;
import io.heldar.core.store.SnapshotStore;
import io.heldar.core.store.UnreadableFileStore;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A store in memory for heldar-core's own tests of engine decisions: cameras, events, segment
 * rows and spans, holds, recording gaps, snapshot schedules and the snapshots of their slots, and leases
 * (with the lease rules of the PostgreSQL store: claims take unheld or expired rows and raise the
 * epoch, renewals and fences need the same node, epoch and an unexpired row, all on the database
 * clock). Everything else throws: a test that reaches it needs the store contract kit, which runs
 * against real SQL in heldar-store. One thread at a time; transactions just run.
 */
public final class MemoryStore implements HeldarStore {
  private final Clock databaseClock;
  private final Map<String, Camera> cameras = new TreeMap<>();
  private final List<StoredEvent> events = new ArrayList<>();
  private long eventIds;
  private final Map<String, LeaseStore.Lease> leases = new TreeMap<>();
  private final Map<String, LeaseStore.Node> nodes = new TreeMap<>();
  private final MemoryLeases leaseStore = new MemoryLeases();
  private final Map<Long, SnapshotSchedule> schedules = new TreeMap<>();
  private final Map<String, List<SegmentSpan>> spans = new TreeMap<>();
  private final Map<String, Segment> segmentRows = new TreeMap<>();
  private final java.util.Set<String> pendingSegments = new java.util.LinkedHashSet<>();
  private final Map<Long, RetentionHold> holdRows = new TreeMap<>();
  private final java.util.Set<String> pendingSnapshots = new java.util.LinkedHashSet<>();
  private final Map<Long, RecordingGap> gaps = new TreeMap<>();
  private long gapIds;
  /** Snapshots by "schedule@slot". */
  private final Map<String, SlotSnapshot> slots = new TreeMap<>();

  /** A store whose database clock is {@code databaseClock} (leases expire on it). */
  public MemoryStore(Clock databaseClock) {
    this.databaseClock = databaseClock;
  }

  @Override
  public synchronized CameraStore cameras() {
    return new CameraStore() {
      @Override
      public boolean add(Camera camera) {
        synchronized (MemoryStore.this) {
          return cameras.putIfAbsent(camera.id(), camera) == null;
        }
      }

      @Override
      public boolean update(Camera camera) {
        synchronized (MemoryStore.this) {
          return cameras.replace(camera.id(), camera) != null;
        }
      }

      @Override
      public Optional<Camera> find(String id) {
        synchronized (MemoryStore.this) {
          return Optional.ofNullable(cameras.get(id));
        }
      }

      @Override
      public List<Camera> list() {
        synchronized (MemoryStore.this) {
          return List.copyOf(cameras.values());
        }
      }

      @Override
      public boolean delete(String id) {
        synchronized (MemoryStore.this) {
          return cameras.remove(id) != null;
        }
      }
    };
  }

  private final java.util.TreeMap<String, io.heldar.core.heal.HealAttempt> heals =
      new java.util.TreeMap<>();

  @Override
  public io.heldar.core.store.HealStore heals() {
    return new io.heldar.core.store.HealStore() {
      @Override
      public void record(io.heldar.core.heal.HealAttempt a) {
        synchronized (MemoryStore.this) {
          heals.put(a.cameraId() + "\u0000" + String.format("%020d", a.from().toEpochMilli()), a);
        }
      }

      @Override
      public Optional<io.heldar.core.heal.HealAttempt> find(String cameraId, Instant from) {
        synchronized (MemoryStore.this) {
          return Optional.ofNullable(
              heals.get(cameraId + "\u0000" + String.format("%020d", from.toEpochMilli())));
        }
      }

      @Override
      public List<io.heldar.core.heal.HealAttempt> overlapping(
          String cameraId, Instant from, Instant to, int limit) {
        synchronized (MemoryStore.this) {
          return heals.values().stream()
              .filter(a -> a.cameraId().equals(cameraId)
                  && a.from().isBefore(to)
                  && a.to().isAfter(from))
              .limit(limit)
              .toList();
        }
      }
    };
  }

  @Override
  public EventStore events() {
    return new EventStore() {
      @Override
      public long append(HeldarEvent event) {
        synchronized (MemoryStore.this) {
          long id = ++eventIds;
          events.add(new StoredEvent(id, event));
          return id;
        }
      }

      @Override
      public List<HeldarEvent> recent(Optional<String> cameraId, Optional<String> kind, int limit) {
        synchronized (MemoryStore.this) {
          List<HeldarEvent> out = new ArrayList<>();
          for (int i = events.size() - 1; i >= 0 && out.size() < limit; i--) {
            HeldarEvent e = events.get(i).event();
            if (cameraId.map(c -> e.cameraId().equals(Optional.of(c))).orElse(true)
                && kind.map(k -> k.equals(e.kind())).orElse(true)) {
              out.add(e);
            }
          }
          return out;
        }
      }

      @Override
      public List<StoredEvent> after(long afterId, Optional<String> cameraId, int limit) {
        synchronized (MemoryStore.this) {
          return events.stream()
              .filter(e -> e.id() > afterId)
              .filter(e ->
                  cameraId.map(c -> e.event().cameraId().equals(Optional.of(c))).orElse(true))
              .limit(limit)
              .toList();
        }
      }

      @Override
      public List<StoredEvent> before(long beforeId, Optional<String> cameraId, int limit) {
        synchronized (MemoryStore.this) {
          List<StoredEvent> out = new ArrayList<>();
          for (int i = events.size() - 1; i >= 0 && out.size() < limit; i--) {
            StoredEvent e = events.get(i);
            if (e.id() < beforeId
                && cameraId
                    .map(c -> e.event().cameraId().equals(Optional.of(c)))
                    .orElse(true)) {
              out.add(e);
            }
          }
          return out;
        }
      }

      @Override
      public int deleteOlderThan(Instant cutoff, int limit) {
        synchronized (MemoryStore.this) {
          int n = 0;
          var it = events.iterator();
          while (it.hasNext() && n < limit) {
            if (it.next().event().createdAt().isBefore(cutoff)) {
              it.remove();
              n++;
            }
          }
          return n;
        }
      }

      @Override
      public long count(Optional<String> cameraId, String kind) {
        return recent(cameraId, Optional.of(kind), Integer.MAX_VALUE).size();
      }
    };
  }

  /** Every event appended, oldest first. */
  public synchronized List<HeldarEvent> allEvents() {
    return events.stream().map(StoredEvent::event).toList();
  }

  @Override
  public Optional<LeaseStore> leases() {
    return Optional.of(leaseStore);
  }

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    return work.get();
  }

  /**
   * Adds a segment's span as the index would (what the gap detector reads of segments: spans and
   * the nearest ends and starts); the memory store keeps no other segment column.
   */
  public synchronized void addSpan(String cameraId, String path, Instant start, Instant end) {
    spans
        .computeIfAbsent(cameraId, k -> new ArrayList<>())
        .add(new SegmentSpan(path, start, end, 1));
  }

  /** Adds an indexed segment: its row (for retention) and its span (for gaps and coverage). */
  public synchronized void addSegment(Segment segment) {
    segmentRows.put(segment.path(), segment);
    addSpan(segment.cameraId(), segment.path(), segment.start(), segment.end());
  }

  /** Paths of the segment rows left, oldest first. */
  public synchronized List<String> segmentPaths() {
    return segmentRows.values().stream()
        .sorted(java.util.Comparator.comparing(Segment::start).thenComparing(Segment::path))
        .map(Segment::path)
        .toList();
  }

  /** Removes a segment's span (retention deleted its row). */
  public synchronized void removeSpan(String cameraId, String path) {
    spans.getOrDefault(cameraId, new ArrayList<>()).removeIf(x -> x.path().equals(path));
  }

  @Override
  public SegmentStore segments() {
    SegmentStore rest = absent(SegmentStore.class);
    return (SegmentStore) Proxy.newProxyInstance(
        MemoryStore.class.getClassLoader(),
        new Class<?>[] {SegmentStore.class},
        (proxy, method, args) -> {
          synchronized (MemoryStore.this) {
            List<SegmentSpan> of = args != null && args[0] instanceof String camera
                ? spans.getOrDefault(camera, List.of())
                : List.of();
            switch (method.getName()) {
              case "touching": {
                Instant from = (Instant) args[1];
                Instant to = (Instant) args[2];
                return of.stream()
                    .filter(x -> !x.start().isAfter(to) && !x.end().isBefore(from))
                    .sorted(java.util.Comparator.comparing(SegmentSpan::start)
                        .thenComparing(SegmentSpan::path))
                    .toList();
              }
              case "spans": {
                Instant from = (Instant) args[1];
                Instant to = (Instant) args[2];
                int limit = (Integer) args[3];
                @SuppressWarnings("unchecked")
                Optional<SegmentSpan> after = (Optional<SegmentSpan>) args[4];
                java.util.Comparator<SegmentSpan> order = java.util.Comparator.comparing(
                        SegmentSpan::start)
                    .thenComparing(SegmentSpan::path);
                return of.stream()
                    .filter(x -> x.start().isBefore(to) && x.end().isAfter(from))
                    .filter(x -> after.map(a -> order.compare(x, a) > 0).orElse(true))
                    .sorted(order)
                    .limit(limit)
                    .toList();
              }
              case "newest":
                return segmentRows.values().stream()
                    .filter(x -> x.cameraId().equals(args[0]))
                    .max(java.util.Comparator.comparing(Segment::start)
                        .thenComparing(Segment::path));
              case "oldestFirst": {
                @SuppressWarnings("unchecked")
                Optional<String> camera = (Optional<String>) args[0];
                int limit = (Integer) args[1];
                @SuppressWarnings("unchecked")
                Optional<Segment> after = (Optional<Segment>) args[2];
                java.util.Comparator<Segment> order =
                    java.util.Comparator.comparing(Segment::start).thenComparing(Segment::path);
                return segmentRows.values().stream()
                    .filter(x -> camera.map(x.cameraId()::equals).orElse(true))
                    .filter(x -> !pendingSegments.contains(x.path()))
                    .filter(x -> after.map(a -> order.compare(x, a) > 0).orElse(true))
                    .sorted(order)
                    .limit(limit)
                    .toList();
              }
              case "oldestCandidates": {
                @SuppressWarnings("unchecked")
                Optional<String> camera = (Optional<String>) args[0];
                int limit = (Integer) args[1];
                @SuppressWarnings("unchecked")
                Optional<io.heldar.core.store.RetentionCandidate> after =
                    (Optional<io.heldar.core.store.RetentionCandidate>) args[2];
                java.util.Comparator<Segment> order =
                    java.util.Comparator.comparing(Segment::start).thenComparing(Segment::path);
                return segmentRows.values().stream()
                    .filter(x -> camera.map(x.cameraId()::equals).orElse(true))
                    .filter(x -> !pendingSegments.contains(x.path()))
                    .filter(x -> after
                        .map(a -> x.start().compareTo(a.start()) > 0
                            || (x.start().equals(a.start()) && x.path().compareTo(a.path()) > 0))
                        .orElse(true))
                    .sorted(order)
                    .limit(limit)
                    .map(io.heldar.core.store.RetentionCandidate::of)
                    .toList();
              }
              case "markDeletePending": {
                int n = 0;
                for (Object path : (Collection<?>) args[0]) {
                  if (segmentRows.containsKey(path) && pendingSegments.add((String) path)) {
                    n++;
                  }
                }
                return n;
              }
              case "clearDeletePending":
                pendingSegments.removeAll((Collection<?>) args[0]);
                return null;
              case "deletePending":
                return pendingSegments.stream()
                    .map(segmentRows::get)
                    .limit((Integer) args[0])
                    .toList();
              case "delete": {
                int n = 0;
                for (Object path : (Collection<?>) args[0]) {
                  Segment gone = segmentRows.remove(path);
                  pendingSegments.remove(path);
                  if (gone != null) {
                    removeSpan(gone.cameraId(), gone.path());
                    n++;
                  }
                }
                return n;
              }
              case "latestEndAtOrBefore":
                return of.stream()
                    .map(SegmentSpan::end)
                    .filter(e -> !e.isAfter((Instant) args[1]))
                    .max(java.util.Comparator.naturalOrder());
              case "earliestStartAtOrAfter":
                return of.stream()
                    .map(SegmentSpan::start)
                    .filter(e -> !e.isBefore((Instant) args[1]))
                    .min(java.util.Comparator.naturalOrder());
              default:
                try {
                  return method.invoke(rest, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                  throw e.getCause();
                }
            }
          }
        });
  }

  @Override
  public GapStore gaps() {
    return new GapStore() {
      private List<RecordingGap> where(
          String cameraId, java.util.function.Predicate<RecordingGap> p) {
        synchronized (MemoryStore.this) {
          return gaps.values().stream()
              .filter(g -> g.cameraId().equals(cameraId))
              .filter(p)
              .sorted(java.util.Comparator.comparing(RecordingGap::start)
                  .thenComparing(RecordingGap::id))
              .toList();
        }
      }

      @Override
      public RecordingGap insertOpen(
          String cameraId, Instant start, Instant end, GapCause cause, Instant detectedAt) {
        synchronized (MemoryStore.this) {
          long id = ++gapIds;
          RecordingGap g = new RecordingGap(
              id, cameraId, start, end, GapStatus.OPEN, cause, detectedAt, Optional.empty());
          gaps.put(id, g);
          return g;
        }
      }

      @Override
      public boolean resize(long id, Instant start, Instant end) {
        synchronized (MemoryStore.this) {
          RecordingGap g = gaps.get(id);
          if (g == null) {
            return false;
          }
          gaps.put(
              id,
              new RecordingGap(
                  id,
                  g.cameraId(),
                  start,
                  end,
                  g.status(),
                  g.cause(),
                  g.detectedAt(),
                  g.filledAt()));
          return true;
        }
      }

      @Override
      public boolean markFilled(long id, Instant filledAt) {
        synchronized (MemoryStore.this) {
          RecordingGap g = gaps.get(id);
          if (g == null) {
            return false;
          }
          gaps.put(
              id,
              new RecordingGap(
                  id,
                  g.cameraId(),
                  g.start(),
                  g.end(),
                  GapStatus.FILLED,
                  g.cause(),
                  g.detectedAt(),
                  Optional.of(filledAt)));
          return true;
        }
      }

      @Override
      public List<RecordingGap> openOverlapping(String cameraId, Instant from, Instant to) {
        return where(
            cameraId,
            g -> g.status() == GapStatus.OPEN
                && g.start().isBefore(to)
                && g.end().isAfter(from));
      }

      @Override
      public List<RecordingGap> list(String cameraId, Optional<GapStatus> status) {
        return where(cameraId, g -> status.map(x -> x == g.status()).orElse(true));
      }

      @Override
      public List<RecordingGap> overlapping(String cameraId, Instant from, Instant to) {
        return where(cameraId, g -> g.start().isBefore(to) && g.end().isAfter(from));
      }

      @Override
      public Optional<RecordingGap> openOfCause(String cameraId, GapCause cause) {
        return where(cameraId, g -> g.status() == GapStatus.OPEN && g.cause() == cause).stream()
            .findFirst();
      }

      @Override
      public boolean delete(long id) {
        synchronized (MemoryStore.this) {
          return gaps.remove(id) != null;
        }
      }

      @Override
      public Optional<RecordingGap> find(long id) {
        synchronized (MemoryStore.this) {
          return Optional.ofNullable(gaps.get(id));
        }
      }
    };
  }

  /** Stats derived from the spans: the newest end and the count (what the metrics read). */
  @Override
  public CameraStatsStore cameraStats() {
    CameraStatsStore rest = absent(CameraStatsStore.class);
    return (CameraStatsStore) Proxy.newProxyInstance(
        MemoryStore.class.getClassLoader(),
        new Class<?>[] {CameraStatsStore.class},
        (proxy, method, args) -> {
          if (!method.getName().equals("find") && !method.getName().equals("refresh")) {
            try {
              return method.invoke(rest, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
              throw e.getCause();
            }
          }
          synchronized (MemoryStore.this) {
            String camera = (String) args[0];
            List<SegmentSpan> of = spans.getOrDefault(camera, List.of());
            long bytes = segmentRows.values().stream()
                .filter(x -> x.cameraId().equals(camera))
                .mapToLong(Segment::sizeBytes)
                .sum();
            CameraStats stats = new CameraStats(
                camera,
                of.stream().map(SegmentSpan::end).max(java.util.Comparator.naturalOrder()),
                java.util.OptionalDouble.empty(),
                java.util.OptionalDouble.empty(),
                of.size(),
                bytes,
                databaseClock.instant());
            if (method.getName().equals("refresh")) {
              return stats;
            }
            return of.isEmpty() ? Optional.empty() : Optional.of(stats);
          }
        });
  }

  @Override
  public UnreadableFileStore unreadableFiles() {
    return absent(UnreadableFileStore.class);
  }

  @Override
  public SnapshotScheduleStore snapshotSchedules() {
    return new SnapshotScheduleStore() {
      @Override
      public SnapshotSchedule create(
          String cameraId, Duration interval, boolean enabled, Instant now) {
        synchronized (MemoryStore.this) {
          long id = schedules.size() + 1L;
          SnapshotSchedule s =
              new SnapshotSchedule(id, cameraId, interval, enabled, Optional.empty(), now, now);
          schedules.put(id, s);
          return s;
        }
      }

      @Override
      public Optional<SnapshotSchedule> update(
          long id, Duration interval, boolean enabled, Instant now) {
        synchronized (MemoryStore.this) {
          SnapshotSchedule s = schedules.get(id);
          if (s == null) {
            return Optional.empty();
          }
          SnapshotSchedule u = new SnapshotSchedule(
              id, s.cameraId(), interval, enabled, s.lastFiredAt(), s.createdAt(), now);
          schedules.put(id, u);
          return Optional.of(u);
        }
      }

      @Override
      public boolean markFired(long id, Instant slot, Instant now) {
        synchronized (MemoryStore.this) {
          SnapshotSchedule s = schedules.get(id);
          if (s == null) {
            return false;
          }
          if (s.lastFiredAt().map(last -> last.isBefore(slot)).orElse(true)) {
            schedules.put(
                id,
                new SnapshotSchedule(
                    id,
                    s.cameraId(),
                    s.interval(),
                    s.enabled(),
                    Optional.of(slot),
                    s.createdAt(),
                    now));
          }
          return true;
        }
      }

      @Override
      public Optional<SnapshotSchedule> find(long id) {
        synchronized (MemoryStore.this) {
          return Optional.ofNullable(schedules.get(id));
        }
      }

      @Override
      public List<SnapshotSchedule> list() {
        synchronized (MemoryStore.this) {
          return List.copyOf(schedules.values());
        }
      }

      @Override
      public boolean delete(long id) {
        synchronized (MemoryStore.this) {
          return schedules.remove(id) != null;
        }
      }
    };
  }

  @Override
  public SnapshotStore snapshots() {
    SnapshotStore rest = absent(SnapshotStore.class);
    return (SnapshotStore) Proxy.newProxyInstance(
        MemoryStore.class.getClassLoader(),
        new Class<?>[] {SnapshotStore.class},
        (proxy, method, args) -> {
          synchronized (MemoryStore.this) {
            switch (method.getName()) {
              case "all":
                return slots.values().stream()
                    .map(SlotSnapshot::snapshot)
                    .filter(x -> x.cameraId().equals(args[0]))
                    .toList();
              case "findByPath":
                return slots.values().stream()
                    .map(SlotSnapshot::snapshot)
                    .filter(x -> x.path().equals(args[0]))
                    .findFirst();
              case "forSlot":
                return Optional.ofNullable(slots.get(args[0] + "@" + args[1]));
              case "takenBefore": {
                Instant cutoff = (Instant) args[1];
                int limit = (Integer) args[2];
                @SuppressWarnings("unchecked")
                Optional<Snapshot> after = (Optional<Snapshot>) args[3];
                java.util.Comparator<Snapshot> order =
                    java.util.Comparator.comparing(Snapshot::takenAt).thenComparing(Snapshot::path);
                return slots.values().stream()
                    .map(SlotSnapshot::snapshot)
                    .filter(x -> x.cameraId().equals(args[0]) && x.takenAt().isBefore(cutoff))
                    .filter(x -> !pendingSnapshots.contains(x.path()))
                    .filter(x -> after.map(a -> order.compare(x, a) > 0).orElse(true))
                    .sorted(order)
                    .limit(limit)
                    .toList();
              }
              case "markDeletePending": {
                int n = 0;
                for (Object path : (Collection<?>) args[0]) {
                  if (pendingSnapshots.add((String) path)) {
                    n++;
                  }
                }
                return n;
              }
              case "clearDeletePending":
                pendingSnapshots.removeAll((Collection<?>) args[0]);
                return null;
              case "deletePending":
                return slots.values().stream()
                    .map(SlotSnapshot::snapshot)
                    .filter(x -> pendingSnapshots.contains(x.path()))
                    .limit((Integer) args[0])
                    .toList();
              case "delete": {
                int before = slots.size();
                slots.values().removeIf(x -> ((Collection<?>) args[0])
                    .contains(x.snapshot().path()));
                pendingSnapshots.removeAll((Collection<?>) args[0]);
                return before - slots.size();
              }
              case "insertForSlots": {
                List<SlotSnapshot> refused = new ArrayList<>();
                for (Object o : (Collection<?>) args[0]) {
                  SlotSnapshot c = (SlotSnapshot) o;
                  if (slots.putIfAbsent(c.scheduleId() + "@" + c.slot(), c) != null) {
                    refused.add(c);
                  }
                }
                return refused;
              }
              default:
                try {
                  return method.invoke(rest, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                  throw e.getCause();
                }
            }
          }
        });
  }

  @Override
  public HoldStore holds() {
    return new HoldStore() {
      @Override
      public RetentionHold add(
          String cameraId, Instant start, Instant end, String reason, Instant now) {
        synchronized (MemoryStore.this) {
          long id = holdRows.size() + 1L;
          RetentionHold h = new RetentionHold(id, cameraId, start, end, reason, now);
          holdRows.put(id, h);
          return h;
        }
      }

      @Override
      public List<RetentionHold> list(String cameraId) {
        synchronized (MemoryStore.this) {
          return holdRows.values().stream()
              .filter(h -> h.cameraId().equals(cameraId))
              .toList();
        }
      }

      @Override
      public boolean remove(long id) {
        synchronized (MemoryStore.this) {
          return holdRows.remove(id) != null;
        }
      }
    };
  }

  @Override
  public void close() {}

  private static <T> T absent(Class<T> type) {
    return type.cast(Proxy.newProxyInstance(
        MemoryStore.class.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
          throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName()
              + " is not in the memory store: test it in the store contract kit");
        }));
  }

  private static String key(String cameraId, LeaseStore.Duty duty) {
    return cameraId + "/" + duty.dbValue();
  }

  /** The lease table, on the database clock. */
  private final class MemoryLeases implements LeaseStore {
    private Instant now() {
      return databaseClock.instant();
    }

    private boolean current(Lease row) {
      return row != null && row.expiresAt().isAfter(now());
    }

    private boolean same(Lease row, Lease lease) {
      return row != null && row.nodeId().equals(lease.nodeId()) && row.epoch() == lease.epoch();
    }

    @Override
    public Instant databaseNow() {
      return now();
    }

    @Override
    public void heartbeat(String nodeId, int capacity) {
      heartbeat(nodeId, capacity, true);
    }

    @Override
    public void heartbeat(String nodeId, int capacity, boolean capturing) {
      synchronized (MemoryStore.this) {
        nodes.put(nodeId, new Node(nodeId, capacity, now(), capturing));
      }
    }

    @Override
    public void leave(String nodeId) {
      synchronized (MemoryStore.this) {
        nodes.remove(nodeId);
      }
    }

    @Override
    public List<Node> nodes() {
      synchronized (MemoryStore.this) {
        return List.copyOf(nodes.values());
      }
    }

    @Override
    public Optional<Lease> claim(String cameraId, Duty duty, String nodeId, Duration ttl) {
      synchronized (MemoryStore.this) {
        Lease row = leases.get(key(cameraId, duty));
        if (current(row) && !row.nodeId().equals(nodeId)) {
          return Optional.empty();
        }
        long epoch = row == null ? 1 : current(row) ? row.epoch() : row.epoch() + 1;
        Lease taken = new Lease(cameraId, duty, nodeId, epoch, now().plus(ttl));
        leases.put(key(cameraId, duty), taken);
        return Optional.of(taken);
      }
    }

    @Override
    public boolean renew(Lease lease, Duration ttl) {
      return !renewAll(List.of(lease), ttl).isEmpty();
    }

    @Override
    public List<Lease> renewAll(Collection<Lease> held, Duration ttl) {
      synchronized (MemoryStore.this) {
        List<Lease> renewed = new ArrayList<>();
        for (Lease l : held) {
          Lease row = leases.get(key(l.cameraId(), l.duty()));
          if (same(row, l) && current(row)) {
            Lease r =
                new Lease(l.cameraId(), l.duty(), l.nodeId(), l.epoch(), now().plus(ttl));
            leases.put(key(l.cameraId(), l.duty()), r);
            renewed.add(r);
          }
        }
        return renewed;
      }
    }

    @Override
    public void release(Lease lease) {
      synchronized (MemoryStore.this) {
        Lease row = leases.get(key(lease.cameraId(), lease.duty()));
        if (same(row, lease) && current(row)) {
          leases.put(
              key(lease.cameraId(), lease.duty()),
              new Lease(lease.cameraId(), lease.duty(), lease.nodeId(), lease.epoch(), now()));
        }
      }
    }

    @Override
    public List<Lease> leases() {
      synchronized (MemoryStore.this) {
        return List.copyOf(leases.values());
      }
    }

    @Override
    public void fence(Lease lease) {
      synchronized (MemoryStore.this) {
        Lease row = leases.get(key(lease.cameraId(), lease.duty()));
        if (!same(row, lease) || !current(row)) {
          throw new LeaseLostException(lease, "fenced off: the lease is not held at this epoch");
        }
      }
    }

    @Override
    public boolean unheld(String cameraId, Duty duty) {
      synchronized (MemoryStore.this) {
        return !current(leases.get(key(cameraId, duty)));
      }
    }

    @Override
    public <T> T fenced(Lease lease, Supplier<T> work) {
      fence(lease);
      return work.get();
    }

    @Override
    public <T> T fencedAll(Collection<Lease> all, Supplier<T> work) {
      all.forEach(this::fence);
      return work.get();
    }
  }
}
