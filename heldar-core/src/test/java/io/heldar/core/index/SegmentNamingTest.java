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

  @Test
  void mediamtxNamesAreLocalWithMicroseconds() {
    SegmentNaming n = SegmentNaming.mediamtx(ZoneId.of("Europe/Berlin"));
    assertThat(start(n, "2026-07-01_12-00-05-250000.mp4")).contains(Instant.parse("2026-07-01T10:00:05.250Z"));
    assertThat(start(n, "2026-01-01_12-00-05-000001.mp4")).contains(Instant.parse("2026-01-01T11:00:05.000001Z"));
    assertThat(start(n, "2026-01-01_12-00-05-000001.ts")).isPresent();
    assertThat(start(n, "2026-01-01_12-00-05.mp4")).isEmpty();
  }

  @Test
  void patternsMaySpanDirectoriesAndRepeatConversions() {
    SegmentNaming n = SegmentNaming.pattern("%Y/%m/%d/%Y%m%d-%H%M%S%z.mp4", ZoneOffset.UTC);
    assertThat(n.depth()).isEqualTo(4);
    assertThat(start(n, "2026/11/21/20261121-101500+0130.mp4")).contains(Instant.parse("2026-11-21T08:45:00Z"));
    assertThat(start(n, "2026/11/22/20261121-101500Z.mp4")).as("day differs from directory").isEmpty();
    SegmentNaming epoch = SegmentNaming.pattern("rec-%s.%f.mp4", ZoneOffset.UTC);
    assertThat(start(epoch, "rec-1700000000.5.mp4")).contains(Instant.ofEpochSecond(1_700_000_000, 500_000_000));
  }

  @Test
  void badPatternsFailAtConfiguration() {
    assertThatThrownBy(() -> SegmentNaming.pattern("%Y-%q.mp4", ZoneOffset.UTC)).hasMessageContaining("%q");
    assertThatThrownBy(() -> SegmentNaming.pattern("%Y%m%d.mp4", ZoneOffset.UTC)).hasMessageContaining("%H");
    assertThatThrownBy(() -> SegmentNaming.pattern("/abs/%s.mp4", ZoneOffset.UTC)).hasMessageContaining("relative");
    assertThatThrownBy(() -> SegmentNaming.pattern("../%s.mp4", ZoneOffset.UTC)).hasMessageContaining("relative");
    assertThatThrownBy(() -> SegmentNaming.pattern("%s%", ZoneOffset.UTC)).hasMessageContaining("lone %");
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
    assertThat(n.parse(name, Optional.of(first.plusSeconds(60))).orElseThrow().start()).isEqualTo(first);
    assertThat(n.parse(name, Optional.of(second.plusSeconds(60))).orElseThrow().start()).isEqualTo(second);
    // Deterministic: same inputs, same answer.
    assertThat(n.parse(name, Optional.of(second.plusSeconds(60)))).isEqualTo(n.parse(name, Optional.of(second.plusSeconds(60))));
  }

  @Test
  void aNonexistentLocalTimeIsMovedForwardAndNoted() {
    SegmentNaming n = SegmentNaming.pattern("%Y%m%d-%H%M%S.mp4", ZoneId.of("Europe/Berlin"));
    SegmentNaming.ParsedName p = n.parse("20260329-023000.mp4", Optional.empty()).orElseThrow();
    assertThat(p.start()).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
    assertThat(p.note()).hasValueSatisfying(s -> assertThat(s).contains("does not exist"));
    assertThat(n.parse("20260329-013000.mp4", Optional.empty()).orElseThrow().note()).isEmpty();
  }

  @Test
  void presetsByName() {
    assertThat(SegmentNaming.byName("heldar", ZoneOffset.UTC).pattern()).isEqualTo(SegmentNaming.HELDAR_PATTERN);
    assertThat(SegmentNaming.byName("MediaMTX", ZoneOffset.UTC).pattern()).isEqualTo(SegmentNaming.MEDIAMTX_PATTERN);
    assertThat(SegmentNaming.byName("%s.mp4", ZoneOffset.UTC).pattern()).isEqualTo("%s.mp4");
  }
}
