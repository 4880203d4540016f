package io.heldar.examples.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.Heldar;
import io.heldar.core.heal.HealAttempt;
import io.heldar.core.heal.HealOptions;
import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.model.Segment;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.runtime.ManualRuntime;
import io.heldar.core.testing.MutableClock;
import io.heldar.core.timeline.Coverage;
import io.heldar.ffmpeg.HttpEdgeSource;
import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.store.sqlite.SqliteHeldarStore;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Healing a gap from a local HTTP "edge" (MediaMTX's {@code /get} shape) that serves ffmpeg-made
 * footage for any range it is asked: a 3-minute recorder outage becomes a gap, the healer fetches
 * it a minute at a time, the indexer indexes each file like any other, and the gap closes. Then the
 * faults: no footage (given up with the reason), garbage and footage longer than asked (refused,
 * kept out of the recordings root), an edge that hangs (unreachable, within the timeout).
 */
class EdgeHealingTest {
  static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  @TempDir
  Path dir;

  Server edge;
  int port;
  /**
   * What the edge does: ok, none (404), garbage, long (twice the asked length), short (half of
   * it), hang, gated (answers once two requests are in flight), trickle (half the footage, then
   * nothing).
   */
  final AtomicReference<String> mode = new AtomicReference<>("ok");

  final AtomicInteger asked = new AtomicInteger();
  /** The {@code path} (camera) and {@code node} parameters of every request. */
  final List<String> askedFor = new java.util.concurrent.CopyOnWriteArrayList<>();

  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger mostInFlight = new AtomicInteger();
  final java.util.concurrent.CountDownLatch twoInFlight =
      new java.util.concurrent.CountDownLatch(2);
  final Map<Long, byte[]> clips = new ConcurrentHashMap<>();

  @BeforeEach
  void startEdge() throws Exception {
    edge = new Server();
    ServerConnector connector = new ServerConnector(edge);
    connector.setHost("127.0.0.1");
    edge.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(
        new ServletHolder(new HttpServlet() {
          @Override
          protected void doGet(HttpServletRequest req, HttpServletResponse resp)
              throws IOException {
            asked.incrementAndGet();
            askedFor.add(req.getParameter("path")
                + Optional.ofNullable(req.getParameter("node"))
                    .map(n -> "@" + n)
                    .orElse(""));
            int now = inFlight.incrementAndGet();
            mostInFlight.accumulateAndGet(now, Math::max);
            try {
              answer(req, resp);
            } finally {
              inFlight.decrementAndGet();
            }
          }

          private void answer(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            double seconds = Double.parseDouble(req.getParameter("duration"));
            Instant.parse(req.getParameter("start")); // a well-formed start, as MediaMTX wants
            switch (mode.get()) {
              case "none" -> resp.sendError(404);
              case "race" -> {
                // The recorder back-fills the range while the edge answers: its file wins.
                record(
                    dir.resolve("rec/gate"),
                    Instant.parse(req.getParameter("start")).plusSeconds(3),
                    1);
                resp.setContentType("video/mp4");
                resp.getOutputStream()
                    .write(clips.computeIfAbsent(Math.round(seconds), n -> footage(n)));
              }
              case "garbage" -> resp.getOutputStream().write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
              case "hang" -> {
                try {
                  Thread.sleep(5_000);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              case "gated" -> {
                twoInFlight.countDown();
                try {
                  assertThat(twoInFlight.await(10, java.util.concurrent.TimeUnit.SECONDS))
                      .isTrue();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                resp.setContentType("video/mp4");
                resp.getOutputStream()
                    .write(clips.computeIfAbsent(Math.round(seconds), n -> footage(n)));
              }
              case "trickle" -> {
                byte[] whole = clips.computeIfAbsent(Math.round(seconds), n -> footage(n));
                resp.setContentType("video/mp4");
                resp.setContentLength(whole.length);
                resp.getOutputStream().write(whole, 0, whole.length / 2);
                resp.flushBuffer();
                try {
                  Thread.sleep(60_000); // the healer's process is killed meanwhile
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              default -> {
                long length = mode.get().equals("long")
                    ? Math.round(seconds) * 2
                    : mode.get().equals("short") ? Math.round(seconds) / 2 : Math.round(seconds);
                resp.setContentType("video/mp4");
                resp.getOutputStream().write(clips.computeIfAbsent(length, n -> footage(n)));
              }
            }
          }
        }),
        "/get");
    edge.setHandler(context);
    edge.start();
    port = connector.getLocalPort();
  }

  private byte[] footage(long seconds) {
    try {
      Path f = TestMedia.make(
          dir.resolve("edge-" + seconds + ".mp4"), TestMedia.Spec.plain().seconds(seconds));
      return Files.readAllBytes(f);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void stopEdge() throws Exception {
    edge.stop();
  }

  static void record(Path cam, Instant from, int n) {
    for (int i = 0; i < n; i++) {
      Instant start = from.plusSeconds(10L * i);
      TestMedia.touch(
          TestMedia.make(
              cam.resolve(NAME.format(start) + ".mp4"), TestMedia.Spec.plain().seconds(10)),
          start.plusSeconds(11));
    }
  }

  String template() {
    return "http://127.0.0.1:" + port + "/get?path={camera}&start={start}&duration={seconds}";
  }

  private Heldar heldar(SqliteHeldarStore store, MutableClock clock, HealOptions options) {
    return heldar(store, clock, options, HttpEdgeSource.of(template()));
  }

  private Heldar heldar(
      io.heldar.core.store.HeldarStore store,
      MutableClock clock,
      HealOptions options,
      io.heldar.core.heal.EdgeSource edgeSource) {
    return Heldar.builder()
        .store(store)
        .clock(clock)
        .ticker(clock::monotonicNanos)
        .recordingsRoot(dir.resolve("rec"))
        .probe(MediaProbes.nativeMp4())
        .probeExecutor(Runnable::run)
        .edgeSource(edgeSource)
        .healing(options)
        .manualRuntime()
        .build();
  }

  @Test
  void aThreeMinuteOutageIsHealedFromTheEdgeAndItsGapCloses() throws Exception {
    Path cam = dir.resolve("rec/gate");
    record(cam, T0, 2); // 10:00:00-10:00:20
    record(cam, T0.plusSeconds(200), 1); // 10:03:20-10:03:30: a 3-minute outage between
    // What a fetch killed mid-write left behind: the next start removes it, it never lands.
    Path leftover = Files.createDirectories(dir.resolve("rec/.heldar-heal")).resolve("gate-1.mp4");
    Files.write(leftover, new byte[] {0, 0, 0, 8});
    MutableClock clock = new MutableClock(T0.plus(Duration.ofMinutes(30)));
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      store.cameras().add(Camera.of("gate", T0));
      Heldar heldar = heldar(
          store, clock, HealOptions.builder().chunk(Duration.ofMinutes(1)).build());
      ManualRuntime runtime = heldar.manualRuntime();
      heldar.start();
      runtime.tick("segment-indexer");
      assertThat(open(store)).singleElement().satisfies(g -> {
        assertThat(g.start()).isEqualTo(T0.plusSeconds(20));
        assertThat(g.end()).isEqualTo(T0.plusSeconds(200));
      });

      for (int round = 0; round < 3; round++) {
        runtime.tick("gap-healer");
        runtime.tick("segment-indexer");
      }

      assertThat(open(store)).isEmpty();
      assertThat(asked).hasValue(3);
      Coverage coverage = heldar
          .client()
          .timeline()
          .coverage("gate", T0, T0.plusSeconds(210), Duration.ofSeconds(1));
      assertThat(coverage.runs()).as(coverage.toString()).hasSize(1);
      // The healed footage is ordinary rows, named in the camera's layout.
      for (String name :
          List.of("20261121T100020Z.mp4", "20261121T100120Z.mp4", "20261121T100220Z.mp4")) {
        Segment s = store.segments().findByPath("gate/" + name).orElseThrow();
        assertThat(s.tier()).isEmpty();
        assertThat(s.media().videoCodec()).isEqualTo("h264");
      }
      assertThat(store.events().count(Optional.of("gate"), EventKinds.GAP_HEALED))
          .isEqualTo(3);
      // The gap keeps its history after it closed: what was healed, when, from where.
      assertThat(heldar.client().heals("gate", T0, T0.plusSeconds(210)))
          .hasSize(3)
          .allSatisfy(h -> {
            assertThat(h.outcome()).isEqualTo(HealAttempt.Outcome.HEALED);
            assertThat(h.healedSeconds()).isEqualTo(60.0);
            assertThat(h.source()).isEqualTo("http://127.0.0.1:" + port);
            assertThat(h.tries()).isEqualTo(1);
            assertThat(h.healedPath()).isPresent();
          });
      try (Stream<Path> left = Files.list(dir.resolve("rec/.heldar-heal"))) {
        assertThat(left).isEmpty(); // the leftover too
      }
      heldar.stop();
    }
  }

  @Test
  void whatCannotBeHealedSaysWhyAndNothingLandsInTheRecordings() throws Exception {
    Path cam = dir.resolve("rec/gate");
    record(cam, T0, 1);
    record(cam, T0.plusSeconds(70), 1); // a 60 s gap
    MutableClock clock = new MutableClock(T0.plus(Duration.ofMinutes(30)));
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      store.cameras().add(Camera.of("gate", T0));
      Heldar heldar = heldar(
          store,
          clock,
          HealOptions.builder()
              .maxTries(5)
              .backoff(Duration.ofSeconds(10))
              .fetchTimeout(Duration.ofSeconds(2))
              .build());
      // Made before, so only the hang can run out the fetch timeout.
      clips.computeIfAbsent(120L, this::footage);
      ManualRuntime runtime = heldar.manualRuntime();
      heldar.start();
      runtime.tick("segment-indexer");
      assertThat(open(store)).hasSize(1);

      for (String fault : List.of("garbage", "long", "hang")) {
        mode.set(fault);
        long t0 = System.nanoTime();
        runtime.tick("gap-healer");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        clock.advance(Duration.ofMinutes(5)); // past the backoff
      }
      List<Map<String, Object>> failures = store
          .events()
          .recent(Optional.of("gate"), Optional.of(EventKinds.GAP_HEAL_FAILED), 10)
          .stream()
          .map(e -> e.payload())
          .toList();
      assertThat(failures)
          .anySatisfy(p -> assertThat(String.valueOf(p.get("reason"))).contains("not footage"));
      assertThat(failures)
          .anySatisfy(p -> assertThat(String.valueOf(p.get("reason"))).contains("longer than"));
      assertThat(failures).anySatisfy(p -> assertThat(p.get("code")).isEqualTo("edge_unreachable"));
      try (Stream<Path> files = Files.list(cam)) {
        assertThat(files).hasSize(2); // nothing refused was kept
      }

      // No footage on every try: given up after maxTries, with the reason, and not asked again.
      mode.set("none");
      Heldar again = heldar(
          store,
          clock,
          HealOptions.builder().maxTries(2).backoff(Duration.ofSeconds(10)).build());
      again.start();
      int before = asked.get();
      for (int i = 0; i < 4; i++) {
        again.manualRuntime().tick("gap-healer");
        clock.advance(Duration.ofMinutes(5));
      }
      // The three tries above were recorded, so after a restart one more reaches maxTries.
      assertThat(asked.get() - before).isEqualTo(1);
      assertThat(store.heals().find("gate", T0.plusSeconds(10))).hasValueSatisfying(h -> {
        assertThat(h.outcome()).isEqualTo(HealAttempt.Outcome.GIVEN_UP);
        assertThat(h.tries()).isEqualTo(4);
        assertThat(h.code()).contains("edge_has_no_footage");
        assertThat(h.nextTryAt()).isEmpty();
      });
      assertThat(store
              .events()
              .recent(Optional.of("gate"), Optional.of(EventKinds.GAP_HEAL_FAILED), 1)
              .get(0)
              .payload())
          .containsEntry("code", "edge_has_no_footage")
          .containsEntry("given_up", true);
      assertThat(open(store)).hasSize(1);
      again.stop();
      heldar.stop();
    }
  }

  @Test
  void aRangeTheRecorderBackFillsMeanwhileIsNotHealedTwice() throws Exception {
    Path cam = dir.resolve("rec/gate");
    record(cam, T0, 1);
    record(cam, T0.plusSeconds(70), 1); // a 60 s gap
    MutableClock clock = new MutableClock(T0.plus(Duration.ofMinutes(30)));
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      store.cameras().add(Camera.of("gate", T0));
      Heldar heldar = heldar(store, clock, HealOptions.DEFAULTS);
      heldar.start();
      heldar.manualRuntime().tick("segment-indexer");
      mode.set("race");
      heldar.manualRuntime().tick("gap-healer");
      assertThat(store
              .events()
              .recent(Optional.of("gate"), Optional.of(EventKinds.GAP_HEAL_FAILED), 1)
              .get(0)
              .payload()
              .get("reason"))
          .asString()
          .contains("filled meanwhile")
          .contains("gate/20261121T100013Z.mp4");
      try (Stream<Path> files = Files.list(cam)) {
        assertThat(files).hasSize(3); // the two recorded first, and the recorder's back-fill only
      }
      heldar.manualRuntime().tick("segment-indexer");
      assertThat(store.segments().count("gate")).isEqualTo(3);
      heldar.stop();
    }
  }

  @Test
  void lessFootageThanAskedHealsPartlyAndTheRestIsAskedForNext() throws Exception {
    Path cam = dir.resolve("rec/gate");
    record(cam, T0, 1);
    record(cam, T0.plusSeconds(70), 1); // a 60 s gap
    MutableClock clock = new MutableClock(T0.plus(Duration.ofMinutes(30)));
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      store.cameras().add(Camera.of("gate", T0));
      Heldar heldar = heldar(store, clock, HealOptions.DEFAULTS);
      ManualRuntime runtime = heldar.manualRuntime();
      heldar.start();
      runtime.tick("segment-indexer");
      mode.set("short");
      runtime.tick("gap-healer");
      runtime.tick("segment-indexer");
      assertThat(open(store)).singleElement().satisfies(g -> {
        assertThat(g.start()).isEqualTo(T0.plusSeconds(40)); // the rest stays a gap
        assertThat(g.end()).isEqualTo(T0.plusSeconds(70));
      });
      assertThat(store
              .events()
              .recent(Optional.of("gate"), Optional.of(EventKinds.GAP_HEALED), 1)
              .get(0)
              .payload())
          .containsEntry("partial", true)
          .containsEntry("seconds", 30.0);

      mode.set("ok");
      runtime.tick("gap-healer");
      runtime.tick("segment-indexer");
      assertThat(open(store)).isEmpty();
      assertThat(heldar.client().heals("gate", T0, T0.plusSeconds(80)))
          .extracting(HealAttempt::from, HealAttempt::outcome, HealAttempt::healedSeconds)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  T0.plusSeconds(10), HealAttempt.Outcome.PARTIAL, 30.0),
              org.assertj.core.groups.Tuple.tuple(
                  T0.plusSeconds(40), HealAttempt.Outcome.HEALED, 30.0));
      assertThat(heldar
              .client()
              .timeline()
              .coverage("gate", T0, T0.plusSeconds(80), Duration.ofSeconds(1))
              .runs())
          .hasSize(1);
      heldar.stop();
    }
  }

  @Test
  void camerasAreHealedFromTheirOwnEdgeUrlsSeveralAtOnceUpToTheLimit() throws Exception {
    MutableClock clock = new MutableClock(T0.plus(Duration.ofMinutes(30)));
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      for (String id : List.of("dock", "gate", "shed", "yard")) {
        Path cam = dir.resolve("rec/" + id);
        record(cam, T0, 1);
        record(cam, T0.plusSeconds(70), 1); // a 60 s gap each
        Camera c = Camera.of(id, T0);
        // The shed has no edge: it is never asked for.
        store.cameras().add(id.equals("shed") ? c : c.withEdgeUrl(Optional.of(template())));
      }
      Heldar heldar = heldar(
          store,
          clock,
          HealOptions.builder().concurrentFetches(2).build(),
          io.heldar.ffmpeg.EdgeSources.fromCameras(Map.of(), Optional.empty(), Optional.empty()));
      ManualRuntime runtime = heldar.manualRuntime();
      heldar.start();
      runtime.tick("segment-indexer");
      mode.set("gated");
      runtime.tick("gap-healer");
      runtime.tick("segment-indexer");

      assertThat(askedFor).containsExactlyInAnyOrder("dock", "gate", "yard");
      assertThat(mostInFlight).hasValue(2); // two at once, never three
      for (String id : List.of("dock", "gate", "yard")) {
        assertThat(store.gaps().list(id, Optional.of(GapStatus.OPEN))).as(id).isEmpty();
      }
      assertThat(store.gaps().list("shed", Optional.of(GapStatus.OPEN))).hasSize(1);
      assertThat(heldar.client().heals("shed", T0, T0.plusSeconds(80))).isEmpty();
      heldar.stop();
    }
  }

  @Test
  void aHealerKilledMidFetchLeavesNoHalfFileUnderAFinalNameAndTheNextStartHealsIt()
      throws Exception {
    Path cam = dir.resolve("rec/gate");
    record(cam, T0, 1);
    record(cam, T0.plusSeconds(70), 1); // a 60 s gap
    Path db = dir.resolve("heldar.db");
    try (SqliteHeldarStore store = SqliteHeldarStore.open(db)) {
      store.cameras().add(Camera.of("gate", T0));
    }
    Instant now = T0.plus(Duration.ofMinutes(30));
    mode.set("trickle");
    Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            HealCrashChild.class.getName(),
            db.toString(),
            dir.resolve("rec").toString(),
            template(),
            now.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    Path work = dir.resolve("rec/.heldar-heal");
    try {
      io.heldar.core.testing.Await.until(
          Duration.ofSeconds(60),
          () -> {
            try (Stream<Path> files = Files.list(work)) {
              return files.anyMatch(f -> f.toFile().length() > 0);
            } catch (IOException e) {
              return false;
            }
          },
          "the child writing the edge's footage");
    } finally {
      child.destroyForcibly(); // SIGKILL mid-fetch: no finally block of the child runs
      assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }
    try (Stream<Path> files = Files.list(cam)) {
      assertThat(files).hasSize(2); // nothing half-written under a name the indexer reads
    }
    try (Stream<Path> files = Files.list(work)) {
      assertThat(files).hasSize(1); // the half fetch, where only the healer looks
    }

    mode.set("ok");
    try (SqliteHeldarStore store = SqliteHeldarStore.open(db)) {
      Heldar heldar = heldar(store, new MutableClock(now), HealOptions.DEFAULTS);
      heldar.start(); // clears the work directory
      try (Stream<Path> files = Files.list(work)) {
        assertThat(files).isEmpty();
      }
      heldar.manualRuntime().tick("segment-indexer");
      heldar.manualRuntime().tick("gap-healer");
      heldar.manualRuntime().tick("segment-indexer");
      assertThat(open(store)).isEmpty();
      assertThat(store.segments().count("gate")).isEqualTo(3);
      heldar.stop();
    }
  }

  @Test
  void inAClusterOnlyTheNodeHoldingTheCamerasFilesLeaseHealsIt() throws Exception {
    Path cam = dir.resolve("rec/gate");
    record(cam, T0, 1);
    record(cam, T0.plusSeconds(70), 1); // a 60 s gap
    String url = io.heldar.store.testing.TestPostgres.freshUrl();
    MutableClock clock = new MutableClock(T0.plus(Duration.ofMinutes(30)));
    try (io.heldar.store.postgres.PostgresHeldarStore a =
            io.heldar.store.postgres.PostgresHeldarStore.open(url);
        io.heldar.store.postgres.PostgresHeldarStore b =
            io.heldar.store.postgres.PostgresHeldarStore.open(url)) {
      a.cameras().add(Camera.of("gate", T0));
      Map<String, Heldar> nodes = new java.util.TreeMap<>();
      for (var node : Map.of("a", a, "b", b).entrySet()) {
        Heldar h = Heldar.builder()
            .store(node.getValue())
            .clock(clock)
            .ticker(clock::monotonicNanos)
            .recordingsRoot(dir.resolve("rec"))
            .probe(MediaProbes.nativeMp4())
            .probeExecutor(Runnable::run)
            .edgeSource(HttpEdgeSource.of(template() + "&node=" + node.getKey()))
            .healing(HealOptions.DEFAULTS)
            .cluster(io.heldar.core.cluster.ClusterOptions.builder()
                .nodeId(node.getKey())
                .pin("gate", "a") // the node with the camera's storage
                .build())
            .manualRuntime()
            .build();
        h.start();
        nodes.put(node.getKey(), h);
      }
      io.heldar.store.postgres.PostgresHeldarStore leases = a;
      io.heldar.core.testing.Await.until(
          Duration.ofSeconds(20),
          () -> {
            nodes.values().forEach(h -> h.manualRuntime().tick("cluster-leases"));
            return leases.leases().orElseThrow().leases().stream()
                .anyMatch(l -> l.cameraId().equals("gate")
                    && l.duty() == io.heldar.core.store.LeaseStore.Duty.FILES
                    && l.nodeId().equals("a"));
          },
          "node a holding gate's files lease");
      nodes.get("a").manualRuntime().tick("segment-indexer");
      assertThat(open(a)).hasSize(1);

      for (int i = 0; i < 3; i++) {
        nodes.get("b").manualRuntime().tick("gap-healer"); // not its camera: nothing asked
      }
      assertThat(askedFor).isEmpty();
      nodes.get("a").manualRuntime().tick("gap-healer");
      nodes.get("a").manualRuntime().tick("segment-indexer");
      nodes.get("b").manualRuntime().tick("gap-healer");
      assertThat(askedFor).containsExactly("gate@a");
      assertThat(open(a)).isEmpty();
      assertThat(a.segments().count("gate")).isEqualTo(3);
      nodes.values().forEach(Heldar::stop);
    }
  }

  private static List<RecordingGap> open(io.heldar.core.store.HeldarStore store) {
    return store.gaps().list("gate", Optional.of(GapStatus.OPEN));
  }
}
