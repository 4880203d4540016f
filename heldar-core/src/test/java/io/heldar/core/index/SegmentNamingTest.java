package io.heldar.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SegmentNamingTest {
  static Optional<Instant> start(SegmentNaming n, String path) {
    return n.parse(path, Optional.empty()).map(SegmentNaming.ParsedName::start);
  }

  @Test
  void heldarDefaultIsUtc() {
    SegmentNaming n = SegmentNaming.heldar();
    assertThat(start(n, "20261121T101500Z.mp4")).contains(Instant.parse("2026-11-21T10:15:00Z"));
    assertThat(start(n, "20261121T101500Z.mkv")).isEmpty();
    assertThat(start(n, "20261121T101500Z.mp4.tmp")).isEmpty();
    assertThat(start(n, "20261321T101500Z.mp4")).as("month 13").isEmpty();
    assertThat(start(n, "sub/20261121T101500Z.mp4")).isEmpty();
    assertThat(n.depth()).isEqualTo(1);
  }

  static Optional<SegmentNaming.Match> match(SegmentNaming n, String path) {
    return n.match(path, Optional.empty());
  }

  @Test
  void mediamtxNamesAreLocalWithMicrosecondsAndPathNamesMaySpanDirectories() {
    SegmentNaming n = SegmentNaming.mediamtx(ZoneId.of("Europe/Berlin"));
    assertThat(match(n, "cam/2026-07-01_12-00-05-250000.mp4"))
        .contains(new SegmentNaming.Match(
            "cam", Instant.parse("2026-07-01T10:00:05.250Z"), Optional.empty()));
    assertThat(
            match(n, "cam2/main/2026-01-01_12-00-05-000001.mp4").map(SegmentNaming.Match::camera))
        .contains("cam2/main");
    assertThat(
            match(n, "garage.cam/2026-01-01_12-00-05-000001.ts").map(SegmentNaming.Match::camera))
        .contains("garage.cam");
    assertThat(match(n, "_lobby/2026-01-01_12-00-05-000001.mp4").map(SegmentNaming.Match::start))
        .contains(Instant.parse("2026-01-01T11:00:05.000001Z"));
    assertThat(match(n, "cam/2026-01-01_12-00-05.mp4")).isEmpty();
    assertThat(match(n, "2026-01-01_12-00-05-000001.mp4")).as("no camera").isEmpty();
    assertThat(n.cameraDirectories()).isFalse();
    assertThat(n.rootDepth()).isEqualTo(SegmentNaming.MAX_DEPTH);
  }

  @Test
  void frigatePutsTheCameraInTheMiddleInUtc() {
    SegmentNaming n = SegmentNaming.byName("frigate", ZoneId.of("Europe/Berlin"));
    assertThat(match(n, "2026-11-21/10/front_door/05.30.mp4"))
        .contains(new SegmentNaming.Match(
            "front_door", Instant.parse("2026-11-21T10:05:30Z"), Optional.empty()));
    assertThat(match(n, "2026-11-21/10/front_door")).isEmpty();
    assertThat(match(n, "2026-11-21/10/front_door/05.30.mkv")).isEmpty();
    assertThat(n.rootDepth()).isEqualTo(4);
    assertThat(n.cameraDirectories()).isFalse();
  }

  @Test
  void shinobiZoneminderAndBlueIrisLayouts() {
    ZoneId zone = ZoneOffset.UTC;
    SegmentNaming shinobi = SegmentNaming.byName("shinobi", zone);
    assertThat(match(shinobi, "Xk2jd7Qa/frontcam/2026-11-21T10-05-30.mp4")
            .map(SegmentNaming.Match::camera))
        .contains("Xk2jd7Qa/frontcam");
    assertThat(match(shinobi, "Xk2jd7Qa/frontcam_timelapse/2026-11-21/2026-11-21T10-05-30.jpg"))
        .isEmpty();
    SegmentNaming zm = SegmentNaming.byName("zoneminder", zone);
    assertThat(match(zm, "3/26/11/21/10/05/30/1234-video.mp4"))
        .contains(
            new SegmentNaming.Match("3", Instant.parse("2026-11-21T10:05:30Z"), Optional.empty()));
    assertThat(match(zm, "3/26/11/21/10/05/30/00001-capture.jpg")).isEmpty();
    assertThat(zm.cameraDirectories()).isTrue();
    SegmentNaming bi = SegmentNaming.byName("blueiris", zone);
    assertThat(match(bi, "Front.Door.20261121_100530.mp4"))
        .contains(new SegmentNaming.Match(
            "Front.Door", Instant.parse("2026-11-21T10:05:30Z"), Optional.empty()));
    assertThat(bi.cameraDirectories()).isFalse();
    assertThat(bi.rootDepth()).isEqualTo(1);
  }

  @Test
  void aCameraInTheFileNameMustAgreeWithItsDirectory() {
    SegmentNaming n = SegmentNaming.pattern("%c/%c-%Y%m%d-%H%M%S", ZoneOffset.UTC);
    assertThat(match(n, "gate/gate-20261121-100530.mp4").map(SegmentNaming.Match::camera))
        .contains("gate");
    assertThat(match(n, "gate/door-20261121-100530.mp4")).isEmpty();
    assertThat(n.cameraDirectories()).as("the camera recurs in the file name").isFalse();
    assertThatThrownBy(() -> SegmentNaming.pattern("%c/%p/%s.mp4", ZoneOffset.UTC))
        .hasMessageContaining("%c and %p");
    assertThatThrownBy(() -> SegmentNaming.pattern("%c/%Y%y%m%d%H%M.mp4", ZoneOffset.UTC))
        .hasMessageContaining("%Y and %y");
  }

  @Test
  void patternsMaySpanDirectoriesAndRepeatConversions() {
    SegmentNaming n = SegmentNaming.pattern("%Y/%m/%d/%Y%m%d-%H%M%S%z.mp4", ZoneOffset.UTC);
    assertThat(n.depth()).isEqualTo(4);
    assertThat(start(n, "2026/11/21/20261121-101500+0130.mp4"))
        .contains(Instant.parse("2026-11-21T08:45:00Z"));
    assertThat(start(n, "2026/11/22/20261121-101500Z.mp4"))
        .as("day differs from directory")
        .isEmpty();
    SegmentNaming epoch = SegmentNaming.pattern("rec-%s.%f.mp4", ZoneOffset.UTC);
    assertThat(start(epoch, "rec-1700000000.5.mp4"))
        .contains(Instant.ofEpochSecond(1_700_000_000, 500_000_000));
  }

  @Test
  void badPatternsFailAtConfiguration() {
    assertThatThrownBy(() -> SegmentNaming.pattern("%Y-%q.mp4", ZoneOffset.UTC))
        .hasMessageContaining("%q");
    assertThatThrownBy(() -> SegmentNaming.pattern("%Y%m%d.mp4", ZoneOffset.UTC))
        .hasMessageContaining("%H");
    assertThatThrownBy(() -> SegmentNaming.pattern("/abs/%s.mp4", ZoneOffset.UTC))
        .hasMessageContaining("relative");
    assertThatThrownBy(() -> SegmentNaming.pattern("../%s.mp4", ZoneOffset.UTC))
        .hasMessageContaining("relative");
    assertThatThrownBy(() -> SegmentNaming.pattern("%s%", ZoneOffset.UTC))
        .hasMessageContaining("lone %");
  }

  @Test
  void theRepeatedHourAtTheEndOfDstResolvesByModificationTime() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    SegmentNaming n = SegmentNaming.pattern("%Y%m%d-%H%M%S.mp4", berlin);
    // 2026-10-25 02:30 local happens at 00:30Z (CEST) and again at 01:30Z (CET).
    String name = "20261025-023000.mp4";
    Instant first = Instant.parse("2026-10-25T00:30:00Z");
    Instant second = Instant.parse("2026-10-25T01:30:00Z");
    SegmentNaming.ParsedName noHint = n.parse(name, Optional.empty()).orElseThrow();
    assertThat(noHint.start()).isEqualTo(first);
    assertThat(noHint.note()).hasValueSatisfying(s -> assertThat(s).contains("occurs twice"));
    assertThat(n.parse(name, Optional.of(first.plusSeconds(60))).orElseThrow().start())
        .isEqualTo(first);
    assertThat(n.parse(name, Optional.of(second.plusSeconds(60))).orElseThrow().start())
        .isEqualTo(second);
    // Deterministic: same inputs, same answer.
    assertThat(n.parse(name, Optional.of(second.plusSeconds(60))))
        .isEqualTo(n.parse(name, Optional.of(second.plusSeconds(60))));
  }

  @Test
  void aNonexistentLocalTimeIsMovedForwardAndNoted() {
    SegmentNaming n = SegmentNaming.pattern("%Y%m%d-%H%M%S.mp4", ZoneId.of("Europe/Berlin"));
    SegmentNaming.ParsedName p =
        n.parse("20260329-023000.mp4", Optional.empty()).orElseThrow();
    assertThat(p.start()).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
    assertThat(p.note()).hasValueSatisfying(s -> assertThat(s).contains("does not exist"));
    assertThat(n.parse("20260329-013000.mp4", Optional.empty()).orElseThrow().note())
        .isEmpty();
  }

  @Test
  void presetsByName() {
    assertThat(SegmentNaming.byName("heldar", ZoneOffset.UTC).pattern())
        .isEqualTo(SegmentNaming.HELDAR_PATTERN);
    assertThat(SegmentNaming.byName("MediaMTX", ZoneOffset.UTC).pattern())
        .isEqualTo(SegmentNaming.MEDIAMTX_PATTERN);
    assertThat(SegmentNaming.byName("%s.mp4", ZoneOffset.UTC).pattern()).isEqualTo("%s.mp4");
    assertThat(SegmentNaming.byName("%s.mp4", ZoneOffset.UTC).fullPattern()).isEqualTo("%c/%s.mp4");
    for (String preset : SegmentNaming.PRESETS) {
      assertThat(SegmentNaming.byName(preset, ZoneOffset.UTC).fullPattern()).contains("%");
    }
  }

  @Test
  void recorderNamesMapToValidIdsDeterministically() {
    assertThat(CameraNames.idFor("front-door")).isEqualTo("front-door");
    assertThat(CameraNames.idFor("cam2/main")).isEqualTo("cam2-main");
    assertThat(CameraNames.idFor("garage.cam")).isEqualTo("garage-cam");
    assertThat(CameraNames.idFor("_lobby")).isEqualTo("lobby");
    assertThat(CameraNames.idFor("Café Terrasse")).isEqualTo("Cafe-Terrasse");
    assertThat(CameraNames.idFor("///")).startsWith("camera-").hasSize(15);
    String longName = "x".repeat(40) + "/" + "y".repeat(40);
    assertThat(CameraNames.idFor(longName)).hasSize(64).isEqualTo(CameraNames.idFor(longName));
    assertThat(io.heldar.core.model.Camera.isValidId(CameraNames.idFor(longName)))
        .isTrue();
    assertThat(CameraNames.isSafeRecorderName("cam2/main")).isTrue();
    assertThat(CameraNames.isSafeRecorderName("../etc")).isFalse();
    assertThat(CameraNames.isSafeRecorderName("a//b")).isFalse();
    assertThat(CameraNames.isSafeRecorderName("a/./b")).isFalse();
  }

  @Test
  void everyPresetNamesAnInstantItParsesBack() {
    Instant t = Instant.parse("2026-11-21T10:15:30.250Z");
    Instant mtime = t.plusSeconds(10);
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    assertThat(SegmentNaming.heldar().format("gate", t, mtime))
        .contains("gate/20261121T101530Z.mp4");
    assertThat(SegmentNaming.frigate().format("gate", t, mtime))
        .contains("2026-11-21/10/gate/15.30.mp4");
    assertThat(SegmentNaming.mediamtx(berlin).format("cam2/main", t, mtime))
        .contains("cam2/main/2026-11-21_11-15-30-250000.mp4");
    assertThat(SegmentNaming.zoneminder(berlin).format("3", t, mtime))
        .contains("3/26/11/21/11/15/30/heldar-video.mp4");
    assertThat(SegmentNaming.blueIris(berlin).format("gate", t, mtime))
        .contains("gate.20261121_111530.mp4");
    for (SegmentNaming n : java.util.List.of(
        SegmentNaming.heldar(),
        SegmentNaming.frigate(),
        SegmentNaming.mediamtx(berlin),
        SegmentNaming.shinobi(berlin),
        SegmentNaming.zoneminder(berlin),
        SegmentNaming.blueIris(berlin))) {
      String path = n.format("gate", t, mtime).orElseThrow();
      SegmentNaming.Match m = n.match(path, Optional.of(mtime)).orElseThrow();
      assertThat(m.camera()).as(path).isEqualTo("gate");
      assertThat(m.start())
          .as(path)
          .isEqualTo(
              n.pattern().contains("%f")
                  ? t
                  : t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }
  }

  @Test
  void anInstantTheLayoutCannotNameGetsNoName() {
    // Minutes only: 10:15:30 has no name (it would read back as 10:15:00).
    SegmentNaming minutes = SegmentNaming.pattern("%c/%Y%m%d-%H%M.mp4", ZoneOffset.UTC);
    Instant t = Instant.parse("2026-11-21T10:15:30Z");
    assertThat(minutes.format("gate", t, t)).isEmpty();
    assertThat(minutes.format("gate", Instant.parse("2026-11-21T10:15:00Z"), t))
        .contains("gate/20261121-1015.mp4");
    // A camera name with a / does not fit %c.
    assertThat(SegmentNaming.heldar().format("a/b", t, t)).isEmpty();
    // The hour repeated when DST ends: the name resolves by the modification time.
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Instant firstTwoThirty = Instant.parse("2026-10-25T00:30:00Z"); // 02:30 CEST
    SegmentNaming local = SegmentNaming.pattern("%c/%Y-%m-%d_%H-%M-%S.mp4", berlin);
    assertThat(local.format("gate", firstTwoThirty, firstTwoThirty.plusSeconds(60)))
        .contains("gate/2026-10-25_02-30-00.mp4");
    Instant secondTwoThirty = Instant.parse("2026-10-25T01:30:00Z"); // 02:30 CET
    assertThat(local.format("gate", secondTwoThirty, secondTwoThirty.plusSeconds(60)))
        .contains("gate/2026-10-25_02-30-00.mp4");
  }
}
