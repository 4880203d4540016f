package io.heldar.core.event;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one codec of event payloads ({@code events.payload}, and what {@link
 * io.heldar.core.event.HeldarEvent#payload()} holds): flat JSON objects whose values are strings,
 * numbers or booleans, written in insertion order. Reading is tolerant, because rows may be
 * written by other tools: nested values come back as their JSON text, {@code null} values are left
 * out, integers are {@code Long}s and other numbers {@code Double}s, and a payload that is not a
 * JSON object at all comes back as one entry, {@value #UNPARSED} → its text. Reading never throws.
 */
public final class EventPayloads {
  /** The key under which an unreadable payload's text is kept. */
  public static final String UNPARSED = "unparsed_payload";

  private EventPayloads() {}

  /** The JSON text of {@code payload} (string keys; string, number or boolean values). */
  public static String write(Map<String, Object> payload) {
    return writeObject(payload);
  }

  /** The payload of {@code json}; never throws (see the class comment). */
  public static Map<String, Object> read(String json) {
    if (json == null) {
      return new LinkedHashMap<>();
    }
    try {
      return readObject(json);
    } catch (RuntimeException e) {
      Map<String, Object> raw = new LinkedHashMap<>();
      raw.put(UNPARSED, json);
      return raw;
    }
  }

  private static String writeObject(Map<String, Object> map) {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, Object> e : map.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      string(sb, e.getKey());
      sb.append(':');
      Object v = e.getValue();
      if (v instanceof String s) {
        string(sb, s);
      } else {
        sb.append(v);
      }
    }
    return sb.append('}').toString();
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static Map<String, Object> readObject(String json) {
    Parser p = new Parser(json);
    Map<String, Object> map = p.object();
    p.skipWs();
    if (p.pos != json.length()) {
      throw new IllegalArgumentException("trailing characters in JSON payload");
    }
    return map;
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    void skipWs() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    char peek() {
      skipWs();
      if (pos >= s.length()) {
        throw new IllegalArgumentException("unexpected end of JSON payload");
      }
      return s.charAt(pos);
    }

    void expect(char c) {
      if (peek() != c) {
        throw new IllegalArgumentException("expected '" + c + "' at " + pos + " in JSON payload");
      }
      pos++;
    }

    Map<String, Object> object() {
      Map<String, Object> map = new LinkedHashMap<>();
      expect('{');
      if (peek() == '}') {
        pos++;
        return map;
      }
      while (true) {
        String key = string();
        expect(':');
        Object value = value();
        if (value != null) {
          map.put(key, value);
        }
        if (peek() == ',') {
          pos++;
        } else {
          expect('}');
          return map;
        }
      }
    }

    Object value() {
      char c = peek();
      if (c == '"') {
        return string();
      }
      if (c == '{' || c == '[') {
        int start = pos;
        skipNested();
        return s.substring(start, pos);
      }
      int start = pos;
      while (pos < s.length() && ",}] \t\r\n".indexOf(s.charAt(pos)) < 0) {
        pos++;
      }
      String token = s.substring(start, pos);
      switch (token) {
        case "true":
          return Boolean.TRUE;
        case "false":
          return Boolean.FALSE;
        case "null":
          return null;
        default:
          BigDecimal d = new BigDecimal(token);
          if (d.scale() <= 0) {
            try {
              return d.longValueExact();
            } catch (ArithmeticException e) {
              return d.doubleValue();
            }
          }
          return d.doubleValue();
      }
    }

    void skipNested() {
      int depth = 0;
      do {
        char c = s.charAt(pos);
        if (c == '"') {
          string();
          continue;
        }
        if (c == '{' || c == '[') {
          depth++;
        } else if (c == '}' || c == ']') {
          depth--;
        }
        pos++;
      } while (depth > 0 && pos < s.length());
    }

    String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos >= s.length()) {
          throw new IllegalArgumentException("unterminated string in JSON payload");
        }
        char c = s.charAt(pos++);
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = s.charAt(pos++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            pos += 4;
          }
          default -> sb.append(e);
        }
      }
    }
  }
}
