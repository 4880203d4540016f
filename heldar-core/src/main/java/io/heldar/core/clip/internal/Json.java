package io.heldar.core.clip.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of manifests, without a dependency: objects keep their key order, numbers are whole
 * (longs), so writing what was read gives the same text: what a signature is made over.
 */
public final class Json {
  private static final int MAX_DEPTH = 32;
  private static final int MAX_LENGTH = 64 << 20;

  private Json() {}

  /** Writes maps, lists, strings, whole numbers, booleans and null, indented by two spaces. */
  public static String write(Object value) {
    StringBuilder b = new StringBuilder();
    write(b, value, 0);
    return b.append('\n').toString();
  }

  private static void write(StringBuilder b, Object v, int indent) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String s) {
      string(b, s);
    } else if (v instanceof Long || v instanceof Integer) {
      b.append(((Number) v).longValue());
    } else if (v instanceof Boolean x) {
      b.append(x);
    } else if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        b.append("{}");
        return;
      }
      b.append("{\n");
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        b.append("  ".repeat(indent + 1));
        string(b, (String) e.getKey());
        b.append(": ");
        write(b, e.getValue(), indent + 1);
        b.append(++i < m.size() ? ",\n" : "\n");
      }
      b.append("  ".repeat(indent)).append('}');
    } else if (v instanceof List<?> l) {
      if (l.isEmpty()) {
        b.append("[]");
        return;
      }
      b.append("[\n");
      for (int i = 0; i < l.size(); i++) {
        b.append("  ".repeat(indent + 1));
        write(b, l.get(i), indent + 1);
        b.append(i + 1 < l.size() ? ",\n" : "\n");
      }
      b.append("  ".repeat(indent)).append(']');
    } else {
      throw new IllegalArgumentException("not a manifest value: " + v.getClass().getName());
    }
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /** Reads JSON into maps (in key order), lists, strings, longs, booleans and null. */
  public static Object read(String text) {
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("JSON longer than " + MAX_LENGTH + " characters");
    }
    Reader r = new Reader(text);
    Object v = r.value(0);
    r.space();
    if (r.at < text.length()) {
      throw r.error("text after the value");
    }
    return v;
  }

  private static final class Reader {
    final String s;
    int at;

    Reader(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("not valid JSON at character " + at + ": " + what);
    }

    void space() {
      while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
        at++;
      }
    }

    char next() {
      space();
      if (at >= s.length()) {
        throw error("the text ends early");
      }
      return s.charAt(at);
    }

    void expect(char c) {
      if (next() != c) {
        throw error("expected '" + c + "'");
      }
      at++;
    }

    Object value(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("nested deeper than " + MAX_DEPTH);
      }
      char c = next();
      switch (c) {
        case '{' -> {
          at++;
          Map<String, Object> m = new LinkedHashMap<>();
          if (next() == '}') {
            at++;
            return m;
          }
          while (true) {
            if (next() != '"') {
              throw error("expected a key");
            }
            String k = string();
            expect(':');
            if (m.put(k, value(depth + 1)) != null) {
              throw error("key '" + k + "' given twice");
            }
            char d = next();
            at++;
            if (d == '}') {
              return m;
            }
            if (d != ',') {
              throw error("expected ',' or '}'");
            }
          }
        }
        case '[' -> {
          at++;
          List<Object> l = new ArrayList<>();
          if (next() == ']') {
            at++;
            return l;
          }
          while (true) {
            l.add(value(depth + 1));
            char d = next();
            at++;
            if (d == ']') {
              return l;
            }
            if (d != ',') {
              throw error("expected ',' or ']'");
            }
          }
        }
        case '"' -> {
          return string();
        }
        default -> {
          return literal();
        }
      }
    }

    String string() {
      at++;
      StringBuilder b = new StringBuilder();
      while (true) {
        if (at >= s.length()) {
          throw error("a string does not end");
        }
        char c = s.charAt(at++);
        if (c == '"') {
          return b.toString();
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        if (at >= s.length()) {
          throw error("an escape does not end");
        }
        char e = s.charAt(at++);
        switch (e) {
          case '"', '\\', '/' -> b.append(e);
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'u' -> {
            if (at + 4 > s.length()) {
              throw error("a \\u escape is cut off");
            }
            try {
              b.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
            } catch (NumberFormatException x) {
              throw error("a bad \\u escape");
            }
            at += 4;
          }
          default -> throw error("unknown escape \\" + e);
        }
      }
    }

    Object literal() {
      int start = at;
      while (at < s.length() && "{}[],:\" \n\r\t".indexOf(s.charAt(at)) < 0) {
        at++;
      }
      String word = s.substring(start, at);
      switch (word) {
        case "null" -> {
          return null;
        }
        case "true" -> {
          return Boolean.TRUE;
        }
        case "false" -> {
          return Boolean.FALSE;
        }
        default -> {
          try {
            return Long.parseLong(word);
          } catch (NumberFormatException e) {
            at = start;
            throw error("'" + (word.length() > 20 ? word.substring(0, 20) : word)
                + "' is not a whole number, string, true, false or null");
          }
        }
      }
    }
  }
}
