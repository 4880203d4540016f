package io.heldar.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.model.Camera;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.Segment;
import io.heldar.core.store.HeldarStore;
import io.heldar.core.tier.StorageTiers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Footage on two tiers for tier tests: segments with random bytes recorded into the first tier, and
 * the check that every move converged.
 *
 * @param hot the first tier's root
 * @param cold the second tier's root (named {@code nas})
 * @param tiers the tiers
 * @param content the bytes of every file recorded, by path: what must survive every move
 */
public record TierFixture(Path hot, Path cold, StorageTiers tiers, Map<String, byte[]> content) {
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  /** A fixture remembering what it records in a map of its own. */
  public TierFixture(Path hot, Path cold, StorageTiers tiers) {
    this(hot, cold, tiers, new HashMap<>());
  }

  /** {@code n} 10 s segments with random bytes, from {@code from}, files in the hot tier and rows. */
  public List<Segment> record(HeldarStore store, String cam, Instant from, int n, long seed)
      throws IOException {
    if (store.cameras().find(cam).isEmpty()) {
      store.cameras().add(Camera.of(cam, T0));
    }
    Random random = new Random(seed * 1_000_003L + cam.hashCode() * 31L + from.getEpochSecond());
    List<Segment> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant start = from.plusSeconds(10L * i);
      String path = cam + "/" + start.getEpochSecond() + ".mp4";
      byte[] bytes = new byte[20_000 + random.nextInt(50_000)];
      random.nextBytes(bytes);
      Path file = hot.resolve(path);
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
      Files.setLastModifiedTime(file, FileTime.from(start.plusSeconds(10)));
      content.put(path, bytes);
      MediaInfo m = new MediaInfo(
          Duration.ofSeconds(10),
          "mp4",
          "h264",
          320,
          240,
          OptionalDouble.of(25),
          OptionalLong.of(800_000),
          Optional.empty());
      out.add(new Segment(
          cam,
          path,
          start,
          start.plusSeconds(10),
          m,
          bytes.length,
          start.plusSeconds(10),
          false,
          Optional.empty(),
          T0));
    }
    store.useTransaction(
        () -> store.cameraStats().addIndexed(cam, store.segments().insertAll(out), T0));
    return out;
  }

  /** {@link #record(HeldarStore, String, Instant, int, long)} with seed 0. */
  public List<Segment> record(HeldarStore store, String cam, Instant from, int n)
      throws IOException {
    return record(store, cam, from, n, 0);
  }

  /**
   * Every row's file is where its tier says, with its original bytes; nothing is moving; no
   * temporary copy anywhere; no file on either tier without its row there.
   */
  public void assertConverged(HeldarStore s) throws IOException {
    assertThat(s.segments().moving(100)).isEmpty();
    Map<String, Segment> rows = new HashMap<>();
    for (Camera c : s.cameras().list()) {
      s.segments()
          .oldestFirst(Optional.of(c.id()), 100_000, Optional.empty())
          .forEach(r -> rows.put(r.path(), r));
    }
    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(content.keySet());
    // The per-tier roll-up agrees with the rows.
    for (Camera c : s.cameras().list()) {
      Map<Optional<String>, Long> sums = new HashMap<>();
      rows.values().stream()
          .filter(r -> r.cameraId().equals(c.id()))
          .forEach(r -> sums.merge(r.tier(), r.sizeBytes(), Long::sum));
      assertThat(s.segments().bytesByTier(c.id()))
          .as("bytes per tier of " + c.id())
          .isEqualTo(sums);
    }
    for (Segment r : rows.values()) {
      assertThat(Files.readAllBytes(tiers.resolve(r)))
          .as("%s on %s", r.path(), r.tier())
          .isEqualTo(content.get(r.path()));
    }
    for (Path root : List.of(hot, cold)) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String rel = root.relativize(f).toString().replace('\\', '/');
          if (rel.equals(StorageTiers.MARKER)) {
            continue;
          }
          assertThat(rel).as("a temporary copy left behind").doesNotEndWith(".heldar-move");
          Segment row = rows.get(rel);
          assertThat(row).as("a file without a row: " + rel).isNotNull();
          assertThat(row.tier())
              .as("%s is on %s but its row says %s", rel, root, row.tier())
              .isEqualTo(root.equals(hot) ? Optional.empty() : Optional.of("nas"));
        }
      }
    }
  }
}
