package io.heldar.core.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The rank that decides which node prefers which camera: stable, spread, and moving little. */
class RendezvousRankTest {
  static final List<String> CAMERAS =
      IntStream.range(0, 3000).mapToObj(i -> "cam-" + i).toList();

  static String preferred(List<String> nodes, String camera) {
    return nodes.stream()
        .min(Comparator.comparingLong((String n) -> LeaseKeeper.rank(n, camera))
            .thenComparing(Comparator.naturalOrder()))
        .orElseThrow();
  }

  @Test
  void theRankIsAFunctionOfNodeAndCameraOnly() {
    assertThat(LeaseKeeper.rank("n1", "cam-7")).isEqualTo(LeaseKeeper.rank("n1", "cam-7"));
    assertThat(LeaseKeeper.rank("n1", "cam-7")).isNotEqualTo(LeaseKeeper.rank("n2", "cam-7"));
    // the separator keeps ("n1", "2cam") and ("n12", "cam") apart
    assertThat(LeaseKeeper.rank("n1", "2cam")).isNotEqualTo(LeaseKeeper.rank("n12", "cam"));
  }

  @Test
  void camerasSpreadEvenlyOverNodes() {
    List<String> nodes = List.of("n1", "n2", "n3");
    Map<String, Integer> share = new HashMap<>();
    CAMERAS.forEach(c -> share.merge(preferred(nodes, c), 1, Integer::sum));
    assertThat(share).hasSize(3);
    // 1,000 each expected; a fair hash stays within a few standard deviations (about 26)
    assertThat(share.values()).allSatisfy(n -> assertThat(n).isBetween(880, 1120));
  }

  @Test
  void aNodeJoiningTakesOnlyItsShareAndMovesNothingBetweenTheOthers() {
    List<String> before = List.of("n1", "n2", "n3");
    List<String> after = List.of("n1", "n2", "n3", "n4");
    int moved = 0;
    for (String c : CAMERAS) {
      String was = preferred(before, c);
      String is = preferred(after, c);
      if (!was.equals(is)) {
        assertThat(is).as("a camera that moves, moves to the new node").isEqualTo("n4");
        moved++;
      }
    }
    assertThat(moved).isBetween(600, 900); // about a quarter of 3,000
  }
}
