package io.heldar.core.index.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.core.index.FileBucket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listing cache: a directory is listed again only when it changed; files in play are always looked at. */
class ListingCacheTest {
  @TempDir
  Path root;

  final ListingCache cache = new ListingCache();

  /** What one walk reported. */
  static final class Seen implements ListingCache.Sink {
    final List<String> files = new ArrayList<>();
    final Map<FileBucket, Long> settled = new EnumMap<>(FileBucket.class);
    final List<String> others = new ArrayList<>();

    @Override
    public void file(ListingCache.ListedFile f) {
      files.add(f.path());
    }

    @Override
    public void settled(String camera, FileBucket bucket, long count, List<String> examples) {
      settled.merge(bucket, count, Long::sum);
    }

    @Override
    public void other(FileBucket bucket, String path) {
      others.add(bucket + " " + path);
    }
  }

  Seen walk(boolean full) throws IOException {
    Seen s = new Seen();
    cache.walk(root, "cam/", 3, full, s);
    return s;
  }

  void file(String rel) throws IOException {
    Path f = root.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.writeString(f, rel);
  }

  /** Makes every directory look modified an hour ago (no longer "racy"). */
  void ageDirectories() throws IOException {
    FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
    try (Stream<Path> s = Files.walk(root)) {
      for (Path d : s.filter(Files::isDirectory).toList()) {
        Files.setLastModifiedTime(d, old);
      }
    }
  }

  @Test
  void unchangedDirectoriesAreNotListedAgainAndTheirSettledFilesAreCounted() throws IOException {
    file("a/1.mp4");
    file("a/2.mp4");
    file("b/3.mp4");
    ageDirectories();

    Seen first = walk(false);
    assertThat(first.files).containsExactlyInAnyOrder("cam/a/1.mp4", "cam/a/2.mp4", "cam/b/3.mp4");
    assertThat(cache.listings()).isEqualTo(3);
    first.files.forEach(p -> cache.settle(p, null, FileBucket.INDEXED));

    Seen second = walk(false);
    assertThat(second.files).isEmpty();
    assertThat(second.settled).containsEntry(FileBucket.ALREADY_INDEXED, 3L);
    assertThat(cache.listings()).as("nothing listed again").isEqualTo(3);

    // A new file changes its directory only: that one is listed again.
    file("a/4.mp4");
    Seen third = walk(false);
    assertThat(third.files).containsExactly("cam/a/4.mp4");
    assertThat(third.settled).containsEntry(FileBucket.ALREADY_INDEXED, 3L);
    assertThat(cache.listings()).isEqualTo(4);

    // Still being written: in play, looked at every walk without listing its directory.
    ageDirectories();
    walk(false); // lists a again once (its time changed)
    long listed = cache.listings();
    Seen fourth = walk(false);
    assertThat(fourth.files).containsExactly("cam/a/4.mp4");
    assertThat(cache.listings()).isEqualTo(listed);
    cache.settle("cam/a/4.mp4", null, FileBucket.INDEXED);
    assertThat(walk(false).files).isEmpty();

    // A complete walk lists everything and settles nothing from memory.
    Seen full = walk(true);
    assertThat(full.files).hasSize(4);
    assertThat(full.settled).isEmpty();
  }

  @Test
  void aDirectoryModifiedWithinTheSameTickIsListedAgainAndRemovedDirectoriesAreForgotten()
      throws IOException {
    file("a/1.mp4");
    walk(false).files.forEach(p -> cache.settle(p, null, FileBucket.INDEXED));
    // Listed right after it changed: a file added within the same timestamp tick would be missed,
    // so it is listed again.
    long before = cache.listings();
    walk(false);
    assertThat(cache.listings()).isGreaterThan(before);

    file("b/2.mp4");
    ageDirectories();
    walk(false);
    int remembered = cache.size();
    try (Stream<Path> s = Files.walk(root.resolve("b"))) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    Seen after = walk(false);
    assertThat(cache.size()).isLessThan(remembered);
    assertThat(after.files).isEmpty();
    assertThat(after.settled).containsEntry(FileBucket.ALREADY_INDEXED, 1L);
  }

  @Test
  void linksDeepDirectoriesAndHiddenDirectoriesAreReportedNotEntered() throws IOException {
    file("a/b/c/too-deep.mp4");
    file(".trash/x.mp4");
    Files.createSymbolicLink(root.resolve("link.mp4"), root.resolve("a"));
    Seen s = walk(false);
    assertThat(s.others)
        .contains(
            "NOT_A_REGULAR_FILE cam/link.mp4",
            "HIDDEN_OR_TEMPORARY cam/.trash/",
            "TOO_DEEP cam/a/b/c/");
    assertThat(s.files).isEmpty();
  }
}
