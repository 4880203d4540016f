package io.heldar.core.timeline;

import io.heldar.core.model.Segment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a camera's segments in a range.
 *
 * @param segments in start order
 * @param next where the next page starts (pass it back as {@code after}); empty on the last page
 */
public record SegmentPage(List<Segment> segments, Optional<Segment> next) {
  /** Freezes. */
  public SegmentPage {
    segments = List.copyOf(segments);
    Objects.requireNonNull(next, "next");
  }

  /**
   * {@link #next()} as an opaque string for a client to send back ({@link Timeline#segmentPage}):
   * URL-safe, it round-trips through HTTP query strings as is.
   */
  public Optional<String> nextCursor() {
    return next.map(s -> Cursors.encode(s.start(), s.path()));
  }

  /** The cursor codec: base64url of a version, the segment's start and its path. */
  static final class Cursors {
    private static final String VERSION = "s1";

    private Cursors() {}

    static String encode(Instant start, String path) {
      String plain = VERSION + "\n" + start.toEpochMilli() + "\n" + path;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The (start, path) a cursor names; IllegalArgumentException when it is not one. */
    static Map.Entry<Instant, String> decode(String cursor) {
      try {
        String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        String[] parts = plain.split("\n", 3);
        if (parts.length != 3 || !parts[0].equals(VERSION) || parts[2].isEmpty()) {
          throw new IllegalArgumentException("not a segment cursor");
        }
        return Map.entry(Instant.ofEpochMilli(Long.parseLong(parts[1])), parts[2]);
      } catch (IllegalArgumentException e) { // bad base64, a bad number, or the checks above
        throw new IllegalArgumentException("invalid cursor: " + e.getMessage(), e);
      }
    }
  }
}
