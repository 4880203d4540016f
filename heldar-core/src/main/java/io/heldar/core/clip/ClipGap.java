package io.heldar.core.clip;

import io.heldar.core.model.GapCause;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A stretch of the requested range the clip does not hold, and why.
 *
 * @param start where it starts
 * @param end where it ends
 * @param cause why there is no footage
 * @param detail what was seen: the gap row, the file that vanished, why a file cannot be read
 */
public record ClipGap(Instant start, Instant end, Cause cause, String detail) {
  /** Why a stretch has no footage. */
  public enum Cause {
    /** The recorder produced nothing (no segment, or an open gap of that cause). */
    MISSING,
    /** Retention deleted it. */
    RETENTION,
    /** Its files vanished (before or during the export). */
    LOST,
    /** Its storage node is down. */
    NODE_DOWN,
    /** A segment is there but cannot be read (cut off, malformed, a format not read). */
    UNREADABLE;

    /** The lower-case name used in manifests and JSON. */
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The cause for a gap row's cause. */
    public static Cause of(GapCause cause) {
      return switch (cause) {
        case MISSING -> MISSING;
        case RETENTION -> RETENTION;
        case LOST -> LOST;
        case NODE_DOWN -> NODE_DOWN;
      };
    }

    /** The cause named {@code name} (as {@link #jsonName}). */
    public static Cause ofJsonName(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  /** Checks the fields. */
  public ClipGap {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(detail, "detail");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("gap end " + end + " not after start " + start);
    }
  }

  /** How long it is. */
  public Duration length() {
    return Duration.between(start, end);
  }
}
