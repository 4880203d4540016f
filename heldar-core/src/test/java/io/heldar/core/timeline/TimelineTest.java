package io.heldar.core.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.model.GapCause;
import io.heldar.core.model.SegmentSpan;
import io.heldar.core.testing.MemoryStore;
import io.heldar.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Coverage and pages of a camera's timeline, over the memory store's spans and gaps. */
class TimelineTest {
  static final Instant T0 = Instant.parse("2026-12-06T00:00:00Z");
  final MemoryStore store = new MemoryStore(new MutableClock(T0));
  final Timeline timeline = new Timeline(store);

  void span(long from, long to) {
    store.addSpan(
        "cam", String.format("cam/%06d.mp4", from), T0.plusSeconds(from), T0.plusSeconds(to));
  }

  static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void coverageMergesFootageWithinTheToleranceAndClipsToTheRange() {
    span(0, 60);
    span(61, 120); // a 1 s seam: one run at a 3 s tolerance
    span(130, 190); // 10 s later: a run of its own
    span(190, 250);
    Coverage c = timeline.coverage("cam", at(30), at(220), Duration.ofSeconds(3));
    assertThat(c.runs())
        .containsExactly(
            new Coverage.Run(at(30), at(120), 2), new Coverage.Run(at(130), at(220), 2));
    assertThat(c.gaps()).isEmpty();
    Coverage strict = timeline.coverage("cam", at(0), at(250), Duration.ZERO);
    assertThat(strict.runs()).hasSize(3);
  }

  @Test
  void coverageListsTheOpenGapsOfTheRangeOnly() {
    span(0, 60);
    span(100, 160);
    var open = store.gaps().insertOpen("cam", at(60), at(100), GapCause.MISSING, T0);
    var filled = store.gaps().insertOpen("cam", at(200), at(210), GapCause.MISSING, T0);
    store.gaps().markFilled(filled.id(), T0);
    Coverage c = timeline.coverage("cam", at(0), at(300), Duration.ofSeconds(3));
    assertThat(c.gaps()).extracting(g -> g.id()).containsExactly(open.id());
    assertThat(timeline.coverage("cam", at(110), at(300), Duration.ofSeconds(3)).gaps())
        .isEmpty();
  }

  @Test
  void spansArePagedInStartOrderWithoutLossOrRepeat() {
    for (int i = 0; i < 25; i++) {
      span(i * 10L, i * 10L + 10);
    }
    List<SegmentSpan> all = new ArrayList<>();
    Optional<SegmentSpan> after = Optional.empty();
    int pages = 0;
    do {
      SpanPage page = timeline.spans("cam", at(0), at(250), 7, after);
      all.addAll(page.spans());
      after = page.next();
      pages++;
    } while (after.isPresent());
    assertThat(pages).isEqualTo(4);
    assertThat(all).hasSize(25);
    assertThat(all).isSortedAccordingTo(java.util.Comparator.comparing(SegmentSpan::start));
  }

  @Test
  void rangesAndLimitsAreChecked() {
    assertThatThrownBy(() -> timeline.coverage("cam", at(10), at(10), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> timeline.spans("cam", at(0), at(10), 0, Optional.empty()))
        .hasMessageContaining("limit");
  }
}
