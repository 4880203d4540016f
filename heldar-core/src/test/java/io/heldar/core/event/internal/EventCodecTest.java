package io.heldar.core.event.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.event.EventPayloads;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.TypedEvent;
import io.heldar.core.model.EventKinds;
import io.heldar.core.model.Severity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one table of keys: what a stored event carries, and that nothing stored is lost. */
class EventCodecTest {
  static final Instant A = Instant.parse("2026-12-06T08:00:00Z");

  @Test
  void aStoredEventCarriesItsTypedRecordWhenTheRecordHoldsThePayloadExactly() {
    TypedEvent gap = new TypedEvent.GapOpened(3, 12.5, A, A.plusSeconds(12));
    HeldarEvent stored = HeldarEvent.stored(
        Optional.of("cam"),
        gap.kind(),
        gap.severity(),
        EventPayloads.read(EventPayloads.write(gap.payload())),
        A);
    assertThat(stored.event()).isEqualTo(gap);
    assertThat(stored.kind()).isEqualTo(EventKinds.RECORDING_GAP);
    assertThat(stored.payload()).isEqualTo(gap.payload());
  }

  @Test
  void aRowWithKeysThisVersionDoesNotKnowIsKeptWhole() {
    Map<String, Object> payload =
        new LinkedHashMap<>(new TypedEvent.CameraRegistered("c", "C").payload());
    payload.put("added_by_a_later_version", 1L);
    HeldarEvent stored = HeldarEvent.stored(
        Optional.empty(), EventKinds.CAMERA_REGISTERED, Severity.INFO, payload, A);
    assertThat(stored.typed()).isInstanceOf(TypedEvent.Unrecognised.class);
    assertThat(stored.payload()).isEqualTo(payload);
    // read leniently, it is still the record
    assertThat(TypedEvent.decode(EventKinds.CAMERA_REGISTERED, Severity.INFO, payload))
        .isEqualTo(new TypedEvent.CameraRegistered("c", "C"));
  }

  @Test
  void numbersCompareByValueAndAnInstantWrittenAnotherWayIsKept() {
    Map<String, Object> asPostgresMightReturnIt = new LinkedHashMap<>();
    asPostgresMightReturnIt.put("gap_id", 3L);
    asPostgresMightReturnIt.put("gap_seconds", 12L); // 12, not 12.0
    asPostgresMightReturnIt.put("prev_end", "2026-12-06T08:00:00Z");
    asPostgresMightReturnIt.put("next_start", "2026-12-06T08:00:12Z");
    assertThat(EventCodec.decodeExactly(
            EventKinds.RECORDING_GAP, Severity.WARNING, asPostgresMightReturnIt))
        .isEqualTo(new TypedEvent.GapOpened(3, 12.0, A, A.plusSeconds(12)));

    Map<String, Object> millis = new LinkedHashMap<>(asPostgresMightReturnIt);
    millis.put("prev_end", "2026-12-06T08:00:00.000Z");
    assertThat(EventCodec.decodeExactly(EventKinds.RECORDING_GAP, Severity.WARNING, millis))
        .isInstanceOf(TypedEvent.Unrecognised.class);
  }

  @Test
  void aKeyWithADefaultIsLeftOutAndReadBack() {
    TypedEvent.SnapshotFailed camera = new TypedEvent.SnapshotFailed(1, A, "timeout", true);
    assertThat(camera.payload()).doesNotContainKey("cause");
    TypedEvent.SnapshotFailed saturated = new TypedEvent.SnapshotFailed(
        1, A, "busy", false, TypedEvent.SnapshotFailed.CAUSE_SATURATED);
    assertThat(saturated.payload()).containsEntry("cause", "saturated");
    assertThat(EventCodec.decodeExactly(
            EventKinds.SNAPSHOT_FAILED, Severity.WARNING, camera.payload()))
        .isEqualTo(camera);
  }

  @Test
  void everyTypedRecordKnowsItsKindFromTheTable() {
    assertThat(new TypedEvent.TaskFailed("t", "e", 1).kind()).isEqualTo(EventKinds.TASK_FAILED);
    assertThat(new TypedEvent.Unrecognised("motion", Severity.INFO, Map.of()).kind())
        .isEqualTo("motion");
  }
}
