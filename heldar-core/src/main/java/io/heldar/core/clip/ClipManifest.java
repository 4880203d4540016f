package io.heldar.core.clip;

import io.heldar.core.clip.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The evidence file of a clip: JSON naming the camera, the requested range, each part with its
 * size and SHA-256, each gap with its cause, and each source segment with its path, size and
 * SHA-256; optionally signed with Ed25519 (the JDK's, no other dependency). {@link #verify}
 * recomputes the hashes and checks the signature, and says exactly what differs.
 *
 * <p>The signature is over the manifest's text without its {@code signature} member, as {@link
 * #json} writes it (keys in a fixed order, whole numbers only), so it can be checked by reading and
 * writing the JSON again. Times are ISO-8601 instants; lengths are whole milliseconds.
 */
public final class ClipManifest {
  /** The {@code format} member of every manifest this version writes. */
  public static final String FORMAT = "heldar-clip-manifest/1";
  /** The signature algorithm. */
  public static final String ALGORITHM = "Ed25519";

  private final Map<String, Object> body;

  private ClipManifest(Map<String, Object> body) {
    this.body = body;
  }

  /** The manifest of a clip. */
  public static ClipManifest of(ClipReport report) {
    Map<String, Object> m = new LinkedHashMap<>();
    ClipRequest r = report.request();
    m.put("format", FORMAT);
    m.put("camera", r.cameraId());
    m.put(
        "requested",
        ordered(
            "from", r.from().toString(),
            "to", r.to().toString(),
            "gaps", r.gaps().name().toLowerCase(Locale.ROOT),
            "container", r.format() == ClipFormat.MP4 ? "mp4" : "fmp4"));
    m.put("created_at", report.createdAt().toString());
    List<Object> parts = new ArrayList<>();
    for (ClipPart p : report.parts()) {
      parts.add(ordered(
          "number", (long) p.number(),
          "file", p.file().orElse(null),
          "start", p.start().toString(),
          "end", p.end().toString(),
          "duration_ms", p.duration().toMillis(),
          "frames", p.frames(),
          "video_codec", p.videoCodec(),
          "width", (long) p.width(),
          "height", (long) p.height(),
          "audio_codec", p.audioCodec().orElse(null),
          "bytes", p.bytes().orElse(null),
          "sha256", p.sha256().orElse(null)));
    }
    m.put("parts", parts);
    List<Object> gaps = new ArrayList<>();
    for (ClipGap g : report.gaps()) {
      gaps.add(ordered(
          "start", g.start().toString(),
          "end", g.end().toString(),
          "cause", g.cause().jsonName(),
          "detail", g.detail()));
    }
    m.put("gaps", gaps);
    List<Object> sources = new ArrayList<>();
    for (ClipSource s : report.sources()) {
      sources.add(ordered(
          "path", s.path(),
          "bytes", s.sizeBytes(),
          "sha256", s.sha256().orElse(null),
          "part", (long) s.part(),
          "start", s.start().toString(),
          "end", s.end().toString(),
          "clip_offset_ms", s.clipOffset().toMillis(),
          "frames", s.frames()));
    }
    m.put("sources", sources);
    List<Object> leftOut = new ArrayList<>();
    for (ClipReport.LeftOut l : report.leftOut()) {
      leftOut.add(ordered("path", l.path(), "reason", l.reason()));
    }
    m.put("left_out", leftOut);
    return new ClipManifest(m);
  }

  /**
   * Reads a manifest (signed or not).
   *
   * @throws IllegalArgumentException not JSON, or not a manifest of this format
   */
  public static ClipManifest parse(String json) {
    Object v = Json.read(json);
    if (!(v instanceof Map<?, ?> m) || !FORMAT.equals(m.get("format"))) {
      throw new IllegalArgumentException("not a Heldar clip manifest (format " + FORMAT + ")");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> body = (Map<String, Object>) m;
    return new ClipManifest(body);
  }

  /** The manifest's JSON text. */
  public String json() {
    return Json.write(body);
  }

  /** This manifest signed with {@code key} (its public half is written into the signature). */
  public ClipManifest signed(KeyPair key) {
    Map<String, Object> unsigned = new LinkedHashMap<>(body);
    unsigned.remove("signature");
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key.getPrivate());
      s.update(Json.write(unsigned).getBytes(StandardCharsets.UTF_8));
      Map<String, Object> signed = new LinkedHashMap<>(unsigned);
      signed.put(
          "signature",
          ordered(
              "algorithm", ALGORITHM,
              "public_key", Base64.getEncoder().encodeToString(key.getPublic().getEncoded()),
              "value", Base64.getEncoder().encodeToString(s.sign())));
      return new ClipManifest(signed);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign with this key (Ed25519 wanted): " + e, e);
    }
  }

  /** The camera. */
  public String camera() {
    return (String) body.get("camera");
  }

  /** Each part's file name (empty where the part was streamed), in order. */
  public List<Optional<String>> partFiles() {
    List<Optional<String>> files = new ArrayList<>();
    for (Map<String, Object> p : list("parts")) {
      files.add(Optional.ofNullable((String) p.get("file")));
    }
    return files;
  }

  /** The gaps, as written. */
  public List<ClipGap> gaps() {
    List<ClipGap> gaps = new ArrayList<>();
    for (Map<String, Object> g : list("gaps")) {
      gaps.add(new ClipGap(
          Instant.parse((String) g.get("start")),
          Instant.parse((String) g.get("end")),
          ClipGap.Cause.ofJsonName((String) g.get("cause")),
          (String) g.get("detail")));
    }
    return gaps;
  }

  /** The clip offset of each source, in order: where its first frame plays in its part. */
  public List<Duration> sourceOffsets() {
    return list("sources").stream()
        .map(s -> Duration.ofMillis((Long) s.get("clip_offset_ms")))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> list(String key) {
    Object v = body.get(key);
    if (!(v instanceof List<?> l)) {
      throw new IllegalArgumentException("manifest has no list '" + key + "'");
    }
    for (Object o : l) {
      if (!(o instanceof Map)) {
        throw new IllegalArgumentException("manifest '" + key + "' holds a non-object");
      }
    }
    return (List<Map<String, Object>>) v;
  }

  /**
   * What {@link #verify} found: nothing differs and the signature (if any) holds, or a line per
   * difference.
   *
   * @param differences what differs, one sentence each; empty when the clip matches
   * @param signed whether the manifest carries a signature that holds
   * @param signer the signature's public key (base64 X.509), when signed
   */
  public record Verification(List<String> differences, boolean signed, Optional<String> signer) {
    /** Copies the list. */
    public Verification {
      differences = List.copyOf(differences);
      Objects.requireNonNull(signer, "signer");
    }

    /** True when nothing differs. */
    public boolean ok() {
      return differences.isEmpty();
    }
  }

  /**
   * Checks the clip's parts against this manifest: each part file in {@code clipDir} (by the name
   * the manifest gives; the file at {@code firstPart} for part 1) has the size and SHA-256 written,
   * the signature holds, and it was made by {@code trusted} when given. With {@code
   * recordingsRoot}, each source segment still there is hashed too (a source gone since is said,
   * not counted as a difference: retention may have taken it).
   */
  public Verification verify(
      Path firstPart, Optional<PublicKey> trusted, Optional<Path> recordingsRoot) {
    return verify(firstPart, trusted, recordingsRoot.map(List::of).orElse(List.of()));
  }

  /**
   * As {@link #verify(Path, Optional, Optional)}, looking for each source segment under each of
   * {@code roots} in turn (the recordings root, then each further storage tier's root): a segment
   * moved to another tier since the clip was made is found and hashed there.
   */
  public Verification verify(Path firstPart, Optional<PublicKey> trusted, List<Path> roots) {
    List<String> diffs = new ArrayList<>();
    List<Map<String, Object>> parts = list("parts");
    for (int i = 0; i < parts.size(); i++) {
      Map<String, Object> p = parts.get(i);
      Path file = i == 0 ? firstPart : Clips.partFile(firstPart, i + 1);
      check(diffs, "part " + (i + 1), file, p.get("bytes"), p.get("sha256"));
    }
    for (Map<String, Object> s :
        roots.isEmpty() ? List.<Map<String, Object>>of() : list("sources")) {
      String path = (String) s.get("path");
      for (Path root : roots) {
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root.normalize())) {
          diffs.add("source " + path + " leaves the "
              + (root.equals(roots.get(0)) ? "recordings root" : "storage tier root " + root));
          break;
        } else if (Files.exists(file)) {
          check(diffs, "source " + path, file, s.get("bytes"), s.get("sha256"));
          break;
        }
      }
    }
    Object sig = body.get("signature");
    if (sig == null) {
      if (trusted.isPresent()) {
        diffs.add("the manifest is not signed, but a signer's key was given");
      }
      return new Verification(diffs, false, Optional.empty());
    }
    if (!(sig instanceof Map<?, ?> sm)) {
      diffs.add("the signature member is not an object");
      return new Verification(diffs, false, Optional.empty());
    }
    String publicKey = String.valueOf(sm.get("public_key"));
    boolean holds = false;
    try {
      PublicKey key = KeyFactory.getInstance(ALGORITHM)
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
      Map<String, Object> unsigned = new LinkedHashMap<>(body);
      unsigned.remove("signature");
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(Json.write(unsigned).getBytes(StandardCharsets.UTF_8));
      holds = ALGORITHM.equals(sm.get("algorithm"))
          && s.verify(Base64.getDecoder().decode(String.valueOf(sm.get("value"))));
      if (!holds) {
        diffs.add("the signature does not match the manifest: it was changed after signing");
      }
      if (trusted.isPresent() && !trusted.get().equals(key)) {
        diffs.add("the manifest was signed by another key than the one given");
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      diffs.add("the signature cannot be read: " + e.getMessage());
    }
    return new Verification(diffs, holds, Optional.of(publicKey));
  }

  private static void check(List<String> diffs, String what, Path file, Object bytes, Object sha) {
    if (!Files.isRegularFile(file)) {
      diffs.add(what + ": " + file + " is missing");
      return;
    }
    try {
      long size = Files.size(file);
      if (bytes != null && !bytes.equals(size)) {
        diffs.add(what + ": " + file + " has " + size + " bytes, the manifest says " + bytes);
      }
      String actual = sha256(file);
      if (sha != null && !sha.equals(actual)) {
        diffs.add(what + ": " + file + " has SHA-256 " + actual + ", the manifest says " + sha);
      }
    } catch (IOException e) {
      diffs.add(what + ": " + file + " cannot be read: " + e.getMessage());
    }
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** A new Ed25519 key pair for signing manifests. */
  public static KeyPair generateKey() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519", e);
    }
  }

  /**
   * A key pair as PEM text: the private key (PKCS#8, {@code PRIVATE KEY}) and the public key
   * (X.509, {@code PUBLIC KEY}), as {@code openssl genpkey -algorithm ed25519} and {@code openssl
   * pkey -pubout} write them.
   */
  public static String toPem(KeyPair key) {
    return pem("PRIVATE KEY", key.getPrivate().getEncoded())
        + pem("PUBLIC KEY", key.getPublic().getEncoded());
  }

  /** Reads a key pair from PEM text holding both blocks ({@link #toPem}). */
  public static KeyPair keyPairFromPem(String pem) {
    try {
      KeyFactory f = KeyFactory.getInstance(ALGORITHM);
      PrivateKey priv = f.generatePrivate(new PKCS8EncodedKeySpec(block(pem, "PRIVATE KEY")));
      return new KeyPair(publicKeyFromPem(pem), priv);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage(), e);
    }
  }

  /** Reads a public key from PEM text ({@code PUBLIC KEY}). */
  public static PublicKey publicKeyFromPem(String pem) {
    try {
      return KeyFactory.getInstance(ALGORITHM)
          .generatePublic(new X509EncodedKeySpec(block(pem, "PUBLIC KEY")));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  private static byte[] block(String pem, String label) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int a = pem.indexOf(begin);
    int b = pem.indexOf(end, Math.max(a, 0));
    if (a < 0 || b < 0) {
      throw new IllegalArgumentException("no " + label + " block in the PEM text");
    }
    return Base64.getMimeDecoder().decode(pem.substring(a + begin.length(), b));
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END "
        + label + "-----\n";
  }

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
