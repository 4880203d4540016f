package io.heldar.core.index;

import io.heldar.core.model.Camera;
import io.heldar.core.model.PrintableText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Maps a camera's name as a recorder writes it ({@code cam2/main}, {@code garage.cam},
 * {@code _lobby}, {@code Café}) to a valid camera id, deterministically: a name that is a valid id
 * is its own id; otherwise accents are dropped, each run of other characters becomes {@code -},
 * leading and trailing separators go ({@code cam2-main}, {@code garage-cam}, {@code lobby},
 * {@code Cafe}), and a name too long for an id keeps 55 characters and gains 8 hex digits of its
 * SHA-256.
 *
 * <p>The mapping is readable rather than injective: two names may map to one id ({@code garage.cam}
 * and {@code garage-cam}). The indexer keeps each camera's recorder name in its {@code cameras} row,
 * so an id always leads back to the name it came from, and it refuses a second name for an id with
 * an error naming both (see {@link ScanReport#conflicts()}); register one of them under an id of
 * your choice to resolve it.
 */
public final class CameraNames {
  private CameraNames() {}

  /** The id a recorder's camera name maps to. */
  public static String idFor(String recorderName) {
    Objects.requireNonNull(recorderName, "recorderName");
    if (Camera.isValidId(recorderName)) {
      return recorderName;
    }
    String plain =
        Normalizer.normalize(recorderName, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    StringBuilder id = new StringBuilder();
    boolean separator = false;
    for (int i = 0; i < plain.length(); i++) {
      char c = plain.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (alnum || ((c == '_' || c == '-') && id.length() > 0)) {
        if (separator && id.length() > 0) {
          id.append('-');
        }
        separator = false;
        id.append(c);
      } else {
        separator = true;
      }
    }
    while (id.length() > 0
        && (id.charAt(id.length() - 1) == '-' || id.charAt(id.length() - 1) == '_')) {
      id.setLength(id.length() - 1);
    }
    String hash = sha256Hex(recorderName).substring(0, 8);
    if (id.length() == 0) {
      return "camera-" + hash;
    }
    if (id.length() > 64) {
      id.setLength(55);
      while (id.charAt(id.length() - 1) == '-' || id.charAt(id.length() - 1) == '_') {
        id.setLength(id.length() - 1);
      }
      id.append('-').append(hash);
    }
    return id.toString();
  }

  /**
   * Whether {@code name} may be a camera's name in a recorder's layout: non-empty, relative, no
   * {@code .} or {@code ..} element, no empty element, no backslash, NUL or other control character.
   */
  public static boolean isSafeRecorderName(String name) {
    return whyUnsafe(name).isEmpty();
  }

  /** Why {@code name} cannot be a camera's name in a recorder's layout, or empty when it can. */
  public static java.util.Optional<String> whyUnsafe(String name) {
    if (name == null || name.isEmpty()) {
      return java.util.Optional.of("an empty name");
    }
    if (name.length() > 1024) {
      return java.util.Optional.of("longer than 1,024 characters");
    }
    if (name.startsWith("/") || name.endsWith("/")) {
      return java.util.Optional.of("begins or ends with /");
    }
    for (String element : name.split("/", -1)) {
      if (element.isEmpty() || element.equals(".") || element.equals("..")) {
        return java.util.Optional.of("an empty, . or .. path element");
      }
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '\\') {
        return java.util.Optional.of("a backslash");
      }
      if (c < 0x20 || c == 0x7f) {
        return java.util.Optional.of(
            "a control character (" + PrintableText.of(String.valueOf(c)) + ")");
      }
    }
    return java.util.Optional.empty();
  }

  private static String sha256Hex(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
