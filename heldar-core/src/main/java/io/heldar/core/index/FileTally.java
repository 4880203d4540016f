package io.heldar.core.index;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How many files (and directories) a scan put in each {@link FileBucket}, with the first few paths
 * of each bucket as examples.
 *
 * @param counts entries per bucket (buckets with none are absent)
 * @param examples up to {@link #EXAMPLES} root-relative paths per bucket, directories with a trailing {@code /}
 */
public record FileTally(Map<FileBucket, Long> counts, Map<FileBucket, List<String>> examples) {
  /** Examples kept per bucket. */
  public static final int EXAMPLES = 3;

  /** Nothing counted. */
  public static final FileTally EMPTY = new FileTally(Map.of(), Map.of());

  /** Freezes; zero counts are dropped. */
  public FileTally {
    EnumMap<FileBucket, Long> c = new EnumMap<>(FileBucket.class);
    counts.forEach((k, v) -> {
      if (v != 0) {
        c.put(k, v);
      }
    });
    counts = Collections.unmodifiableMap(c);
    EnumMap<FileBucket, List<String>> ex = new EnumMap<>(FileBucket.class);
    examples.forEach((k, v) -> ex.put(k, List.copyOf(v)));
    examples = Collections.unmodifiableMap(ex);
  }

  /** Entries in {@code bucket}. */
  public long count(FileBucket bucket) {
    return counts.getOrDefault(bucket, 0L);
  }

  /** Entries in all buckets. */
  public long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The first few paths of {@code bucket}. */
  public List<String> examples(FileBucket bucket) {
    return examples.getOrDefault(bucket, List.of());
  }

  /** A tally being counted. Not thread-safe. */
  public static final class Counter {
    private static final FileBucket[] BUCKETS = FileBucket.values();
    private final long[] counts = new long[BUCKETS.length];

    @SuppressWarnings("unchecked")
    private final List<String>[] examples = new List[BUCKETS.length];

    /** Counts {@code path} in {@code bucket}. */
    public void add(FileBucket bucket, String path) {
      int b = bucket.ordinal();
      counts[b]++;
      if (counts[b] <= EXAMPLES) {
        if (examples[b] == null) {
          examples[b] = new ArrayList<>(EXAMPLES);
        }
        examples[b].add(path);
      }
    }

    /** Counts {@code n} entries of {@code bucket} without examples. */
    public void add(FileBucket bucket, long n) {
      if (n > 0) {
        counts[bucket.ordinal()] += n;
      }
    }

    /** Entries counted in {@code bucket} so far. */
    public long count(FileBucket bucket) {
      return counts[bucket.ordinal()];
    }

    /** An immutable copy. */
    public FileTally freeze() {
      EnumMap<FileBucket, Long> c = new EnumMap<>(FileBucket.class);
      EnumMap<FileBucket, List<String>> e = new EnumMap<>(FileBucket.class);
      for (FileBucket b : BUCKETS) {
        if (counts[b.ordinal()] > 0) {
          c.put(b, counts[b.ordinal()]);
        }
        if (examples[b.ordinal()] != null) {
          e.put(b, examples[b.ordinal()]);
        }
      }
      return new FileTally(c, e);
    }
  }
}
