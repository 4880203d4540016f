package io.heldar.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.model.EventKinds;
import io.heldar.core.model.Severity;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every typed event: its stored JSON pinned key for key (the {@code events.payload} contract), and
 * decoded back to the same record from what the store reads.
 */
class TypedEventTest {
  static final Instant A = Instant.parse("2026-11-21T10:00:00Z");
  static final Instant B = Instant.parse("2026-11-21T10:00:24.500Z");

  /** One sample of each kind, with the JSON the events table holds for it. */
  static final Map<TypedEvent, String> PINNED = new LinkedHashMap<>();

  static {
    PINNED.put(
        new TypedEvent.GapOpened(7, 24.5, A, B),
        "{\"gap_id\":7,\"gap_seconds\":24.5,\"prev_end\":\"2026-11-21T10:00:00Z\",\"next_start\":\"2026-11-21T10:00:24.500Z\"}");
    PINNED.put(
        new TypedEvent.GapFilled(7, 24.5, A, B),
        "{\"gap_id\":7,\"gap_seconds\":24.5,\"prev_end\":\"2026-11-21T10:00:00Z\",\"next_start\":\"2026-11-21T10:00:24.500Z\"}");
    PINNED.put(
        new TypedEvent.SegmentOverlap("cam/b.mp4", "cam/a.mp4", 2.0, A, B),
        "{\"path\":\"cam/b.mp4\",\"overlaps_path\":\"cam/a.mp4\",\"overlap_seconds\":2.0,\"start\":\"2026-11-21T10:00:00Z\","
            + "\"previous_end\":\"2026-11-21T10:00:24.500Z\"}");
    PINNED.put(
        new TypedEvent.SegmentChanged("cam/a.mp4", Optional.of(A), OptionalLong.of(10), B, 20),
        "{\"path\":\"cam/a.mp4\",\"old_end\":\"2026-11-21T10:00:00Z\",\"old_size_bytes\":10,\"end\":\"2026-11-21T10:00:24.500Z\","
            + "\"size_bytes\":20}");
    PINNED.put(
        new TypedEvent.SegmentChanged("cam/a.mp4", Optional.empty(), OptionalLong.empty(), B, 20),
        "{\"path\":\"cam/a.mp4\",\"end\":\"2026-11-21T10:00:24.500Z\",\"size_bytes\":20}");
    PINNED.put(
        new TypedEvent.SegmentUnreadable("cam/a.mp4", "/rec/cam/a.mp4", "no moov box", 12),
        "{\"path\":\"cam/a.mp4\",\"file\":\"/rec/cam/a.mp4\",\"reason\":\"no moov box\",\"size_bytes\":12}");
    PINNED.put(
        new TypedEvent.SegmentMissing("cam/a.mp4", "/rec/cam/a.mp4", A, B),
        "{\"path\":\"cam/a.mp4\",\"file\":\"/rec/cam/a.mp4\",\"start\":\"2026-11-21T10:00:00Z\",\"end\":\"2026-11-21T10:00:24.500Z\"}");
    PINNED.put(
        new TypedEvent.SegmentRestored("cam/a.mp4", A, B),
        "{\"path\":\"cam/a.mp4\",\"start\":\"2026-11-21T10:00:00Z\",\"end\":\"2026-11-21T10:00:24.500Z\"}");
    PINNED.put(
        new TypedEvent.StorageUnavailable(
            "all files gone", 5, 5, "cam/a.mp4, cam/b.mp4", "nothing was marked missing"),
        "{\"reason\":\"all files gone\",\"vanished\":5,\"indexed\":5,\"examples\":\"cam/a.mp4, cam/b.mp4\","
            + "\"action\":\"nothing was marked missing\"}");
    PINNED.put(
        new TypedEvent.CameraRegistered("cam2-main", "cam2/main"),
        "{\"camera_id\":\"cam2-main\",\"recorder_name\":\"cam2/main\"}");
    PINNED.put(
        new TypedEvent.CameraIdConflict("cafe", "Café, cafe"),
        "{\"camera_id\":\"cafe\",\"recorder_names\":\"Café, cafe\"}");
    PINNED.put(
        new TypedEvent.CameraNameRejected("back\\\\slash", "a backslash"),
        "{\"recorder_name\":\"back\\\\\\\\slash\",\"reason\":\"a backslash\"}");
    PINNED.put(
        new TypedEvent.CameraScanFailed("/rec", "camera directory missing"),
        "{\"root\":\"/rec\",\"reason\":\"camera directory missing\"}");
    PINNED.put(
        new TypedEvent.SnapshotFailed(
            3, A, "never started", false, TypedEvent.SnapshotFailed.CAUSE_SATURATED),
        "{\"schedule_id\":3,\"slot\":\"2026-11-21T10:00:00Z\",\"reason\":\"never started\","
            + "\"timed_out\":false,\"cause\":\"saturated\"}");
    PINNED.put(
        new TypedEvent.SnapshotFailed(3, A, "timed out", true),
        "{\"schedule_id\":3,\"slot\":\"2026-11-21T10:00:00Z\",\"reason\":\"timed out\",\"timed_out\":true}");
    PINNED.put(
        new TypedEvent.SnapshotFileMissing(2, "cam/1.jpg", Optional.empty()),
        "{\"count\":2,\"first_path\":\"cam/1.jpg\"}");
    PINNED.put(
        new TypedEvent.SnapshotFileMissing(1, "cam/1.jpg", Optional.of("rename failed")),
        "{\"count\":1,\"first_path\":\"cam/1.jpg\",\"reason\":\"rename failed\"}");
    PINNED.put(
        new TypedEvent.RetentionRefused("would delete 90 %", false),
        "{\"reason\":\"would delete 90 %\",\"forced\":false}");
    PINNED.put(
        new TypedEvent.RetentionRefused("would delete 90 %", true),
        "{\"reason\":\"would delete 90 %\",\"forced\":true}");
    PINNED.put(
        new TypedEvent.RetentionGuaranteeAtRisk(30.0, 21.5, B, 2.4e9, "/srv/rec"),
        "{\"keeps_days\":30.0,\"holds_days\":21.5,\"breaks_at\":\"2026-11-21T10:00:24.500Z\","
            + "\"bytes_per_day\":2.4E9,\"root\":\"/srv/rec\"}");
    PINNED.put(
        new TypedEvent.GapHealed(
            A, B, 180.5, true, "gate/20261121T100000Z.mp4", "http 127.0.0.1:8554"),
        "{\"from\":\"2026-11-21T10:00:00Z\",\"to\":\"2026-11-21T10:00:24.500Z\",\"seconds\":180.5,"
            + "\"partial\":true,\"path\":\"gate/20261121T100000Z.mp4\",\"source\":\"http 127.0.0.1:8554\"}");
    PINNED.put(
        new TypedEvent.GapHealFailed(A, B, "edge_unreachable", "connection refused", 2, false),
        "{\"from\":\"2026-11-21T10:00:00Z\",\"to\":\"2026-11-21T10:00:24.500Z\",\"code\":\"edge_unreachable\","
            + "\"reason\":\"connection refused\",\"tries\":2,\"given_up\":false}");
    PINNED.put(
        new TypedEvent.TierMoveFailed("cam/a.mp4", "ssd", "nas", "the copy read back differs"),
        "{\"path\":\"cam/a.mp4\",\"from\":\"ssd\",\"to\":\"nas\","
            + "\"reason\":\"the copy read back differs\"}");
    PINNED.put(
        new TypedEvent.StorageTierUnavailable("nas", "/mnt/nas", "not mounted?", 12),
        "{\"tier\":\"nas\",\"root\":\"/mnt/nas\",\"reason\":\"not mounted?\",\"waiting\":12}");
    PINNED.put(
        new TypedEvent.StorageTierAvailable("nas", "/mnt/nas"),
        "{\"tier\":\"nas\",\"root\":\"/mnt/nas\"}");
    PINNED.put(
        new TypedEvent.RetentionFailed("cam/a.mp4", "permission denied"),
        "{\"path\":\"cam/a.mp4\",\"reason\":\"permission denied\"}");
    PINNED.put(
        new TypedEvent.RetentionFailed(
            Optional.of("segments"), "cam/a.mp4", "row cannot be read, left alone: bad end"),
        "{\"table\":\"segments\",\"path\":\"cam/a.mp4\",\"reason\":\"row cannot be read, left alone: bad end\"}");
    PINNED.put(
        new TypedEvent.SnapshotMissed(3, 4, "failover", B),
        "{\"schedule_id\":3,\"missed\":4,\"cause\":\"failover\",\"next_slot\":\"2026-11-21T10:00:24.500Z\"}");
    PINNED.put(
        new TypedEvent.LeaseAcquired("capture", "node-b", 3),
        "{\"duty\":\"capture\",\"node_id\":\"node-b\",\"epoch\":3}");
    PINNED.put(
        new TypedEvent.LeaseLost("files", "node-a", 2, "epoch is now 3"),
        "{\"duty\":\"files\",\"node_id\":\"node-a\",\"epoch\":2,\"reason\":\"epoch is now 3\"}");
    PINNED.put(
        new TypedEvent.ClockSkew("node-a", -4200, 2500),
        "{\"node_id\":\"node-a\",\"offset_ms\":-4200,\"limit_ms\":2500}");
    PINNED.put(
        new TypedEvent.StorageNodeDown("node-a", 7, Instant.parse("2026-03-01T10:00:00Z")),
        "{\"node_id\":\"node-a\",\"gap_id\":7,\"since\":\"2026-03-01T10:00:00Z\"}");
    PINNED.put(
        new TypedEvent.StorageNodeCaughtUp(
            "node-a",
            7,
            Instant.parse("2026-03-01T10:00:00Z"),
            Instant.parse("2026-03-01T10:05:00Z")),
        "{\"node_id\":\"node-a\",\"gap_id\":7,\"since\":\"2026-03-01T10:00:00Z\","
            + "\"until\":\"2026-03-01T10:05:00Z\"}");
    PINNED.put(
        new TypedEvent.TaskFailed("segment-indexer", "boom", 2),
        "{\"task\":\"segment-indexer\",\"error\":\"boom\",\"consecutive_failures\":2}");
  }

