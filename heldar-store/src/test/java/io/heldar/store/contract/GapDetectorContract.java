package io.heldar.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.gap.GapDetector;
import io.heldar.core.model.Camera;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.model.Segment;
import io.heldar.core.store.HeldarStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gap detector on the store under test. */
public abstract class GapDetectorContract extends StoreContractBase {
  static final Instant T0 = Instant.parse("2026-11-21T00:00:00Z");
  HeldarStore store;
  GapDetector detector;
  final Clock clock = Clock.fixed(T0.plusSeconds(86_400), ZoneOffset.UTC);

  @BeforeEach
  void openStore() {
    openStore("heldar");
  }

  void openStore(String database) {
    store = openDatabase(database);
    store.cameras().add(Camera.of("cam", T0));
    detector = GapDetector.create(
        store, EventPublisher.storing(store, List.of()), clock, GapDetector.Options.DEFAULTS);
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** A segment from second {@code from} to second {@code to} after T0. */
  static Segment seg(double from, double to) {
    Instant start = T0.plusMillis(Math.round(from * 1000));
    MediaInfo media = new MediaInfo(
        Duration.ofMillis(Math.round((to - from) * 1000)),
        "mp4",
        "h264",
        320,
        240,
        OptionalDouble.of(25),
        OptionalLong.of(1000),
        Optional.empty());
    return Segment.of(
        "cam", "cam/" + Math.round(from * 1000) + ".mp4", start, media, 100, start, T0);
  }

  List<HeldarEvent> index(Segment... segments) {
    // As the indexer does: statistics (with the longest-segment bound) first, then gaps.
    return store.inTransaction(() -> {
      List<Segment> inserted = store.segments().insertAll(List.of(segments));
      if (!inserted.isEmpty()) {
        store.cameraStats().addIndexed("cam", inserted, T0);
      }
      return detector.onSegmentsIndexed("cam", inserted);
    });
  }

  List<double[]> openGaps() {
    List<double[]> out = new ArrayList<>();
    for (RecordingGap g : store.gaps().list("cam", Optional.of(GapStatus.OPEN))) {
      out.add(new double[] {
        Duration.between(T0, g.start()).toMillis() / 1000.0,
        Duration.between(T0, g.end()).toMillis() / 1000.0
      });
    }
    return out;
  }

  @Test
  void aHoleLongerThanTheThresholdOpensAGapWithOneEvent() {
    index(seg(0, 10), seg(10, 20));
    assertThat(openGaps()).isEmpty();
    List<HeldarEvent> events = index(seg(22.5, 30)); // 2.5 s: under the 3 s threshold
    assertThat(events).isEmpty();
    events = index(seg(40, 50));
    assertThat(openGaps()).containsExactly(new double[] {30, 40});
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.kind()).isEqualTo(EventKinds.RECORDING_GAP);
      assertThat(e.payload())
          .containsEntry("gap_seconds", 10.0)
          .containsEntry("prev_end", T0.plusSeconds(30).toString())
          .containsEntry("next_start", T0.plusSeconds(40).toString());
    });
    assertThat(store.events().count(Optional.of("cam"), EventKinds.RECORDING_GAP))
        .isEqualTo(1);
  }

  @Test
  void lateFootageShrinksSplitsAndFillsAGap() {
    index(seg(0, 10), seg(100, 110));
    assertThat(openGaps()).containsExactly(new double[] {10, 100});
    RecordingGap original = store.gaps().list("cam", Optional.empty()).get(0);

    index(seg(10, 30)); // shrinks from the left
    assertThat(openGaps()).containsExactly(new double[] {30, 100});
    assertThat(store.gaps().find(original.id()).orElseThrow().start())
        .isEqualTo(T0.plusSeconds(30));

    List<HeldarEvent> split = index(seg(50, 60)); // splits
    assertThat(openGaps()).containsExactly(new double[] {30, 50}, new double[] {60, 100});
    assertThat(split).isEmpty();

    index(seg(30, 50));
    assertThat(openGaps()).containsExactly(new double[] {60, 100});
    List<HeldarEvent> filled =
        index(seg(60, 80), seg(80, 98)); // 2 s left: under threshold, so filled
    assertThat(openGaps()).isEmpty();
    assertThat(filled)
        .extracting(HeldarEvent::kind)
        .containsExactly(EventKinds.RECORDING_GAP_FILLED);
    assertThat(store.gaps().list("cam", Optional.of(GapStatus.FILLED))).hasSize(2);
  }

  @Test
  void overlappingSegmentsRaiseAnOverlapEvent() {
    index(seg(0, 10));
    List<HeldarEvent> events = index(seg(8, 18)); // 2 s overlap, tolerance 0.5 s
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.kind()).isEqualTo(EventKinds.SEGMENT_OVERLAP);
      assertThat(e.payload())
          .containsEntry("overlap_seconds", 2.0)
          .containsEntry("path", "cam/8000.mp4");
    });
    assertThat(index(seg(18.2, 20))).isEmpty(); // a 0.2 s hole: under the threshold, no gap
    assertThat(index(seg(19.8, 25))).isEmpty(); // a 0.2 s overlap: within the 0.5 s tolerance
  }

  @Test
  void openGapsAreAFunctionOfTheSetOfSegmentsNotOfArrivalOrder() {
    Random random = new Random(7);
    for (int round = 0; round < 15; round++) {
      // A timeline of 60 segments of 2..10 s with random holes (some under, some over the
      // threshold) and overlaps.
      List<Segment> all = new ArrayList<>();
      double t = 0;
      for (int i = 0; i < 60; i++) {
        double len = 2 + random.nextInt(9);
        all.add(seg(t, t + len));
        int kind = random.nextInt(10);
        t += len
            + (kind < 5
                ? 0
                : kind < 7 ? random.nextInt(3) : kind < 9 ? 4 + random.nextInt(60) : -0.2);
      }
      List<double[]> expected = holes(all);
      store.close();
      openStore("round-" + round);
      List<Segment> shuffled = new ArrayList<>(all);
      Collections.shuffle(shuffled, random);
      int i = 0;
      while (i < shuffled.size()) {
        int n = 1 + random.nextInt(5);
        index(shuffled.subList(i, Math.min(i + n, shuffled.size())).toArray(Segment[]::new));
        i += n;
      }
      assertThat(openGaps()).as("round %d", round).containsExactlyElementsOf(expected);
      // A recompute over everything changes nothing.
      detector.recompute("cam", T0, T0.plusSeconds(100_000));
      assertThat(openGaps()).containsExactlyElementsOf(expected);
    }
  }

  /** The reference: sort by start, sweep the covered end, holes over 3 s. */
  static List<double[]> holes(List<Segment> segments) {
    List<Segment> sorted = new ArrayList<>(segments);
    sorted.sort((a, b) -> a.start().compareTo(b.start()));
    List<double[]> out = new ArrayList<>();
    Instant end = null;
    for (Segment s : sorted) {
      if (end != null && Duration.between(end, s.start()).compareTo(Duration.ofSeconds(3)) > 0) {
        out.add(new double[] {
          Duration.between(T0, end).toMillis() / 1000.0,
          Duration.between(T0, s.start()).toMillis() / 1000.0
        });
      }
      if (end == null || s.end().isAfter(end)) {
        end = s.end();
      }
    }
    return out;
  }
}
