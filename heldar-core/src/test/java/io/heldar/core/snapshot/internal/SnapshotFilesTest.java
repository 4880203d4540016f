package io.heldar.core.snapshot.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.model.InvalidCameraIdException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot files: named once, written aside, renamed into place, recovered after a crash. */
class SnapshotFilesTest {
  static final Instant SLOT = Instant.parse("2026-12-06T08:00:10Z");
  static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, 1, 2, (byte) 0xff, (byte) 0xd9};

  @TempDir
  Path root;

  @Test
  void aPreparedFileIsInvisibleUntilPublished() throws IOException {
    SnapshotFiles files = new SnapshotFiles(root, true);
    SnapshotFiles.Written w = files.prepare("gate", 1, SLOT, JPEG);
    assertThat(w.path()).startsWith("gate/").endsWith(".jpg");
    assertThat(w.size()).isEqualTo(JPEG.length);
    assertThat(w.file()).doesNotExist();
    assertThat(w.temp()).exists().hasBinaryContent(JPEG);
    assertThat(w.temp().getFileName().toString()).startsWith(".");
    files.publish(w);
    assertThat(w.temp()).doesNotExist();
    assertThat(w.file()).hasBinaryContent(JPEG);
    assertThat(files.resolve(w.path())).isEqualTo(w.file());
  }

  @Test
  void twoSnapshotsOfOneSlotNeverShareANameEvenBeforeEitherIsPublished() throws IOException {
    SnapshotFiles files = new SnapshotFiles(root, false);
    SnapshotFiles.Written first = files.prepare("gate", 1, SLOT, JPEG);
    SnapshotFiles.Written second = files.prepare("gate", 2, SLOT, JPEG);
    SnapshotFiles.Written third = files.prepare("gate", 2, SLOT, JPEG);
    assertThat(Set.of(first.path(), second.path(), third.path())).hasSize(3);
    assertThat(second.path()).contains("-s2");
    files.publish(second);
    files.publish(first);
    files.publish(third);
    try (var listing = Files.list(root.resolve("gate"))) {
      assertThat(listing.count()).isEqualTo(3);
    }
  }

  @Test
  void aCameraIdCannotLeadOutOfTheRoot() throws IOException {
    SnapshotFiles files = new SnapshotFiles(root.resolve("snaps"), false);
    Files.createDirectories(root.resolve("snaps"));
    assertThatThrownBy(() -> files.prepare("../etc", 1, SLOT, JPEG))
        .isInstanceOf(InvalidCameraIdException.class);
    Files.createDirectories(root.resolve("elsewhere"));
    Files.createSymbolicLink(root.resolve("snaps/linked"), root.resolve("elsewhere"));
    assertThatThrownBy(() -> files.prepare("linked", 1, SLOT, JPEG))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("outside the snapshots root");
    try (var listing = Files.list(root.resolve("elsewhere"))) {
      assertThat(listing.count()).as("nothing written through the link").isZero();
    }
  }

  @Test
  void recoveryFinishesCommittedTempFilesAndRemovesTheRest() throws IOException {
    SnapshotFiles files = new SnapshotFiles(root, false);
    SnapshotFiles.Written committed = files.prepare("gate", 1, SLOT, JPEG);
    SnapshotFiles.Written orphan = files.prepare("gate", 1, SLOT.plusSeconds(10), JPEG);
    SnapshotFiles.Written otherNodes = files.prepare("yard", 1, SLOT, JPEG);
    // the crash: rows committed for the first only, no rename happened

    SnapshotFiles.Recovered r = new SnapshotFiles(root, false)
        .recoverTempFiles(
            committed.path()::equals, camera -> !camera.equals("yard"), Long.MAX_VALUE);

    assertThat(r.completed()).isEqualTo(1);
    assertThat(r.removed()).isEqualTo(1);
    assertThat(committed.file()).hasBinaryContent(JPEG);
    assertThat(orphan.temp()).doesNotExist();
    assertThat(orphan.file()).doesNotExist();
    assertThat(otherNodes.temp())
        .as("another node's camera is its own to recover")
        .exists();
  }

  @Test
  void recoveryInAClusterLeavesYoungTempFilesToTheirWriter() throws IOException {
    SnapshotFiles files = new SnapshotFiles(root, false);
    SnapshotFiles.Written young = files.prepare("gate", 1, SLOT, JPEG);
    long youngMtime = Files.getLastModifiedTime(young.temp()).toMillis();
    SnapshotFiles.Recovered r = files.recoverTempFiles(p -> false, c -> true, youngMtime);
    assertThat(r).isEqualTo(new SnapshotFiles.Recovered(0, 0));
    assertThat(young.temp()).exists();
    assertThat(new SnapshotFiles(root.resolve("none"), false)
            .recoverTempFiles(p -> true, c -> true, Long.MAX_VALUE))
        .isEqualTo(new SnapshotFiles.Recovered(0, 0));
  }
}
