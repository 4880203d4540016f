package io.heldar.core.index.internal;

import io.heldar.core.index.CameraNames;
import io.heldar.core.index.FileBucket;
import io.heldar.core.index.FileTally;
import io.heldar.core.index.SegmentNaming;
import io.heldar.core.model.PrintableText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The indexer's listing stage: finds a camera's directory under the recordings root (a safe
 * relative name whose real path stays inside the root, readable) and lists recording files, either
 * afresh or through a {@link ListingCache} that remembers what it settled.
 */
final class RootListing {
  private final Path root;
  private final SegmentNaming naming;

  RootListing(Path root, SegmentNaming naming) {
    this.root = root;
    this.naming = naming;
  }

  /** A walk's sink: files to classify into {@code files}, settled counts to their camera's tally, the rest to {@code others}. */
  static ListingCache.Sink collecting(
      List<FileEntry> files,
      java.util.function.Function<String, FileTally.Counter> settledTo,
      FileTally.Counter others) {
    return new ListingCache.Sink() {
      @Override
      public void file(ListingCache.ListedFile f) {
        files.add(new FileEntry(f.path(), f.size(), f.modified()));
      }

      @Override
      public void settled(String camera, FileBucket bucket, long count, List<String> examples) {
        addCounted(settledTo.apply(camera), bucket, count, examples);
      }

      @Override
      public void other(FileBucket bucket, String path) {
        others.add(bucket, path);
      }
    };
  }

  /** Adds files counted from memory: their examples, then the rest as a number. */
  static void addCounted(
      FileTally.Counter tally, FileBucket bucket, long count, List<String> examples) {
    examples.forEach(p -> tally.add(bucket, p));
    tally.add(bucket, count - examples.size());
  }

  Path cameraDirectory(String recorderName) {
    if (!CameraNames.isSafeRecorderName(recorderName)) {
      throw new ScanFailure(
          "camera directory name " + PrintableText.of(recorderName)
              + " is not a safe relative name",
          null);
    }
    Path dir = root.resolve(recorderName);
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new ScanFailure("recordings directory " + dir + " does not exist", null);
    }
    try {
      Path real = dir.toRealPath();
      if (!real.startsWith(root.toRealPath())) {
        throw new ScanFailure(
            "recordings directory " + dir + " resolves to " + real
                + ", outside the recordings root",
            null);
      }
      if (!Files.isDirectory(real)) {
        throw new ScanFailure(dir + " is not a directory", null);
      }
      if (!Files.isReadable(real) || !Files.isExecutable(real)) {
        throw new ScanFailure(
            "recordings directory " + dir + " is not readable (permission denied)", null);
      }
      return real;
    } catch (IOException e) {
      throw new ScanFailure("cannot resolve recordings directory " + dir + ": " + e, e);
    }
  }

  /**
   * Every regular file under {@code dir} (not links), down to {@code maxDepth} levels, listed afresh
   * with nothing remembered (for checks and one-camera scans); everything else the listing meets goes
   * to {@code others} with its reason.
   */
  static List<FileEntry> listAll(Path dir, String prefix, int maxDepth, FileTally.Counter others) {
    List<FileEntry> files = new ArrayList<>();
    try {
      new ListingCache()
          .walk(dir, prefix, maxDepth, true, collecting(files, camera -> others, others));
    } catch (IOException e) {
      throw new ScanFailure("cannot list recordings directory " + dir + ": " + e, e);
    }
    return files;
  }

  /** In a layout without camera directories: every matching file under the root, by the camera its path names. */
  Map<String, List<FileEntry>> filesByCamera() {
    Map<String, List<FileEntry>> byName = new HashMap<>();
    for (FileEntry f : listAll(root, "", naming.rootDepth(), new FileTally.Counter())) {
      naming.match(f.path(), Optional.empty()).ifPresent(m -> byName
          .computeIfAbsent(m.camera(), k -> new ArrayList<>())
          .add(f));
    }
    return byName;
  }
}
