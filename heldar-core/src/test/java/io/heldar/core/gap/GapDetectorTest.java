package io.heldar.core.gap;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.event.EventPublisher;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.model.GapCause;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.RecordingGap;
import io.heldar.core.model.Segment;
import io.heldar.core.testing.MemoryStore;
import io.heldar.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The gap detector's rule beside its code: the open gaps are a function of the set of indexed
 * segments, whatever order the files came in; a new hole raises one event, a filled one another.
 */
class GapDetectorTest {
  static final Instant T0 = Instant.parse("2026-12-06T00:00:00Z");
  final MutableClock clock = new MutableClock(T0.plusSeconds(3600));
  final MemoryStore store = new MemoryStore(clock);
  final GapDetector gaps = GapDetector.create(
      store, EventPublisher.storing(store, List.of()), clock, GapDetector.Options.DEFAULTS);

  /** Indexes [from, to) seconds after T0, as the committer does: row first, then the detector. */
  List<HeldarEvent> index(long from, long to) {
    String path = "cam/" + from + ".mp4";
    store.addSpan("cam", path, T0.plusSeconds(from), T0.plusSeconds(to));
    return gaps.onSegmentsIndexed("cam", List.of(segment(path, from, to)));
  }

  static Segment segment(String path, long from, long to) {
    MediaInfo media = new MediaInfo(
        Duration.ofSeconds(to - from),
        "mp4",
        "h264",
        640,
        480,
        java.util.OptionalDouble.of(25),
        java.util.OptionalLong.empty(),
        Optional.empty());
    return Segment.of("cam", path, T0.plusSeconds(from), media, 1, T0, T0);
  }

  List<long[]> open() {
    return store.gaps().list("cam", Optional.of(GapStatus.OPEN)).stream()
        .map(g -> new long[] {
          g.start().getEpochSecond() - T0.getEpochSecond(),
          g.end().getEpochSecond() - T0.getEpochSecond()
        })
        .toList();
  }

  @Test
  void aHoleLongerThanTheThresholdIsOneGapAndOneEvent() {
    assertThat(index(0, 60)).isEmpty();
    assertThat(index(62, 120)).as("2 s: under the 3 s threshold").isEmpty();
    List<HeldarEvent> raised = index(150, 210);
    assertThat(raised).singleElement().satisfies(e -> {
      assertThat(e.typed()).isInstanceOf(TypedEvent.GapOpened.class);
      assertThat(((TypedEvent.GapOpened) e.typed()).gapSeconds()).isEqualTo(30.0);
    });
    assertThat(open()).containsExactly(new long[] {120, 150});
  }

  @Test
  void lateFootageSplitsAGapQuietlyAndFillingItSaysSo() {
    index(0, 60);
    index(160, 220);
    assertThat(open()).containsExactly(new long[] {60, 160});
    assertThat(index(90, 120)).as("a split raises no new recording_gap").isEmpty();
    assertThat(open()).containsExactly(new long[] {60, 90}, new long[] {120, 160});
    index(60, 90);
    List<HeldarEvent> raised = index(120, 160);
    assertThat(open()).isEmpty();
    assertThat(raised)
        .extracting(HeldarEvent::typed)
        .hasOnlyElementsOfType(TypedEvent.GapFilled.class);
    assertThat(store.gaps().list("cam", Optional.of(GapStatus.FILLED))).isNotEmpty();
  }

  @Test
  void theOpenGapsDoNotDependOnTheOrderTheFilesCameIn() {
    long[][] segments = {{0, 60}, {60, 120}, {130, 190}, {190, 250}, {300, 360}, {362, 420}};
    List<long[]> expected = null;
    Random random = new Random(7);
    for (int round = 0; round < 20; round++) {
      MemoryStore fresh = new MemoryStore(clock);
      GapDetector d = GapDetector.create(
          fresh, EventPublisher.storing(fresh, List.of()), clock, GapDetector.Options.DEFAULTS);
      List<long[]> order = new ArrayList<>(List.of(segments));
      java.util.Collections.shuffle(order, random);
      for (long[] s : order) {
        String path = "cam/" + s[0] + ".mp4";
        fresh.addSpan("cam", path, T0.plusSeconds(s[0]), T0.plusSeconds(s[1]));
        d.onSegmentsIndexed("cam", List.of(segment(path, s[0], s[1])));
      }
      List<long[]> got = fresh.gaps().list("cam", Optional.of(GapStatus.OPEN)).stream()
          .sorted(Comparator.comparing(RecordingGap::start))
          .map(g -> new long[] {
            g.start().getEpochSecond() - T0.getEpochSecond(),
            g.end().getEpochSecond() - T0.getEpochSecond()
          })
          .toList();
      if (expected == null) {
        expected = got;
        assertThat(got).containsExactly(new long[] {120, 130}, new long[] {250, 300});
      } else {
        assertThat(got).as("order %d", round).containsExactlyElementsOf(expected);
      }
    }
  }

  @Test
  void anOverlapBeyondTheToleranceIsReported() {
    index(0, 60);
    List<HeldarEvent> raised = index(58, 120);
    assertThat(raised).extracting(HeldarEvent::typed).anySatisfy(t -> {
      assertThat(t).isInstanceOf(TypedEvent.SegmentOverlap.class);
      assertThat(((TypedEvent.SegmentOverlap) t).overlapSeconds()).isEqualTo(2.0);
    });
    assertThat(open()).isEmpty();
  }

  @Test
  void holesRetentionLeavesAreGapsOfTheirOwnCauseWithoutAnEvent() {
    index(0, 60);
    index(60, 120);
    index(120, 180);
    store.removeSpan("cam", "cam/60.mp4");
    gaps.onSegmentsRemoved("cam", List.of(segment("cam/60.mp4", 60, 120)), GapCause.RETENTION);
    assertThat(store.gaps().list("cam", Optional.of(GapStatus.OPEN)))
        .singleElement()
        .satisfies(g -> assertThat(g.cause()).isEqualTo(GapCause.RETENTION));
    assertThat(store.allEvents())
        .extracting(HeldarEvent::typed)
        .noneMatch(TypedEvent.GapOpened.class::isInstance);
  }

  @Test
  void aStorageNodeDownIsOneGapThatStretchesAndClosesWhenItCatchesUp() {
    index(0, 60);
    List<HeldarEvent> down = gaps.onStorageNodeDown("cam", "n2", T0);
    assertThat(down)
        .extracting(HeldarEvent::typed)
        .singleElement()
        .isInstanceOf(TypedEvent.StorageNodeDown.class);
    clock.advance(Duration.ofMinutes(5));
    assertThat(gaps.onStorageNodeDown("cam", "n2", T0))
        .as("stretched, not reopened")
        .isEmpty();
    RecordingGap nodeDown = store.gaps().openOfCause("cam", GapCause.NODE_DOWN).orElseThrow();
    assertThat(nodeDown.start()).isEqualTo(T0.plusSeconds(60));
    assertThat(nodeDown.end()).isEqualTo(clock.instant());
    assertThat(gaps.onCaughtUp("cam", "n2"))
        .extracting(HeldarEvent::typed)
        .singleElement()
        .isInstanceOf(TypedEvent.StorageNodeCaughtUp.class);
    assertThat(store.gaps().openOfCause("cam", GapCause.NODE_DOWN)).isEmpty();
  }
}
