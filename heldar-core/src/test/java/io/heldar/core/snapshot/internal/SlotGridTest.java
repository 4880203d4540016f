package io.heldar.core.snapshot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.snapshot.MisfirePolicy;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The slot grid as pure arithmetic: no clock, no threads. */
class SlotGridTest {
  static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
  static final Duration MIN = Duration.ofMinutes(1);
  static final Duration THRESHOLD = Duration.ofSeconds(1);

  @Test
  void slotsAreMultiplesOfTheIntervalSinceTheEpoch() {
    assertThat(SlotGrid.firstAtOrAfter(T, MIN)).isEqualTo(T);
    assertThat(SlotGrid.firstAtOrAfter(T.plusNanos(1), MIN))
        .as("a sub-millisecond rest counts as after")
        .isEqualTo(T.plus(MIN));
    assertThat(SlotGrid.firstAtOrAfter(T.minusMillis(1), MIN)).isEqualTo(T);
    assertThat(SlotGrid.firstAfter(T, MIN)).isEqualTo(T.plus(MIN));
    assertThat(SlotGrid.firstAfter(T.minusMillis(1), MIN)).isEqualTo(T);
    assertThat(SlotGrid.firstAtOrAfter(Instant.parse("1969-12-31T23:59:30Z"), MIN))
        .as("before the epoch")
        .isEqualTo(Instant.EPOCH);
    Duration seven = Duration.ofSeconds(7);
    assertThat(SlotGrid.firstAtOrAfter(T, seven).toEpochMilli() % 7000).isZero();
  }

  @Test
  void nothingIsDueBeforeTheSlot() {
    assertThat(SlotGrid.decide(T, T.minusMillis(1), MIN, false, THRESHOLD, MisfirePolicy.FIRE_ONCE))
        .isEqualTo(new SlotGrid.Wait(T));
  }

  @Test
  void aSlotOnTimeFires() {
    assertThat(
            SlotGrid.decide(T, T.plusMillis(999), MIN, false, THRESHOLD, MisfirePolicy.FIRE_ONCE))
        .isEqualTo(new SlotGrid.Fire(T, 0, T.plus(MIN)));
  }

  @Test
  void anOutageFiresOnceForTheLatestSlotOrSkipsToTheNext() {
    Instant now =
        T.plus(Duration.ofMinutes(10)).plusSeconds(5); // 11 slots due, the latest 5 s late
    assertThat(SlotGrid.decide(T, now, MIN, false, THRESHOLD, MisfirePolicy.FIRE_ONCE))
        .isEqualTo(
            new SlotGrid.Fire(T.plus(Duration.ofMinutes(10)), 10, T.plus(Duration.ofMinutes(11))));
    assertThat(SlotGrid.decide(T, now, MIN, false, THRESHOLD, MisfirePolicy.SKIP_TO_NEXT))
        .isEqualTo(new SlotGrid.Skip(
            11, T.plus(Duration.ofMinutes(11)), "misfire, skipped to the next slot"));
    assertThat(
            SlotGrid.decide(T, T.plusSeconds(2), MIN, false, THRESHOLD, MisfirePolicy.SKIP_TO_NEXT))
        .as("one slot, later than the threshold")
        .isInstanceOf(SlotGrid.Skip.class);
  }

  @Test
  void aBusyScheduleMissesEverySlotDue() {
    assertThat(SlotGrid.decide(T, T.plus(MIN), MIN, true, THRESHOLD, MisfirePolicy.FIRE_ONCE))
        .isEqualTo(
            new SlotGrid.Skip(2, T.plus(Duration.ofMinutes(2)), "previous capture still running"));
  }
}
