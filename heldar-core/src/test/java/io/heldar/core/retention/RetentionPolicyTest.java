package io.heldar.core.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** from(existing) gives back the same policy, and changes only what is set. */
class RetentionPolicyTest {
  @Test
  void fromKeepsEveryRuleAndChangesOnlyWhatIsSet() {
    RetentionPolicy policy = RetentionPolicy.builder()
        .maxAge(Duration.ofDays(30))
        .maxBytesPerCamera(5_000_000_000L)
        .minFreePercent(10)
        .snapshotMaxAge(Duration.ofDays(7))
        .maxDeleteShare(0.8)
        .build();
    assertThat(RetentionPolicy.from(policy).build()).isEqualTo(policy);
    RetentionPolicy shorter =
        RetentionPolicy.from(policy).maxAge(Duration.ofDays(7)).build();
    assertThat(shorter.maxAge()).contains(Duration.ofDays(7));
    assertThat(shorter.maxBytesPerCamera()).isEqualTo(policy.maxBytesPerCamera());
    assertThat(shorter.minFreePercent()).isEqualTo(policy.minFreePercent());
    assertThat(shorter.maxDeleteShare()).isEqualTo(0.8);
    assertThat(policy.maxAge()).as("immutable").contains(Duration.ofDays(30));
  }
}
