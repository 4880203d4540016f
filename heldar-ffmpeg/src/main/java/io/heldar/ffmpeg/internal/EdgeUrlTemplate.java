package io.heldar.ffmpeg.internal;

import io.heldar.core.snapshot.SnapshotSources;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The URL templates of the edge adapters: {@code {camera}} (URL-encoded, {@code /} kept), {@code
 * {id}}, {@code {start}}/{@code {end}} (ISO-8601 UTC), {@code {start:PATTERN}}/{@code
 * {end:PATTERN}} (a {@link DateTimeFormatter} pattern in UTC), {@code {seconds}}.
 */
public final class EdgeUrlTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)(?::([^}]+))?}");
  private static final Set<String> NAMES = Set.of("camera", "id", "start", "end", "seconds");

  private EdgeUrlTemplate() {}

  /**
   * Checks a template: known placeholders, date patterns that parse, a URL with a scheme.
   *
   * @throws IllegalArgumentException naming what is wrong (the template's credentials hidden)
   */
  public static void check(String template) {
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!NAMES.contains(m.group(1))) {
        throw new IllegalArgumentException("edge URL template " + SnapshotSources.redact(template)
            + ": unknown placeholder {" + m.group(1) + "}");
      }
    }
    // Expanding once fails now on a bad date pattern or a URL that cannot be one.
    // The scheme is read off the template itself: an expanded time ("10:00") can look like one.
    if (!template.matches("(?s)^[A-Za-z][A-Za-z0-9+.-]*:.*")
        || URI.create(expand(template, "cam", "cam", Instant.EPOCH, Instant.EPOCH.plusSeconds(1)))
                .getScheme()
            == null) {
      throw new IllegalArgumentException("edge URL template " + SnapshotSources.redact(template)
          + " has no scheme (http://, rtsp://, file:)");
    }
  }

  /**
   * Where a template fetches from, for the heal history and logs: its scheme, host and port
   * ({@code http://10.0.0.2:9996}), never its user info, path or query; {@code file} templates
   * give {@code file}.
   */
  public static String origin(String template) {
    int scheme = template.indexOf("://");
    if (scheme < 0) {
      int colon = template.indexOf(':');
      return colon > 0 ? template.substring(0, colon) : "edge";
    }
    int end = scheme + 3;
    while (end < template.length() && "/?#".indexOf(template.charAt(end)) < 0) {
      end++;
    }
    String authority = template.substring(scheme + 3, end);
    int at = authority.lastIndexOf('@');
    return template.substring(0, scheme + 3) + authority.substring(at + 1);
  }

  /** The template with its placeholders filled for camera {@code name}/{@code id} and the range. */
  public static String expand(String template, String name, String id, Instant from, Instant to) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value =
          switch (m.group(1)) {
            case "camera" -> URLEncoder.encode(name, StandardCharsets.UTF_8).replace("%2F", "/");
            case "id" -> id;
            case "seconds" -> java.math.BigDecimal.valueOf(
                    Duration.between(from, to).toMillis(), 3)
                .stripTrailingZeros()
                .toPlainString();
            default -> {
              Instant t = m.group(1).equals("start") ? from : to;
              yield m.group(2) == null
                  ? t.toString()
                  : DateTimeFormatter.ofPattern(m.group(2))
                      .withZone(ZoneOffset.UTC)
                      .format(t);
            }
          };
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
