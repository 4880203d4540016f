package io.heldar.core.model;

/**
 * Makes names that come from the disk or from users safe to put in a log line, an event message or
 * command output: a file named {@code "a\nERROR io.heldar.FAKE …"} must not forge a log line. Line
 * breaks, tabs and other control and invisible formatting characters become escapes ({@code \n},
 * {@code \t}, {@code \}{@code u202e}); a backslash is doubled so an escape cannot be faked.
 */
public final class PrintableText {
  private PrintableText() {}

  /** {@code text} with every control or line/format character escaped; {@code "null"} for null. */
  public static String of(String text) {
    if (text == null) {
      return "null";
    }
    if (isPlain(text)) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (needsEscape(c)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  private static boolean isPlain(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' || needsEscape(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean needsEscape(char c) {
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      return true;
    }
    int type = Character.getType(c);
    return type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.FORMAT;
  }
}
