package io.heldar.examples;

import io.heldar.core.Heldar;
import io.heldar.core.event.HeldarEvent;
import io.heldar.core.event.HeldarListener;
import io.heldar.core.model.Camera;
import io.heldar.core.probe.MediaProbes;
import io.heldar.core.timeline.Coverage;
import io.heldar.core.timeline.Timeline;
import io.heldar.ffmpeg.FfprobeMediaProbe;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a host server does to embed Heldar — copy it and adapt the paths. Run it with a recordings
 * root that has one sub-directory per camera: {@code java -cp heldar.jar
 * io.heldar.examples.EmbeddedExample /var/lib/recordings /tmp/heldar.db}.
 */
public final class EmbeddedExample {
  private EmbeddedExample() {}

  /** Indexes {@code recordings} into {@code database} for a while and prints what it found. */
  public static void main(String[] args) throws Exception {
    Coverage c = run(
        Path.of(args[0]),
        Path.of(args.length > 1 ? args[1] : "heldar.db"),
        "front-door",
        Duration.ofSeconds(5));
    System.out.println(c.cameraId() + ": " + c.runs().size() + " run(s) of footage, "
        + c.gaps().size() + " gap(s)");
  }

  /**
   * The embedding, step by step: returns the coverage of {@code cameraId} over the last day, after
   * Heldar ran for {@code runFor}.
   */
  public static Coverage run(Path recordings, Path database, String cameraId, Duration runFor)
      throws Exception {
    // 1. The host's own scheduler. Heldar schedules its work on it and never shuts it down;
    //    without one, Heldar starts its own daemon threads named heldar-*.
    ScheduledExecutorService hostExecutor = Executors.newScheduledThreadPool(2);
    List<HeldarEvent> events = new CopyOnWriteArrayList<>();
    // 2. The SQLite store. The host opens and closes it; Heldar never closes it.
    try (SqliteHeldarStore store = SqliteHeldarStore.open(database)) {
      Heldar heldar = Heldar.builder()
          .store(store)
          .executor(hostExecutor)
          .recordingsRoot(recordings)
          // 3. Native MP4 probe first, ffprobe (PATH or bundled) for other containers.
          .probe(MediaProbes.auto(FfprobeMediaProbe.onPath()))
          .scanInterval(Duration.ofSeconds(1))
          // 4. An event listener: called after each event is stored; keep it short.
          .listener(new HeldarListener() {
            @Override
            public void onEvent(HeldarEvent event) {
              events.add(event);
            }

            @Override
            public void onTaskFailure(String task, Throwable failure) {
              System.err.println("heldar task " + task + " failed and will run again: " + failure);
            }
          })
          .build();
      heldar.client().registerCamera(Camera.of(cameraId, Instant.now()));
      // 5. Start: indexing (and snapshots or retention, when configured) run supervised.
      heldar.start();
      try {
        TimeUnit.MILLISECONDS.sleep(runFor.toMillis()); // the host's own work would happen here
      } finally {
        // 6. Clean shutdown: bounded, idempotent, and the host's executor stays running.
        heldar.stop();
      }
      // 7. A timeline query: what do we have of the last day?
      Instant now = Instant.now();
      Coverage coverage = heldar
          .client()
          .timeline()
          .coverage(cameraId, now.minus(Duration.ofDays(1)), now, Timeline.DEFAULT_TOLERANCE);
      events.forEach(e -> System.out.println("event: " + e.kind() + " " + e.payload()));
      return coverage;
    } finally {
      hostExecutor.shutdown(); // the host's executor: the host shuts it down
    }
  }
}
