package io.heldar.core.index.internal;

import io.heldar.core.index.FileBucket;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What the last listing of each directory under a walk root found, kept while the directory does
 * not change, so a scan costs one {@code stat} per directory plus the files still in play, not one
 * per file.
 *
 * <p>A directory's modification time changes whenever an entry is added, removed or renamed in it.
 * While it stays the same, the directory is not listed again: its files already settled (indexed,
 * unreadable, hidden, not matching) are counted from memory, and only the files still in play
 * (still being written, incomplete, not yet decided) are looked at again. A directory whose
 * modification time is within {@link #RACY_MILLIS} of its listing is listed again at the next scan
 * (a file may have been added within the same timestamp tick, after the listing). A file indexed
 * while it was still recent (modified within the watch window, the incomplete grace: the file a
 * recorder writes, or paused in) stays watched, one {@code stat} per scan, until its modification
 * time is older than the window: if it grows or changes meanwhile (a recorder that stalled at a
 * fragment boundary and went on), it is reported again and re-indexed within a scan or two. Other
 * changes inside indexed files show at the next full listing: the caller asks for one at every
 * reconciliation.
 *
 * <p>Memory: per file a 64-bit hash of its name, its size, modification time, bucket and camera
 * (about 40 bytes), and per directory its sub-directory names; names are kept only for files still
 * in play and for three examples per bucket.
 */
final class ListingCache {
  /** Heldar's own directory under a recordings root (the storage's clock is read there): never listed. */
  static final String STORAGE_CLOCK_DIR = ".heldar-clock";

  /** A directory modified this close to its listing may have changed within the same timestamp tick. */
  static final long RACY_MILLIS = 2_000;

  private static final byte IN_PLAY = -1;
  private static final FileBucket[] BUCKETS = FileBucket.values();

  /** Where a walk reports what it finds. */
  interface Sink {
    /** A regular file to classify (new, changed, or still in play). */
    void file(ListedFile file);

    /** Files settled at an earlier scan, of {@code camera} ({@code null}: of no camera), counted from memory. */
    void settled(String camera, FileBucket bucket, long count, List<String> examples);

    /** Something that is not a regular file, or a directory not entered. */
    void other(FileBucket bucket, String path);
  }

  /** A regular file found by a walk. */
  record ListedFile(Path file, String path, long size, Instant modified) {
    String name() {
      return file.getFileName().toString();
    }
  }

  /** One directory's last listing. */
  private static final class Dir {
    final long mtimeMillis;
    final long listedAtMillis;
    final String[] subdirs;
    final List<Map.Entry<FileBucket, String>> others;
    /** Files sorted by name hash. */
    final long[] hashes;

    final long[] sizes;
    final long[] mtimes;
    final byte[] buckets;
    /** Until when (file-system clock, ms) a settled file is watched for changes; 0: it is not. */
    final long[] watchUntil;

    final String[] cameras;
    /** Root-relative paths of the files in play (the walk's own strings, not copies); null for settled files. */
    final String[] names;

    Dir(
        long mtimeMillis,
        long listedAtMillis,
        String[] subdirs,
        List<Map.Entry<FileBucket, String>> others,
        int files) {
      this.mtimeMillis = mtimeMillis;
      this.listedAtMillis = listedAtMillis;
      this.subdirs = subdirs;
      this.others = others;
      this.hashes = new long[files];
      this.sizes = new long[files];
      this.mtimes = new long[files];
      this.buckets = new byte[files];
      this.watchUntil = new long[files];
      this.cameras = new String[files];
      this.names = new String[files];
    }

    int indexOf(long hash) {
      int i = Arrays.binarySearch(hashes, hash);
      return i >= 0 ? i : -1;
    }
  }

  /** Directories by root-relative path with a trailing {@code /} ({@code ""} for the walk root). */
  private final NavigableMap<String, Dir> dirs = new TreeMap<>();
  /** Examples of settled files by directory, camera and bucket (three each). */
  private final Map<String, Map<String, EnumMap<FileBucket, List<String>>>> examples =
      new TreeMap<>();

  /** How long after its last modification an indexed file stays watched (0: never). */
  private final long watchMillis;

  private long listings;
  /** The directory {@link #settle} looked up last. */
  private String lastRel;

  private Dir lastDir;

  /** A cache that watches no indexed file: changes inside them show at full listings only. */
  ListingCache() {
    this(java.time.Duration.ZERO);
  }

  /**
   * A cache that watches each file indexed within {@code watch} of its last modification, until its
   * modification time is {@code watch} old.
   */
  ListingCache(java.time.Duration watch) {
    this.watchMillis = watch.toMillis();
  }

  /** Directories listed since this cache was made (for tests and benchmarks). */
  long listings() {
    return listings;
  }

  /** Directories remembered. */
  int size() {
    return dirs.size();
  }

  /**
   * Walks {@code dir} (root-relative {@code prefix}, ending in {@code /} or empty) down to {@code
   * maxDepth} levels of files. With {@code full}, every directory is listed and nothing is taken from
   * memory (every file goes to {@link Sink#file}); otherwise unchanged directories are not listed.
   *
   * @throws IOException when {@code dir} itself cannot be read
   */
  void walk(Path dir, String prefix, int maxDepth, boolean full, Sink sink) throws IOException {
    visit(dir, prefix, maxDepth, full, sink, true);
  }

  private void visit(Path dir, String rel, int depthLeft, boolean full, Sink sink, boolean top)
      throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      unlistable(rel, top, sink, e);
      return;
    }
    long mtime = attrs.lastModifiedTime().toMillis();
    Dir old = dirs.get(rel);
    if (!full
        && old != null
        && old.mtimeMillis == mtime
        && old.listedAtMillis - mtime > RACY_MILLIS) {
      replay(dir, rel, old, null, sink);
      for (String sub : old.subdirs) {
        visit(dir.resolve(sub), rel + sub + "/", depthLeft - 1, false, sink, false);
      }
      return;
    }
    // The file system's clock, not the injected one: it is compared with the directory's time.
    long listedAt = System.currentTimeMillis();
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(p -> names.add(p.getFileName().toString()));
    } catch (IOException e) {
      unlistable(rel, top, sink, e);
      return;
    }
    listings++;
    names.sort(null);
    List<String> subdirs = new ArrayList<>();
    List<Map.Entry<FileBucket, String>> others = new ArrayList<>();
    List<ListedFile> files = new ArrayList<>();
    for (String name : names) {
      if (name.equals(STORAGE_CLOCK_DIR)) {
        continue; // Heldar's own, not the recorder's
      }
      Path p = dir.resolve(name);
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException gone) {
        continue; // removed since the listing: the directory changed, it is listed again next scan
      } catch (IOException e) {
        others.add(Map.entry(FileBucket.UNLISTABLE, rel + name));
        continue;
      }
      if (a.isRegularFile()) {
        files.add(new ListedFile(
            p,
            rel + name,
            a.size(),
            a.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.MILLIS)));
      } else if (a.isDirectory()) {
        if (name.startsWith(".")) {
          others.add(Map.entry(FileBucket.HIDDEN_OR_TEMPORARY, rel + name + "/"));
        } else if (depthLeft <= 1) {
          others.add(Map.entry(FileBucket.TOO_DEEP, rel + name + "/"));
        } else {
          subdirs.add(name);
        }
      } else {
        others.add(Map.entry(FileBucket.NOT_A_REGULAR_FILE, rel + name));
      }
    }
    // Sub-directories that went away take their remembered listings with them.
    for (String gone : childrenOf(rel)) {
      if (!subdirs.contains(gone)) {
        forget(rel + gone + "/");
      }
    }
    Dir fresh =
        new Dir(mtime, listedAt, subdirs.toArray(String[]::new), List.copyOf(others), files.size());
    List<Hashed> byHash = new ArrayList<>(files.size());
    for (ListedFile f : files) {
      byHash.add(new Hashed(hash(f.name()), f));
    }
    byHash.sort((x, y) -> Long.compare(x.hash(), y.hash()));
    ListedFile[] listed = new ListedFile[byHash.size()];
    Map<String, EnumMap<FileBucket, List<String>>> keptExamples = new TreeMap<>();
    Map<String, EnumMap<FileBucket, List<String>>> oldExamples =
        examples.getOrDefault(rel, Map.of());
    for (int k = 0; k < byHash.size(); k++) {
      ListedFile f = byHash.get(k).file();
      listed[k] = f;
      fresh.hashes[k] = byHash.get(k).hash();
      fresh.sizes[k] = f.size();
      fresh.mtimes[k] = f.modified().toEpochMilli();
      int before = old == null ? -1 : old.indexOf(fresh.hashes[k]);
      boolean same = before >= 0
          && old.buckets[before] != IN_PLAY
          && old.sizes[before] == f.size()
          && old.mtimes[before] == fresh.mtimes[k];
      if (!full && same) {
        fresh.buckets[k] = old.buckets[before];
        fresh.cameras[k] = old.cameras[before];
        if (old.watchUntil[before] != 0) {
          fresh.watchUntil[k] = old.watchUntil[before];
          fresh.names[k] = f.path();
        }
        FileBucket b = BUCKETS[fresh.buckets[k]];
        List<String> ex = oldExamples
            .getOrDefault(key(fresh.cameras[k]), new EnumMap<>(FileBucket.class))
            .getOrDefault(b, List.of());
        if (ex.contains(f.path())) {
          keptExamples
              .computeIfAbsent(key(fresh.cameras[k]), c -> new EnumMap<>(FileBucket.class))
              .computeIfAbsent(b, x -> new ArrayList<>())
              .add(f.path());
        }
      } else {
        fresh.buckets[k] = IN_PLAY;
        fresh.names[k] = f.path();
      }
    }
    dirs.put(rel, fresh);
    lastRel = null;
    examples.remove(rel);
    if (!keptExamples.isEmpty()) {
      examples.put(rel, keptExamples);
    }
    replay(dir, rel, fresh, listed, sink);
    for (String sub : fresh.subdirs) {
      visit(dir.resolve(sub), rel + sub + "/", depthLeft - 1, full, sink, false);
    }
  }

  /** A directory that cannot be read: the walk's own root fails the walk, any other is reported. */
  private void unlistable(String rel, boolean top, Sink sink, IOException e) throws IOException {
    forget(rel);
    if (top) {
      throw e;
    }
    sink.other(FileBucket.UNLISTABLE, rel);
  }

  /**
   * Reports a directory from its listing: settled files as counts, the files in play one by one;
   * a watched file that changed since it was indexed is in play again. {@code listed} holds the
   * files of a listing just made (in the listing's order), whose attributes are used as read; for
   * a remembered listing it is null and the files in play are looked at again.
   */
  private void replay(Path dir, String rel, Dir d, ListedFile[] listed, Sink sink) {
    d.others.forEach(e -> sink.other(e.getKey(), e.getValue()));
    Map<String, long[]> counts = new TreeMap<>();
    long now = System.currentTimeMillis();
    for (int i = 0; i < d.hashes.length; i++) {
      if (d.watchUntil[i] != 0 && d.buckets[i] != IN_PLAY) {
        if (now > d.watchUntil[i]) {
          d.watchUntil[i] = 0;
          d.names[i] = null;
        } else if (changedSinceListed(dir, d, i)) {
          d.watchUntil[i] = 0;
          d.buckets[i] = IN_PLAY;
        }
      }
      if (d.buckets[i] == IN_PLAY && listed != null) {
        // Listed a moment ago: its attributes are the ones just read (no second stat per file).
        sink.file(listed[i]);
      } else if (d.buckets[i] == IN_PLAY) {
        String path = d.names[i];
        Path p = dir.resolve(path.substring(path.lastIndexOf('/') + 1));
        try {
          BasicFileAttributes a =
              Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (a.isRegularFile()) {
            sink.file(new ListedFile(
                p,
                path,
                a.size(),
                a.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.MILLIS)));
          }
        } catch (IOException gone) {
          // removed: the directory's time changed, it is listed again next scan
        }
      } else {
        counts.computeIfAbsent(key(d.cameras[i]), c -> new long[BUCKETS.length])[d.buckets[i]]++;
      }
    }
    Map<String, EnumMap<FileBucket, List<String>>> ex = examples.getOrDefault(rel, Map.of());
    counts.forEach((camera, perBucket) -> {
      for (int b = 0; b < perBucket.length; b++) {
        if (perBucket[b] > 0) {
          List<String> shown = ex.getOrDefault(camera, new EnumMap<>(FileBucket.class))
              .getOrDefault(BUCKETS[b], List.of());
          sink.settled(camera.isEmpty() ? null : camera, BUCKETS[b], perBucket[b], shown);
        }
      }
    });
  }

  /** Whether the watched file {@code i} of {@code d} is no longer as it was listed. */
  private static boolean changedSinceListed(Path dir, Dir d, int i) {
    String path = d.names[i];
    Path p = dir.resolve(path.substring(path.lastIndexOf('/') + 1));
    try {
      BasicFileAttributes a =
          Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return a.size() != d.sizes[i] || a.lastModifiedTime().toMillis() != d.mtimes[i];
    } catch (IOException gone) {
      return false; // removed: the directory's time changed, it is listed again
    }
  }

  /**
   * Records the bucket a scan put a listed file in. Files indexed (now or before), unreadable and
   * unchanged, hidden, or not matching are settled; the rest stay in play and are looked at again.
   * Unreadable files stay in play: a recorder may still finish them.
   */
  void settle(String path, String camera, FileBucket bucket) {
    int slash = path.lastIndexOf('/');
    // Files of one directory arrive together: the last directory looked up is usually the one.
    String rel;
    Dir d;
    if (lastRel != null && lastRel.length() == slash + 1 && path.startsWith(lastRel)) {
      rel = lastRel;
      d = lastDir;
    } else {
      rel = path.substring(0, slash + 1);
      d = dirs.get(rel);
      lastRel = rel;
      lastDir = d;
    }
    if (d == null) {
      return;
    }
    int i = d.indexOf(hash(path.substring(slash + 1)));
    if (i < 0) {
      return;
    }
    FileBucket settled =
        switch (bucket) {
          case INDEXED, CHANGED, ALREADY_INDEXED -> FileBucket.ALREADY_INDEXED;
          case HIDDEN_OR_TEMPORARY, NAME_DOES_NOT_MATCH -> bucket;
          default -> null;
        };
    if (settled == null) {
      return;
    }
    d.buckets[i] = (byte) settled.ordinal();
    d.cameras[i] = camera;
    d.names[i] = null;
    d.watchUntil[i] = 0;
    if (watchMillis > 0
        && (bucket == FileBucket.INDEXED || bucket == FileBucket.CHANGED)
        && d.mtimes[i] + watchMillis > System.currentTimeMillis()) {
      d.watchUntil[i] = d.mtimes[i] + watchMillis;
      d.names[i] = path;
    }
    if (!settled.inIndex()) {
      List<String> ex = examples
          .computeIfAbsent(rel, r -> new TreeMap<>())
          .computeIfAbsent(key(camera), c -> new EnumMap<>(FileBucket.class))
          .computeIfAbsent(settled, b -> new ArrayList<>());
      if (ex.size() < 3) {
        ex.add(path);
      }
    }
  }

  /** Forgets everything: the next walk lists every directory. */
  void clear() {
    lastRel = null;
    dirs.clear();
    examples.clear();
  }

  private List<String> childrenOf(String rel) {
    List<String> out = new ArrayList<>();
    for (String k : dirs.subMap(rel, false, rel + Character.MAX_VALUE, false).keySet()) {
      String rest = k.substring(rel.length());
      int slash = rest.indexOf('/');
      if (slash == rest.length() - 1) {
        out.add(rest.substring(0, slash));
      }
    }
    return out;
  }

  private void forget(String rel) {
    lastRel = null;
    dirs.subMap(rel, true, rel + Character.MAX_VALUE, false).clear();
    examples.keySet().removeIf(k -> k.startsWith(rel));
  }

  private static String key(String camera) {
    return camera == null ? "" : camera;
  }

  private record Hashed(long hash, ListedFile file) {}

  /** A 64-bit FNV-1a hash of a file name's UTF-16 code units. */
  static long hash(String name) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < name.length(); i++) {
      h ^= name.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }
}
