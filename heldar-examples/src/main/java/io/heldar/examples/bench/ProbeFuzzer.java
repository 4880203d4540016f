package io.heldar.examples.bench;

import io.heldar.core.index.Plausibility;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.ProbeException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Mutates real MP4 files from a fixed seed and probes every mutant natively, measuring what each
 * probe costs (time, bytes allocated) and what it decided. Used by {@code heldar bench fuzz} and by
 * the test suite.
 */
public final class ProbeFuzzer {
  private static final long[] EXTREMES = {
    0, 1, 2, 0x7fffffffL, 0x80000000L, 0xffffffffL, 0xfffffffeL, 0x10000L
  };

  /**
   * What a run found.
   *
   * @param mutants files probed
   * @param accepted probe returned a value the indexer's plausibility check also accepts
   * @param implausible probe returned a value the plausibility check refuses (never indexed)
   * @param refused probe said the file is bad ({@link ProbeException} or a subclass)
   * @param unexpected any other exception (a bug), with the first few messages
   * @param maxMillis slowest probe
   * @param p99Millis 99th percentile
   * @param maxAllocatedBytes most bytes one probe allocated
   */
  public record Result(
      int mutants,
      int accepted,
      int implausible,
      int refused,
      List<String> unexpected,
      double maxMillis,
      double p99Millis,
      long maxAllocatedBytes) {}

  private ProbeFuzzer() {}

  /** Probes {@code mutants} mutants of {@code seeds}, made from {@code seed}, in {@code work}. */
  public static Result run(List<byte[]> seeds, int mutants, long seed, Path work, MediaProbe probe)
      throws IOException {
    Random random = new Random(seed);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Plausibility plausibility =
        new Plausibility(io.heldar.core.index.IndexingOptions.DEFAULT_MAX_SEGMENT_DURATION);
    Path file = work.resolve("mutant.mp4");
    double[] millis = new double[mutants];
    long maxAlloc = 0;
    int accepted = 0;
    int implausible = 0;
    int refused = 0;
    List<String> unexpected = new ArrayList<>();
    for (int i = 0; i < mutants; i++) {
      byte[] bytes = mutate(seeds.get(random.nextInt(seeds.size())), random);
      Files.write(file, bytes);
      long tid = Thread.currentThread().getId();
      long a0 = threads.getThreadAllocatedBytes(tid);
      long t0 = System.nanoTime();
      try {
        MediaInfo m = probe.probe(file);
        if (plausibility
            .problem(m, bytes.length, Instant.EPOCH, Optional.empty())
            .isPresent()) {
          implausible++;
        } else {
          accepted++;
        }
      } catch (ProbeException e) {
        refused++;
      } catch (RuntimeException e) {
        if (unexpected.size() < 10) {
          unexpected.add(e.toString());
        } else {
          unexpected.add("…");
        }
      }
      millis[i] = (System.nanoTime() - t0) / 1e6;
      maxAlloc = Math.max(maxAlloc, threads.getThreadAllocatedBytes(tid) - a0);
    }
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    double max = sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    double p99 = sorted.length == 0
        ? 0
        : sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
    return new Result(
        mutants, accepted, implausible, refused, List.copyOf(unexpected), max, p99, maxAlloc);
  }

  /** One to four mutations: extreme 32-bit values, random bytes, a cut, or a box type swapped. */
  static byte[] mutate(byte[] original, Random random) {
    byte[] b = original.clone();
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int kind = random.nextInt(10);
      int at = offset(b.length, random);
      if (kind < 5 && at + 4 <= b.length) {
        long v = random.nextInt(3) == 0
            ? random.nextInt() & 0xffffffffL
            : EXTREMES[random.nextInt(EXTREMES.length)];
        ByteBuffer.wrap(b, at, 4).putInt((int) v);
      } else if (kind < 8) {
        b[at] = (byte) random.nextInt(256);
      } else if (kind < 9) {
        b = Arrays.copyOf(b, Math.max(8, at));
      } else if (at + 4 <= b.length) {
        byte[] type = List.of(
                "moov", "trak", "mdat", "moof", "trun", "stts", "stsz", "mvex", "traf", "tfhd")
            .get(random.nextInt(10))
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        System.arraycopy(type, 0, b, at, 4);
      }
    }
    return b;
  }

  /** Mostly the box headers and tables at either end; sometimes anywhere. */
  private static int offset(int length, Random random) {
    int window = Math.min(length, 4096);
    return switch (random.nextInt(3)) {
      case 0 -> random.nextInt(window);
      case 1 -> length - 1 - random.nextInt(window);
      default -> random.nextInt(length);
    };
  }
}
