package io.heldar.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.model.InvalidCameraIdException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A cluster node's settings: the timing rules that keep a lease safe, checked once, here. */
class ClusterOptionsTest {
  @Test
  void theDefaultsKeepALeaseSafe() {
    ClusterOptions o = ClusterOptions.forNode("n1");
    assertThat(o.lease()).isEqualTo(ClusterOptions.DEFAULT_LEASE);
    assertThat(o.renewInterval()).isLessThan(o.lease().minus(o.safetyMargin()));
    assertThat(o.maxClockSkew()).isEqualTo(o.lease().dividedBy(4));
    assertThat(o.pins()).isEmpty();
    assertThat(ClusterOptions.generatedNodeId()).matches("node-[0-9a-f]{8}");
    assertThat(ClusterOptions.builder().build().nodeId()).startsWith("node-");
  }

  @Test
  void aRenewalMustComeBeforeTheNodeStopsStartingWork() {
    assertThatThrownBy(() -> ClusterOptions.builder()
            .nodeId("n1")
            .lease(Duration.ofSeconds(10))
            .safetyMargin(Duration.ofSeconds(2))
            .renewInterval(Duration.ofSeconds(8))
            .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("renew interval must be shorter than lease − safety margin (PT8S)");
    assertThatThrownBy(() -> ClusterOptions.builder()
            .nodeId("n1")
            .lease(Duration.ofSeconds(2))
            .safetyMargin(Duration.ofSeconds(2))
            .build())
        .hasMessageContaining("safety margin must be shorter than the lease");
  }

  @Test
  void nodeIdsAndPinsAreChecked() {
    assertThatThrownBy(() -> ClusterOptions.forNode("n 1")).hasMessageContaining("'n 1'");
    assertThatThrownBy(() -> ClusterOptions.forNode("x".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> ClusterOptions.builder().nodeId("n1").pin("../cam", "n2").build())
        .isInstanceOf(InvalidCameraIdException.class);
    assertThatThrownBy(
            () -> ClusterOptions.builder().nodeId("n1").pin("cam", "n/2").build())
        .hasMessageContaining("node id");
    ClusterOptions pinned = ClusterOptions.builder()
        .nodeId("n1")
        .pin("cam-b", "n2")
        .pin("cam-a", "n1")
        .build();
    assertThat(pinned.pins().keySet()).containsExactly("cam-a", "cam-b");
    assertThat(pinned.pinOf("cam-b")).contains("n2");
    assertThat(pinned.pinOf("cam-c")).isEmpty();
    assertThatThrownBy(() -> pinned.pins().put("cam-c", "n1"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void fromKeepsEverythingButWhatIsChanged() {
    ClusterOptions a = ClusterOptions.builder()
        .nodeId("n1")
        .capacity(50)
        .claimInterval(Duration.ofMillis(500))
        .pin("cam", "n1")
        .build();
    ClusterOptions b = ClusterOptions.from(a).capacity(60).build();
    assertThat(b)
        .isEqualTo(new ClusterOptions(
            "n1", a.lease(), a.renewInterval(), a.claimInterval(), a.safetyMargin(), 60, a.pins()));
    assertThatThrownBy(() -> ClusterOptions.from(a).capacity(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
