package io.heldar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Byte ranges of clips, MediaMTX's durations, and the range output that stops the writer. */
class ByteRangeTest {
  @Test
  void rangesAreReadAsRfc9110Says() {
    assertThat(HeldarApiServlet.byteRange(null, 100)).isNull();
    assertThat(HeldarApiServlet.byteRange("bytes=0-", 100)).containsExactly(0, 100);
    assertThat(HeldarApiServlet.byteRange("bytes=10-19", 100)).containsExactly(10, 10);
    assertThat(HeldarApiServlet.byteRange("bytes=90-500", 100)).containsExactly(90, 10);
    assertThat(HeldarApiServlet.byteRange("bytes=-30", 100)).containsExactly(70, 30);
    assertThat(HeldarApiServlet.byteRange("bytes=-300", 100)).containsExactly(0, 100);
    assertThat(HeldarApiServlet.byteRange("bytes=0-1,5-6", 100)).isNull(); // several: the whole
    assertThat(HeldarApiServlet.byteRange("items=0-1", 100)).isNull();
    assertThat(HeldarApiServlet.byteRange("bytes=x-1", 100)).isNull();
    assertThatThrownBy(() -> HeldarApiServlet.byteRange("bytes=100-", 100))
        .hasMessageContaining("not within");
    assertThatThrownBy(() -> HeldarApiServlet.byteRange("bytes=20-10", 100))
        .hasMessageContaining("not within");
  }

  @Test
  void theRangeOutputPassesTheRangeThenStopsTheWriter() throws Exception {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    ByteRangeOutput out = new ByteRangeOutput(sink, 3, 4);
    out.write(new byte[] {0, 1, 2, 3, 4}, 0, 5);
    assertThat(sink.toByteArray()).containsExactly(3, 4);
    assertThatThrownBy(() -> out.write(new byte[] {5, 6, 7, 8}, 0, 4))
        .isInstanceOf(ByteRangeOutput.Complete.class)
        .satisfies(
            e -> assertThat(ByteRangeOutput.completed(new RuntimeException(e))).isTrue());
    assertThat(sink.toByteArray()).containsExactly(3, 4, 5, 6);
    assertThat(out.sent()).isEqualTo(4);
  }

  @Test
  void mediamtxDurationsAreSecondsOrGoDurations() {
    assertThat(HeldarApiServlet.mediamtxDuration("12.5")).isEqualTo(Duration.ofMillis(12500));
    assertThat(HeldarApiServlet.mediamtxDuration("1h2m3.5s")).isEqualTo(Duration.ofMillis(3723500));
    assertThat(HeldarApiServlet.mediamtxDuration("90m")).isEqualTo(Duration.ofMinutes(90));
    assertThatThrownBy(() -> HeldarApiServlet.mediamtxDuration("soon"))
        .hasMessageContaining("neither seconds");
    assertThatThrownBy(() -> HeldarApiServlet.mediamtxDuration("-3"))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> HeldarApiServlet.mediamtxDuration("NaN"))
        .hasMessageContaining("positive");
  }
}
