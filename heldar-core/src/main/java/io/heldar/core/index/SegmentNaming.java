package io.heldar.core.index;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a segment's path, relative to its camera directory, into the instant its footage starts,
 * through a strftime-style pattern that may span sub-directories ({@code %Y/%m/%d/%H-%M-%S.mp4}).
 *
 * <p>Conversions: {@code %Y} (4 digits), {@code %m %d %H %M %S} (2 digits), {@code %f} (fraction
 * of a second, 1 to 9 digits), {@code %z} ({@code Z}, {@code +hhmm} or {@code +hh:mm}), {@code %s}
 * (Unix seconds), {@code %%}. Everything else is literal. A conversion used twice must match the
 * same value. A pattern whose last element has no extension accepts the video extensions {@code
 * .mp4 .m4v .mov .mkv .ts}.
 *
 * <p>Names without {@code %z} or {@code %s} are local times in the configured zone. A local time
 * that occurs twice (the hour repeated when DST ends) is resolved deterministically: to the latest
 * of the two instants that is not after the file's modification time (a segment is written after
 * it starts), or to the earlier offset when no modification time is given. A local time that does
 * not exist (skipped when DST starts) is moved forward by the length of the gap. Both cases are
 * reported in {@link ParsedName#note()} so the caller can log them.
 */
public final class SegmentNaming {
  /** Heldar's own default naming: UTC, {@code 20261121T101500Z.mp4}. */
  public static final String HELDAR_PATTERN = "%Y%m%dT%H%M%SZ.mp4";
  /** MediaMTX's default record path naming (its {@code recordPath} after {@code %path/}). */
  public static final String MEDIAMTX_PATTERN = "%Y-%m-%d_%H-%M-%S-%f";

  private static final String VIDEO_EXTENSIONS = "\\.(?:mp4|m4v|mov|mkv|ts)";
  private static final Duration MTIME_SLACK = Duration.ofMinutes(5);

  private final String pattern;
  private final ZoneId zone;
  private final Pattern regex;
  private final Set<Character> used;
  private final int depth;

  private SegmentNaming(String pattern, ZoneId zone) {
    this.pattern = Objects.requireNonNull(pattern, "pattern");
    this.zone = Objects.requireNonNull(zone, "zone");
    if (pattern.isEmpty() || pattern.startsWith("/") || pattern.contains("\\") || pattern.contains("..")) {
      throw new IllegalArgumentException("naming pattern must be a relative path pattern: " + pattern);
    }
    StringBuilder re = new StringBuilder("^");
    Set<Character> seen = new HashSet<>();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c != '%') {
        literal.append(c);
        continue;
      }
      if (i + 1 >= pattern.length()) {
        throw new IllegalArgumentException("naming pattern ends with a lone %: " + pattern);
      }
      char k = pattern.charAt(++i);
      if (k == '%') {
        literal.append('%');
        continue;
      }
      if (literal.length() > 0) {
        re.append(Pattern.quote(literal.toString()));
        literal.setLength(0);
      }
      String group = groupRegex(k, pattern);
      re.append(seen.add(k) ? "(?<" + groupName(k) + ">" + group + ")" : "\\k<" + groupName(k) + ">");
    }
    String last = pattern.substring(pattern.lastIndexOf('/') + 1);
    if (literal.length() > 0) {
      re.append(Pattern.quote(literal.toString()));
    }
    if (!last.contains(".")) {
      re.append(VIDEO_EXTENSIONS);
    }
    re.append('$');
    boolean complete = seen.contains('s') || seen.containsAll(List.of('Y', 'm', 'd', 'H', 'M'));
    if (!complete) {
      throw new IllegalArgumentException("naming pattern needs %s, or at least %Y %m %d %H %M: " + pattern);
    }
    this.regex = Pattern.compile(re.toString());
    this.used = Set.copyOf(seen);
    this.depth = (int) pattern.chars().filter(ch -> ch == '/').count() + 1;
  }

  private static String groupRegex(char k, String pattern) {
    switch (k) {
      case 'Y':
        return "\\d{4}";
      case 'm':
      case 'd':
      case 'H':
      case 'M':
      case 'S':
        return "\\d{2}";
      case 'f':
        return "\\d{1,9}";
      case 'z':
        return "Z|[+-]\\d{2}:?\\d{2}";
      case 's':
        return "\\d{1,12}";
      default:
        throw new IllegalArgumentException("unsupported conversion %" + k + " in naming pattern " + pattern);
    }
  }

  private static String groupName(char k) {
    return Character.isUpperCase(k) ? "u" + k : "l" + k;
  }

  /** Heldar's default: {@value #HELDAR_PATTERN} in UTC. */
  public static SegmentNaming heldar() {
    return new SegmentNaming(HELDAR_PATTERN, ZoneOffset.UTC);
  }

  /** MediaMTX's {@value #MEDIAMTX_PATTERN}, local times in {@code zone}. */
  public static SegmentNaming mediamtx(ZoneId zone) {
    return new SegmentNaming(MEDIAMTX_PATTERN, zone);
  }

  /** A custom pattern; local times in {@code zone}. */
  public static SegmentNaming pattern(String pattern, ZoneId zone) {
    return new SegmentNaming(pattern, zone);
  }

  /**
   * A preset by name ({@code heldar}, {@code mediamtx}) or else a custom pattern.
   *
   * @param zone for names without an offset (ignored by {@code heldar}, which is UTC)
   */
  public static SegmentNaming byName(String nameOrPattern, ZoneId zone) {
    switch (nameOrPattern.toLowerCase(Locale.ROOT)) {
      case "heldar":
        return heldar();
      case "mediamtx":
        return mediamtx(zone);
      default:
        return pattern(nameOrPattern, zone);
    }
  }

  /** The pattern text. */
  public String pattern() {
    return pattern;
  }

  /** The zone of local names. */
  public ZoneId zone() {
    return zone;
  }

  /** How many path elements (directories + file) a name spans. */
  public int depth() {
    return depth;
  }

  /**
   * A name's start instant and, for DST-ambiguous or nonexistent local times, how it was resolved.
   *
   * @param start the start instant
   * @param note how an ambiguous or nonexistent local time was resolved, if it was
   */
  public record ParsedName(Instant start, Optional<String> note) {}

  /**
   * Parses a {@code /}-separated path relative to the camera directory.
   *
   * @param modified the file's modification time, used to resolve a repeated local hour
   * @return empty when the path does not match the pattern or names an impossible date
   */
  public Optional<ParsedName> parse(String relativePath, Optional<Instant> modified) {
    Matcher m = regex.matcher(relativePath);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      if (used.contains('s')) {
        long secs = Long.parseLong(m.group(groupName('s')));
        return Optional.of(new ParsedName(Instant.ofEpochSecond(secs, nanos(m)), Optional.empty()));
      }
      LocalDateTime local =
          LocalDateTime.of(
              Integer.parseInt(m.group(groupName('Y'))),
              Integer.parseInt(m.group(groupName('m'))),
              Integer.parseInt(m.group(groupName('d'))),
              Integer.parseInt(m.group(groupName('H'))),
              Integer.parseInt(m.group(groupName('M'))),
              used.contains('S') ? Integer.parseInt(m.group(groupName('S'))) : 0,
              nanos(m));
      if (used.contains('z')) {
        return Optional.of(new ParsedName(local.atOffset(offset(m.group(groupName('z')))).toInstant(), Optional.empty()));
      }
      return Optional.of(resolveLocal(local, modified));
    } catch (DateTimeException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private ParsedName resolveLocal(LocalDateTime local, Optional<Instant> modified) {
    List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
    if (offsets.size() == 1) {
      return new ParsedName(local.atOffset(offsets.get(0)).toInstant(), Optional.empty());
    }
    if (offsets.isEmpty()) {
      ZoneOffsetTransition gap = zone.getRules().getTransition(local);
      Instant start = ZonedDateTime.ofLocal(local, zone, null).toInstant();
      return new ParsedName(
          start,
          Optional.of(
              "local time " + local + " does not exist in " + zone + " (DST gap of " + gap.getDuration()
                  + "); taken as " + start));
    }
    // Repeated hour: offsets are [earlier offset (before the change), later offset].
    Instant first = local.atOffset(offsets.get(0)).toInstant();
    Instant second = local.atOffset(offsets.get(1)).toInstant();
    Instant early = first.isBefore(second) ? first : second;
    Instant late = first.isBefore(second) ? second : first;
    Instant chosen = early;
    String why = "no modification time, earlier offset";
    if (modified.isPresent()) {
      Instant limit = modified.get().plus(MTIME_SLACK);
      chosen = !late.isAfter(limit) ? late : early;
      why = "latest candidate not after the file's modification time " + modified.get();
    }
    return new ParsedName(
        chosen,
        Optional.of(
            "local time " + local + " occurs twice in " + zone + " (" + early + " or " + late + "); taken as "
                + chosen + " (" + why + ")"));
  }

  private int nanos(Matcher m) {
    if (!used.contains('f')) {
      return 0;
    }
    String f = m.group(groupName('f'));
    return Integer.parseInt((f + "000000000").substring(0, 9));
  }

  private static ZoneOffset offset(String z) {
    if (z.equals("Z")) {
      return ZoneOffset.UTC;
    }
    String digits = z.replace(":", "");
    return ZoneOffset.ofHoursMinutes(
        Integer.parseInt(digits.substring(0, 3)), Integer.parseInt(digits.charAt(0) + digits.substring(3, 5)));
  }

  @Override
  public String toString() {
    return pattern + " (" + zone + ")";
  }
}
