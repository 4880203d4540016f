package io.heldar.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.model.Camera;
import io.heldar.core.model.GapCause;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.Segment;
import io.heldar.core.model.Snapshot;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.timeline.Coverage;
import io.heldar.core.timeline.DaySummary;
import io.heldar.core.timeline.SegmentPage;
import io.heldar.core.timeline.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Timeline queries on the store under test. */
public abstract class TimelineContract extends StoreContractBase {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  HeldarStore store;
  Timeline timeline;

  @BeforeEach
  void open() {
    store = openDatabase();
    store.cameras().add(Camera.of("cam", T0));
    timeline = new Timeline(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  void footage(Instant from, Instant to, Duration each) {
    List<Segment> segs = new ArrayList<>();
    for (Instant t = from; t.isBefore(to); t = t.plus(each)) {
      Duration len = t.plus(each).isAfter(to) ? Duration.between(t, to) : each;
      MediaInfo m = new MediaInfo(
          len,
          "mp4",
          "h264",
          320,
          240,
          OptionalDouble.of(25),
          OptionalLong.of(1000),
          Optional.empty());
      segs.add(Segment.of("cam", "cam/" + t.toEpochMilli() + ".mp4", t, m, 100, t, T0));
    }
    for (int i = 0; i < segs.size(); i += 5000) {
      List<Segment> chunk = segs.subList(i, Math.min(segs.size(), i + 5000));
      store.useTransaction(
          () -> store.cameraStats().addIndexed("cam", store.segments().insertAll(chunk), T0));
    }
  }

  @Test
  void pagesThroughTheSegmentsOfARange() {
    footage(T0, T0.plusSeconds(100), Duration.ofSeconds(10));
    List<String> seen = new ArrayList<>();
    Optional<Segment> after = Optional.empty();
    do {
      SegmentPage page = timeline.segments("cam", T0.plusSeconds(15), T0.plusSeconds(75), 2, after);
      page.segments().forEach(s -> seen.add(s.path()));
      after = page.next();
    } while (after.isPresent());
    // [15, 75) overlaps the segments starting at 10, 20, …, 70
    assertThat(seen).hasSize(7).doesNotHaveDuplicates().isSorted();
    assertThat(seen.get(0)).isEqualTo("cam/" + T0.plusSeconds(10).toEpochMilli() + ".mp4");
  }

  @Test
  void coverageMergesContiguousFootageAndListsGapsWithTheirCauses() {
    footage(T0, T0.plusSeconds(60), Duration.ofSeconds(10));
    footage(
        T0.plusSeconds(61), T0.plusSeconds(120), Duration.ofSeconds(10)); // 1 s jitter: same run
    footage(T0.plusSeconds(300), T0.plusSeconds(400), Duration.ofSeconds(10));
    store.gaps().insertOpen("cam", T0.plusSeconds(120), T0.plusSeconds(300), GapCause.MISSING, T0);
    store.gaps().insertOpen("cam", T0.minusSeconds(500), T0, GapCause.RETENTION, T0);
    Coverage c = timeline.coverage(
        "cam", T0.minusSeconds(10), T0.plusSeconds(350), Timeline.DEFAULT_TOLERANCE);
    assertThat(c.runs())
        .extracting(
            r -> r.start().getEpochSecond() - T0.getEpochSecond(),
            r -> r.end().getEpochSecond() - T0.getEpochSecond(),
            Coverage.Run::segments)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0L, 120L, 12),
            org.assertj.core.groups.Tuple.tuple(300L, 350L, 5));
    assertThat(c.recorded()).isEqualTo(Duration.ofSeconds(170));
    assertThat(c.gaps())
        .extracting(g -> g.cause())
        .containsExactly(GapCause.RETENTION, GapCause.MISSING);
  }

  @Test
  void dailySummariesHaveDaysOf23And25HoursAtDstChanges() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    // Continuous footage from the 28th to the 30th of March 2026 (DST starts on the 29th), 1-minute
    // segments.
    Instant from = LocalDate.of(2026, 3, 28).atStartOfDay(berlin).toInstant();
    Instant to = LocalDate.of(2026, 3, 31).atStartOfDay(berlin).toInstant();
    footage(from, to, Duration.ofMinutes(1));
    store
        .gaps()
        .insertOpen(
            "cam",
            from.plus(Duration.ofHours(30)),
            from.plus(Duration.ofHours(31)),
            GapCause.MISSING,
            T0);
    for (int i = 0; i < 5; i++) {
      Instant at = from.plus(Duration.ofHours(25 + i));
      store
          .snapshots()
          .insert(new Snapshot("cam", OptionalLong.empty(), "cam/s" + i + ".jpg", at, 10, at));
    }
    List<DaySummary> days =
        timeline.daily("cam", LocalDate.of(2026, 3, 28), LocalDate.of(2026, 3, 30), berlin);
    assertThat(days)
        .extracting(DaySummary::length)
        .containsExactly(Duration.ofHours(24), Duration.ofHours(23), Duration.ofHours(24));
    assertThat(days)
        .extracting(DaySummary::recorded)
        .containsExactly(Duration.ofHours(24), Duration.ofHours(23), Duration.ofHours(24));
    assertThat(days).extracting(DaySummary::segments).containsExactly(24 * 60L, 23 * 60L, 24 * 60L);
    assertThat(days.get(1).gaps()).isEqualTo(1);
    assertThat(days.get(1).gapTime()).isEqualTo(Duration.ofHours(1));
    assertThat(days.get(1).snapshots()).isEqualTo(5);
    List<DaySummary> autumn =
        timeline.daily("cam", LocalDate.of(2026, 10, 25), LocalDate.of(2026, 10, 25), berlin);
    assertThat(autumn.get(0).length()).isEqualTo(Duration.ofHours(25));
    // India is 5:30 off UTC: day boundaries fall on quarter hours, which the 15-minute roll-ups
    // respect.
    List<DaySummary> kolkata = timeline.daily(
        "cam", LocalDate.of(2026, 3, 29), LocalDate.of(2026, 3, 29), ZoneId.of("Asia/Kolkata"));
    assertThat(kolkata.get(0).recorded()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void theNearestSnapshot() {
    for (int i = 0; i < 3; i++) {
      Instant at = T0.plusSeconds(100L * i);
      store
          .snapshots()
          .insert(new Snapshot("cam", OptionalLong.empty(), "cam/" + i + ".jpg", at, 10, at));
    }
    assertThat(
            timeline.nearestSnapshot("cam", T0.plusSeconds(140)).orElseThrow().path())
        .isEqualTo("cam/1.jpg");
    assertThat(
            timeline.nearestSnapshot("cam", T0.plusSeconds(160)).orElseThrow().path())
        .isEqualTo("cam/2.jpg");
    assertThat(
            timeline.nearestSnapshot("cam", T0.minusSeconds(1000)).orElseThrow().path())
        .isEqualTo("cam/0.jpg");
    assertThat(timeline.nearestSnapshot("other", T0)).isEmpty();
  }
}
