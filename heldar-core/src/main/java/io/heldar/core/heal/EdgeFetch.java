package io.heldar.core.heal;

import java.util.Objects;

/** What an {@link EdgeSource} fetch came to. */
public sealed interface EdgeFetch {
  /** The footage is in the sink: {@code bytes} of it. */
  record Written(long bytes) implements EdgeFetch {
    /** Validates. */
    public Written {
      if (bytes <= 0) {
        throw new IllegalArgumentException("written footage needs bytes");
      }
    }
  }

  /** The edge answered and has no footage for the range (an HTTP 404, an empty answer). */
  record NoFootage(String reason) implements EdgeFetch {
    /** Validates. */
    public NoFootage {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The edge could not be reached or did not answer in time (refused, timed out, HTTP 5xx). */
  record Unreachable(String reason) implements EdgeFetch {
    /** Validates. */
    public Unreachable {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
