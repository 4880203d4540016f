package io.heldar.core.index.internal;

import io.heldar.core.index.Plausibility;
import io.heldar.core.internal.Threads;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.PrintableText;
import io.heldar.core.probe.IncompleteMediaException;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.ProbeException;
import io.heldar.core.probe.ProbeUnavailableException;
import io.heldar.core.runtime.Deadline;
import io.heldar.core.runtime.ExecutorShutdown;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexer's probing stage: probes a camera's candidate files on the probe pool, at most one
 * batch ahead of the commits, and hands each batch's outcomes over in order. Memory stays bounded by
 * the batch size, not by the backlog; a failure of the caller stops the probes still queued.
 */
final class ProbePipeline {
  private static final Logger log = LoggerFactory.getLogger(ProbePipeline.class);

  /**
   * A file to probe.
   *
   * @param nextStart the start of the camera's next file in this scan, for the plausibility check
   * @param changed whether the file is indexed already and changed since (its row is replaced)
   */
  record Candidate(
      String path,
      Instant start,
      long size,
      Instant modified,
      Optional<Instant> nextStart,
      boolean changed) {}

  /** What probing one candidate found. */
  sealed interface Outcome {
    /** The file probed. */
    Candidate candidate();
  }

  /** The file is plausible media: it becomes a segment. */
  record Probed(Candidate candidate, MediaInfo media) implements Outcome {}

  /** The file cannot be indexed as it is, and why (corrupt, implausible, a probe error). */
  record Unreadable(Candidate candidate, String reason) implements Outcome {}

  /** The file looks unfinished (empty, no index yet): perhaps still being written. */
  record Incomplete(Candidate candidate, String reason) implements Outcome {}

  /** Receives each batch's outcomes, in candidate order. */
  @FunctionalInterface
  interface BatchHandler {
    /**
     * @param outcomes this batch's outcomes
     * @param done candidates handled so far, this batch included
     */
    void batch(List<Outcome> outcomes, int done);
  }

  private final MediaProbe probe;
  private final Path root;
  private final Plausibility plausibility;
  private final int batchSize;
  private final Executor pool;
  private final ThreadPoolExecutor ownPool;

  /**
   * @param probeExecutor the host's executor (never shut down here); Heldar's own daemon pool of
   *     {@code parallelism} threads when empty
   */
  ProbePipeline(
      MediaProbe probe,
      Path root,
      Plausibility plausibility,
      int batchSize,
      int parallelism,
      Optional<Executor> probeExecutor) {
    this.probe = probe;
    this.root = root;
    this.plausibility = plausibility;
    this.batchSize = batchSize;
    this.ownPool = probeExecutor.isPresent()
        ? null
        : Threads.pool("heldar-probe-", parallelism, new LinkedBlockingQueue<>());
    this.pool = probeExecutor.isPresent() ? probeExecutor.get() : ownPool;
  }

  /**
   * Probes {@code candidates} batch by batch, the next batch probing while {@code handler} takes the
   * current one.
   *
   * @throws ScanFailure when probing is interrupted or a probe task failed outright
   * @throws ProbeUnavailableException when the probe cannot run at all
   */
  void run(List<Candidate> candidates, BatchHandler handler) {
    List<Future<Outcome>> probes = new ArrayList<>(Collections.nCopies(candidates.size(), null));
    int submitted = 0;
    try {
      for (int from = 0; from < candidates.size(); from += batchSize) {
        int to = Math.min(candidates.size(), from + batchSize);
        int ahead = Math.min(candidates.size(), to + batchSize);
        for (; submitted < ahead; submitted++) {
          Candidate c = candidates.get(submitted);
          FutureTask<Outcome> task = new FutureTask<>(() -> probeOne(c));
          pool.execute(task);
          probes.set(submitted, task);
        }
        List<Outcome> outcomes = await(probes.subList(from, to));
        for (int i = from; i < to; i++) {
          probes.set(i, null);
        }
        handler.batch(outcomes, to);
      }
    } finally {
      for (Future<Outcome> f : probes) {
        if (f != null) {
          f.cancel(true); // stops the rest on failure
        }
      }
    }
  }

  private static List<Outcome> await(List<Future<Outcome>> futures) {
    List<Outcome> outcomes = new ArrayList<>(futures.size());
    try {
      for (Future<Outcome> f : futures) {
        outcomes.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ScanFailure("interrupted while probing", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ProbeUnavailableException pue) {
        throw pue;
      }
      throw new ScanFailure("probe failed: " + e.getCause(), e.getCause());
    }
    return outcomes;
  }

  private Outcome probeOne(Candidate c) {
    if (c.size() == 0) {
      return new Incomplete(c, "empty file (0 bytes)");
    }
    try {
      MediaInfo media = Plausibility.withoutImplausible(probe.probe(root.resolve(c.path())));
      Optional<String> problem = plausibility.problem(media, c.size(), c.start(), c.nextStart());
      if (problem.isPresent()) {
        return new Unreadable(c, problem.get());
      }
      return new Probed(c, media);
    } catch (IncompleteMediaException e) {
      return new Incomplete(c, e.detail());
    } catch (ProbeException e) {
      return new Unreadable(c, e.detail());
    } catch (ProbeUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      // A probe that breaks its contract on one file must not stop the scan; blame the file, say
      // so.
      log.warn("probe threw {} on {}", e.getClass().getName(), PrintableText.of(c.path()), e);
      return new Unreadable(c, "probe error: " + e);
    }
  }

  /**
   * Stops Heldar's own probe threads: probes under way are interrupted (their files are probed
   * again at the next start) and waited for until {@code deadline}. A host's executor is left
   * alone.
   */
  void close(Deadline deadline) {
    if (ownPool != null) {
      ExecutorShutdown.shutdownNow(ownPool, deadline, "probes");
    }
  }
}