  @Test
  void everyKindHasARecordAndEveryRecordIsPinned() throws Exception {
    List<String> kinds = Arrays.stream(EventKinds.class.getFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()))
        .map(f -> {
          try {
            return (String) f.get(null);
          } catch (IllegalAccessException e) {
            throw new AssertionError(e);
          }
        })
        .toList();
    assertThat(PINNED.keySet().stream().map(TypedEvent::kind).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(kinds);
    assertThat(PINNED.keySet().stream().map(Object::getClass).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(Arrays.stream(TypedEvent.class.getPermittedSubclasses())
            .filter(c -> c != TypedEvent.Unrecognised.class)
            .toArray(Class<?>[]::new));
  }

  @Test
  void theStoredJsonIsPinnedAndDecodesToTheSameRecord() {
    PINNED.forEach((event, json) -> {
      assertThat(EventPayloads.write(event.payload())).as(event.kind()).isEqualTo(json);
      HeldarEvent stored = HeldarEvent.stored(
          Optional.of("cam"), event.kind(), event.severity(), EventPayloads.read(json), A);
      assertThat(stored.typed()).as(json).isEqualTo(event);
      assertThat(HeldarEvent.of("cam", event, A)).isEqualTo(stored);
    });
  }

  @Test
  void whatItCannotReadIsUnrecognisedNeverAnException() {
    Map<String, Object> missingKey = new LinkedHashMap<>(Map.of("gap_id", 1L));
    assertThat(TypedEvent.decode(EventKinds.RECORDING_GAP, Severity.WARNING, missingKey))
        .isEqualTo(
            new TypedEvent.Unrecognised(EventKinds.RECORDING_GAP, Severity.WARNING, missingKey));
    Map<String, Object> wrongType =
        EventPayloads.read("{\"task\":\"t\",\"error\":\"e\",\"consecutive_failures\":\"two\"}");
    assertThat(TypedEvent.decode(EventKinds.TASK_FAILED, Severity.ERROR, wrongType))
        .isInstanceOf(TypedEvent.Unrecognised.class);
    Map<String, Object> badInstant =
        EventPayloads.read("{\"path\":\"p\",\"start\":\"yesterday\",\"end\":\"today\"}");
    assertThat(TypedEvent.decode(EventKinds.SEGMENT_RESTORED, Severity.INFO, badInstant))
        .isInstanceOf(TypedEvent.Unrecognised.class);
    assertThat(TypedEvent.decode("motion_detected", Severity.INFO, Map.of("zone", "door")))
        .isEqualTo(
            new TypedEvent.Unrecognised("motion_detected", Severity.INFO, Map.of("zone", "door")));
    assertThat(TypedEvent.decode(
            EventKinds.TASK_FAILED,
            Severity.INFO,
            PINNED.entrySet().stream()
                .filter(e -> e.getKey() instanceof TypedEvent.TaskFailed)
                .findFirst()
                .orElseThrow()
                .getKey()
                .payload()))
        .as("a severity the kind never has")
        .isInstanceOf(TypedEvent.Unrecognised.class);
    Map<String, Object> extra =
        new LinkedHashMap<>(new TypedEvent.CameraRegistered("c", "C").payload());
    extra.put("added_by_a_later_version", 1L);
    assertThat(TypedEvent.decode(EventKinds.CAMERA_REGISTERED, Severity.INFO, extra))
        .as("keys a later version adds are ignored")
        .isEqualTo(new TypedEvent.CameraRegistered("c", "C"));
  }
}
