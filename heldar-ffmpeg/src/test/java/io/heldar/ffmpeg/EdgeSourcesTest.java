package io.heldar.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.heal.EdgeFetch;
import io.heldar.core.heal.EdgeSource;
import io.heldar.core.model.Camera;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which template each camera is healed from, and what the heal history calls it. */
class EdgeSourcesTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  @TempDir
  Path dir;

  @Test
  void theOverrideWinsOverTheCamerasOwnWhichWinsOverTheFallback() {
    EdgeSource edges = EdgeSources.fromCameras(
        Map.of("yard", "rtsp://nvr:554/yard?start={start}"),
        Optional.of("http://mediamtx:9996/get?path={camera}&start={start}"),
        Optional.of(Path.of("/usr/bin/ffmpeg")));
    Camera gate = Camera.of("gate", T0)
        .withEdgeUrl(Optional.of("https://admin:secret@10.0.0.21:8443/playback?s={start}"));
    Camera yard = Camera.of("yard", T0).withEdgeUrl(Optional.of("http://never:1/x"));
    Camera dock = Camera.of("dock", T0);
    assertThat(edges.describe(gate)).isEqualTo("https://10.0.0.21:8443");
    assertThat(edges.describe(yard)).isEqualTo("rtsp://nvr:554");
    assertThat(edges.describe(dock)).isEqualTo("http://mediamtx:9996");
    assertThat(edges.covers(dock)).isTrue();

    EdgeSource own = EdgeSources.fromCameras(Map.of(), Optional.empty(), Optional.empty());
    assertThat(own.covers(dock)).isFalse();
    assertThat(own.covers(gate)).isTrue();
    assertThat(own.describe(gate)).doesNotContain("secret");
  }

  @Test
  void aBadTemplateIsRefusedWhenGivenAndAStoredOneSaysWhyWhenFetched() throws Exception {
    assertThatThrownBy(() -> EdgeSources.check("http://x/get?start={begin}"))
        .hasMessageContaining("unknown placeholder {begin}");
    assertThatThrownBy(() -> EdgeSources.fromCameras(
            Map.of("gate", "no-scheme-{start}"), Optional.empty(), Optional.empty()))
        .hasMessageContaining("has no scheme");
    // A camera row written by another tool may hold anything: not thrown, reported.
    Camera odd = Camera.of("odd", T0).withEdgeUrl(Optional.of("http://u:pw@x/get?start={begin}"));
    Path sink = Files.createFile(dir.resolve("sink.mp4"));
    EdgeFetch f = EdgeSources.fromCameras(Map.of(), Optional.empty(), Optional.empty())
        .fetch(
            new EdgeSource.Request(odd, T0, T0.plusSeconds(60), Duration.ofSeconds(5), 1 << 20, 0),
            sink);
    assertThat(f).isInstanceOfSatisfying(EdgeFetch.Unreachable.class, u -> assertThat(u.reason())
        .contains("unknown placeholder {begin}")
        .doesNotContain("pw"));
  }
}
