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
 * Turns a segment's path under the recordings root into its camera and the instant its footage
 * starts, through a strftime-style pattern over the whole path ({@code %c/%Y/%m/%d/%H-%M-%S.mp4},
 * {@code %Y-%m-%d/%H/%c/%M.%S.mp4}).
 *
 * <p>The camera: {@code %c} is the camera's name as one path element (a directory, or part of a
 * file name: {@code %c.%Y%m%d_%H%M%S}); {@code %p} is a camera name that may span directories
 * ({@code cam2/main}, as MediaMTX path names do). A pattern without either is relative to the
 * camera's directory: {@code %c/} is put in front of it. Camera names that are not valid camera ids
 * are mapped to ids by {@link CameraNames}.
 *
 * <p>Conversions: {@code %Y} (4 digits), {@code %y} (2 digits, 2000–2099), {@code %m %d %H %M %S}
 * (2 digits), {@code %f} (fraction of a second, 1 to 9 digits), {@code %z} ({@code Z}, {@code +hhmm}
 * or {@code +hh:mm}), {@code %s} (Unix seconds), {@code %%}. {@code *} matches any run of characters
 * within one path element (an event id, a suffix to ignore). Everything else is literal. A conversion
 * used twice must match the same value. A pattern whose last element has no extension accepts the
 * video extensions {@code .mp4 .m4v .mov .mkv .ts .webm}.
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
  /**
   * MediaMTX's default record path ({@code ./recordings/%path/%Y-%m-%d_%H-%M-%S-%f}) under its
   * recordings directory: the path name may contain {@code /}.
   */
  public static final String MEDIAMTX_PATTERN = "%p/%Y-%m-%d_%H-%M-%S-%f";
  /** Frigate's recordings ({@code /media/frigate/recordings}): UTC hour directories, camera inside. */
  public static final String FRIGATE_PATTERN = "%Y-%m-%d/%H/%c/%M.%S.mp4";
  /** Shinobi's videos directory: {@code <group key>/<monitor id>/<local time>.mp4}. */
  public static final String SHINOBI_PATTERN = "%p/%Y-%m-%dT%H-%M-%S";
  /** ZoneMinder's "deep" event storage: {@code <monitor>/<yy>/<mm>/<dd>/<HH>/<MM>/<SS>/<event>-video.mp4}. */
  public static final String ZONEMINDER_DEEP_PATTERN = "%c/%y/%m/%d/%H/%M/%S/*-video.mp4";
  /** Blue Iris direct-to-disc MP4 clips with its default name {@code &CAM.%Y%m%d_%H%M%S}. */
  public static final String BLUE_IRIS_PATTERN = "%c.%Y%m%d_%H%M%S.mp4";
  /** Most path elements a {@code %p} pattern is followed down. */
  public static final int MAX_DEPTH = 32;

  private static final String VIDEO_EXTENSIONS = "\\.(?:mp4|m4v|mov|mkv|ts|webm)";
  private static final Duration MTIME_SLACK = Duration.ofMinutes(5);
  private static final String CAMERA_GROUP = "camera";

  private final String pattern;
  private final String fullPattern;
  private final ZoneId zone;
  private final Pattern regex;
  private final Set<Character> used;
  private final int depth;
  private final int rootDepth;
  private final boolean cameraDirectories;

  private SegmentNaming(String pattern, ZoneId zone) {
    this.pattern = Objects.requireNonNull(pattern, "pattern");
    this.zone = Objects.requireNonNull(zone, "zone");
    if (pattern.isEmpty()
        || pattern.startsWith("/")
        || pattern.contains("\\")
        || pattern.contains("..")
        || pattern.contains("//")
        || pattern.endsWith("/")
        || pattern.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "naming pattern must be a relative path pattern: " + pattern);
    }
    boolean explicitCamera = pattern.contains("%c") || pattern.contains("%p");
    this.fullPattern = explicitCamera ? pattern : "%c/" + pattern;
    StringBuilder re = new StringBuilder("^");
    Set<Character> seen = new HashSet<>();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < fullPattern.length(); i++) {
      char c = fullPattern.charAt(i);
      if (c != '%' && c != '*') {
        literal.append(c);
        continue;
      }
      if (literal.length() > 0) {
        re.append(Pattern.quote(literal.toString()));
        literal.setLength(0);
      }
      if (c == '*') {
        re.append("[^/]*");
        continue;
      }
      if (i + 1 >= fullPattern.length()) {
        throw new IllegalArgumentException("naming pattern ends with a lone %: " + pattern);
      }
      char k = fullPattern.charAt(++i);
      if (k == '%') {
        literal.append('%');
        continue;
      }
      if (k == 'c' || k == 'p') {
        if ((k == 'c' && seen.contains('p')) || (k == 'p' && seen.contains('c'))) {
          throw new IllegalArgumentException("naming pattern uses both %c and %p: " + pattern);
        }
        if (k == 'p' && seen.contains('p')) {
          throw new IllegalArgumentException("naming pattern uses %p twice: " + pattern);
        }
        re.append(
            seen.add(k)
                ? "(?<" + CAMERA_GROUP + ">" + (k == 'c' ? "[^/]+" : "[^/]+(?:/[^/]+)*") + ")"
                : "\\k<" + CAMERA_GROUP + ">");
        continue;
      }
      String group = groupRegex(k, pattern);
      re.append(
          seen.add(k) ? "(?<" + groupName(k) + ">" + group + ")" : "\\k<" + groupName(k) + ">");
    }
    String last = fullPattern.substring(fullPattern.lastIndexOf('/') + 1);
    if (literal.length() > 0) {
      re.append(Pattern.quote(literal.toString()));
    }
    if (!last.contains(".")) {
      re.append(VIDEO_EXTENSIONS);
    }
    re.append('$');
    boolean year = seen.contains('Y') || seen.contains('y');
    if (seen.contains('Y') && seen.contains('y')) {
      throw new IllegalArgumentException("naming pattern uses both %Y and %y: " + pattern);
    }
    boolean complete =
        seen.contains('s') || (year && seen.containsAll(List.of('m', 'd', 'H', 'M')));
    if (!complete) {
      throw new IllegalArgumentException(
          "naming pattern needs %s, or at least %Y (or %y) %m %d %H %M: " + pattern);
    }
    this.regex = Pattern.compile(re.toString());
    this.used = Set.copyOf(seen);
    this.depth = (int) pattern.chars().filter(ch -> ch == '/').count() + 1;
    int elements = (int) fullPattern.chars().filter(ch -> ch == '/').count() + 1;
    this.rootDepth = seen.contains('p') ? Math.max(elements, MAX_DEPTH) : elements;
    this.cameraDirectories = fullPattern.startsWith("%c/") && fullPattern.indexOf("%c", 1) < 0;
  }

  private static String groupRegex(char k, String pattern) {
    switch (k) {
      case 'Y':
        return "\\d{4}";
      case 'y':
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
        throw new IllegalArgumentException(
            "unsupported conversion %" + k + " in naming pattern " + pattern);
    }
  }

  private static String groupName(char k) {
    return Character.isUpperCase(k) ? "u" + k : "l" + k;
  }

  /** Heldar's default: {@value #HELDAR_PATTERN} in UTC, in each camera's directory. */
  public static SegmentNaming heldar() {
    return new SegmentNaming(HELDAR_PATTERN, ZoneOffset.UTC);
  }

  /** MediaMTX: {@value #MEDIAMTX_PATTERN}, local times in {@code zone}. */
  public static SegmentNaming mediamtx(ZoneId zone) {
    return new SegmentNaming(MEDIAMTX_PATTERN, zone);
  }

  /** Frigate: {@value #FRIGATE_PATTERN}, in UTC (Frigate names its recordings in UTC). */
  public static SegmentNaming frigate() {
    return new SegmentNaming(FRIGATE_PATTERN, ZoneOffset.UTC);
  }

  /** Shinobi: {@value #SHINOBI_PATTERN} (camera {@code <group>/<monitor>}), local times in {@code zone}. */
  public static SegmentNaming shinobi(ZoneId zone) {
    return new SegmentNaming(SHINOBI_PATTERN, zone);
  }

  /** ZoneMinder's deep storage: {@value #ZONEMINDER_DEEP_PATTERN}, local times in {@code zone}. */
  public static SegmentNaming zoneminder(ZoneId zone) {
    return new SegmentNaming(ZONEMINDER_DEEP_PATTERN, zone);
  }

  /** Blue Iris MP4 clips: {@value #BLUE_IRIS_PATTERN}, local times in {@code zone}. */
  public static SegmentNaming blueIris(ZoneId zone) {
    return new SegmentNaming(BLUE_IRIS_PATTERN, zone);
  }

  /** A custom pattern; local times in {@code zone}. */
  public static SegmentNaming pattern(String pattern, ZoneId zone) {
    return new SegmentNaming(pattern, zone);
  }

  /** The preset names {@link #byName} knows. */
  public static final List<String> PRESETS =
      List.of("heldar", "mediamtx", "frigate", "shinobi", "zoneminder", "blueiris");

  /**
   * A preset by name ({@link #PRESETS}) or else a custom pattern.
   *
   * @param zone for names without an offset (ignored by {@code heldar} and {@code frigate}, which are UTC)
   */
  public static SegmentNaming byName(String nameOrPattern, ZoneId zone) {
    switch (nameOrPattern.toLowerCase(Locale.ROOT)) {
      case "heldar":
        return heldar();
      case "mediamtx":
        return mediamtx(zone);
      case "frigate":
        return frigate();
      case "shinobi":
        return shinobi(zone);
      case "zoneminder":
        return zoneminder(zone);
      case "blueiris":
        return blueIris(zone);
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

  /** The pattern over the whole path under the root: {@link #pattern()} with {@code %c/} in front if it had no camera. */
  public String fullPattern() {
    return fullPattern;
  }

  /** How many path elements (directories + file) the pattern as written spans. */
  public int depth() {
    return depth;
  }

  /** How many path elements below the recordings root a name may span (at most {@link #MAX_DEPTH} for {@code %p}). */
  public int rootDepth() {
    return rootDepth;
  }

  /**
   * Whether each camera has its own directory directly under the root ({@code %c/...} with no other
   * {@code %c}), so a camera's files can be listed from its directory alone.
   */
  public boolean cameraDirectories() {
    return cameraDirectories;
  }

  /**
   * A path's camera and start.
   *
   * @param camera the camera's name as the path has it (for {@code %p}, with its {@code /})
   * @param start the start instant
   * @param note how an ambiguous or nonexistent local time was resolved, if it was
   */
  public record Match(String camera, Instant start, Optional<String> note) {}

  /**
   * Matches a {@code /}-separated path relative to the recordings root.
   *
   * @param modified the file's modification time, used to resolve a repeated local hour
   * @return empty when the path does not match the pattern or names an impossible date
   */
  public Optional<Match> match(String rootRelativePath, Optional<Instant> modified) {
    Matcher m = regex.matcher(rootRelativePath);
    if (!m.matches()) {
      return Optional.empty();
    }
    String camera = m.group(CAMERA_GROUP);
    return start(m, modified).map(p -> new Match(camera, p.start(), p.note()));
  }

  /**
   * The path, relative to the recordings root, this layout gives footage of {@code camera} starting
   * at {@code start}: what a file Heldar writes into a recorder's layout (footage healed from a
   * camera's own storage) is named, so the indexer finds it like the recorder's own. {@code *}
   * becomes {@code heldar}; a last element without an extension gets {@code .mp4}. The instant is
   * named at the layout's precision: a fraction of a second is dropped without {@code %f}.
   *
   * @param camera the camera's name as the layout has it (the recorder's name, or the id)
   * @param modified the modification time the file will have (for a repeated local hour)
   * @return empty when the layout cannot name that instant exactly (it has no seconds, a repeated
   *     local hour resolves elsewhere) or the camera name does not fit it (a {@code /} under
   *     {@code %c})
   */
  public Optional<String> format(String camera, Instant start, Instant modified) {
    Objects.requireNonNull(camera, "camera");
    java.time.ZonedDateTime t = start.atZone(zone);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < fullPattern.length(); i++) {
      char c = fullPattern.charAt(i);
      if (c == '*') {
        out.append("heldar");
        continue;
      }
      if (c != '%') {
        out.append(c);
        continue;
      }
      char k = fullPattern.charAt(++i);
      switch (k) {
        case '%' -> out.append('%');
        case 'c', 'p' -> out.append(camera);
        case 'Y' -> out.append(String.format(java.util.Locale.ROOT, "%04d", t.getYear()));
        case 'y' -> out.append(String.format(java.util.Locale.ROOT, "%02d", t.getYear() % 100));
        case 'm' -> out.append(String.format(java.util.Locale.ROOT, "%02d", t.getMonthValue()));
        case 'd' -> out.append(String.format(java.util.Locale.ROOT, "%02d", t.getDayOfMonth()));
        case 'H' -> out.append(String.format(java.util.Locale.ROOT, "%02d", t.getHour()));
        case 'M' -> out.append(String.format(java.util.Locale.ROOT, "%02d", t.getMinute()));
        case 'S' -> out.append(String.format(java.util.Locale.ROOT, "%02d", t.getSecond()));
        case 'f' -> out.append(String.format(java.util.Locale.ROOT, "%06d", t.getNano() / 1000));
        case 'z' -> out.append(
            t.getOffset().getTotalSeconds() == 0 ? "Z" : t.getOffset().getId().replace(":", ""));
        case 's' -> out.append(start.getEpochSecond());
        default -> throw new IllegalStateException("unchecked conversion %" + k);
      }
    }
    String last = fullPattern.substring(fullPattern.lastIndexOf('/') + 1);
    if (!last.contains(".")) {
      out.append(".mp4");
    }
    String path = out.toString();
    // This instant (at the layout's precision) and camera back, or no name: a name that parses
    // elsewhere would put the footage at the wrong time.
    java.time.temporal.ChronoUnit precision = used.contains('f')
        ? java.time.temporal.ChronoUnit.MICROS
        : used.contains('S') || used.contains('s')
            ? java.time.temporal.ChronoUnit.SECONDS
            : java.time.temporal.ChronoUnit.MINUTES;
    Instant wanted = start.truncatedTo(precision);
    if (precision == java.time.temporal.ChronoUnit.MINUTES && !wanted.equals(start)) {
      return Optional.empty();
    }
    return match(path, Optional.of(modified))
        .filter(m -> m.camera().equals(camera) && m.start().equals(wanted))
        .map(m -> path);
  }

  /**
   * A name's start instant and, for DST-ambiguous or nonexistent local times, how it was resolved.
   *
   * @param start the start instant
   * @param note how an ambiguous or nonexistent local time was resolved, if it was
   */
  public record ParsedName(Instant start, Optional<String> note) {}

  /**
   * Parses a {@code /}-separated path relative to the camera directory, for patterns without a
   * camera placeholder (use {@link #match} for the others).
   *
   * @param modified the file's modification time, used to resolve a repeated local hour
   * @return empty when the path does not match the pattern or names an impossible date
   */
  public Optional<ParsedName> parse(String relativePath, Optional<Instant> modified) {
    if (!fullPattern.equals("%c/" + pattern)) {
      throw new IllegalStateException(
          "pattern " + pattern + " names its camera: use match(path under the root)");
    }
    Matcher m = regex.matcher("camera/" + relativePath);
    return m.matches() ? start(m, modified) : Optional.empty();
  }

  private Optional<ParsedName> start(Matcher m, Optional<Instant> modified) {
    try {
      if (used.contains('s')) {
        long secs = Long.parseLong(m.group(groupName('s')));
        return Optional.of(new ParsedName(Instant.ofEpochSecond(secs, nanos(m)), Optional.empty()));
      }
      int year = used.contains('Y')
          ? Integer.parseInt(m.group(groupName('Y')))
          : 2000 + Integer.parseInt(m.group(groupName('y')));
      LocalDateTime local = LocalDateTime.of(
          year,
          Integer.parseInt(m.group(groupName('m'))),
          Integer.parseInt(m.group(groupName('d'))),
          Integer.parseInt(m.group(groupName('H'))),
          Integer.parseInt(m.group(groupName('M'))),
          used.contains('S') ? Integer.parseInt(m.group(groupName('S'))) : 0,
          nanos(m));
      if (used.contains('z')) {
        return Optional.of(new ParsedName(
            local.atOffset(offset(m.group(groupName('z')))).toInstant(), Optional.empty()));
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
          Optional.of("local time " + local + " does not exist in " + zone + " (DST gap of "
              + gap.getDuration() + "); taken as " + start));
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
        Optional.of("local time " + local + " occurs twice in " + zone + " (" + early + " or "
            + late + "); taken as " + chosen + " (" + why + ")"));
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
        Integer.parseInt(digits.substring(0, 3)),
        Integer.parseInt(digits.charAt(0) + digits.substring(3, 5)));
  }

  @Override
  public String toString() {
    return pattern + " (" + zone + ")";
  }
}
