package io.heldar.examples.faults;

import io.heldar.core.Heldar;
import io.heldar.core.model.Camera;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Heldar process taking snapshots of many cameras every second, forever, for a parent test to
 * kill -9 at random moments. Arguments: database, recordings root, snapshots root, cameras.
 */
public final class SnapshotCrashChild {
  private SnapshotCrashChild() {}

  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[0]);
    Path recordings = Files.createDirectories(Path.of(args[1]));
    Path snapshots = Path.of(args[2]);
    int cameras = Integer.parseInt(args[3]);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(
        new java.awt.image.BufferedImage(32, 24, java.awt.image.BufferedImage.TYPE_INT_RGB),
        "jpg",
        bytes);
    byte[] jpeg = bytes.toByteArray();
    SqliteHeldarStore store = SqliteHeldarStore.open(db);
    for (int i = 0; i < cameras; i++) {
      String id = "cam" + i;
      if (store.cameras().find(id).isEmpty()) {
        store.cameras().add(Camera.of(id, Instant.now()).withSourceUrl("memory://" + id));
        store.snapshotSchedules().create(id, Duration.ofSeconds(1), true, Instant.now());
      }
      Files.createDirectories(recordings.resolve(id));
    }
    Heldar heldar = Heldar.builder()
        .store(store)
        .snapshotsRoot(snapshots)
        .snapshotSource((camera, timeout) -> {
          // a camera's latency, 0 to 20 ms
          java.util.concurrent.locks.LockSupport.parkNanos(
              ThreadLocalRandom.current().nextLong(20_000_000L));
          return jpeg.clone();
        })
        .snapshotTick(Duration.ofMillis(20))
        .build();
    heldar.start();
    System.out.println("started");
    System.out.flush();
    new java.util.concurrent.CountDownLatch(1).await(); // runs until the test kills it
  }
}
