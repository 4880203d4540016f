package io.heldar.core.index.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.index.FileBucket;
import io.heldar.core.index.FileTally;
import io.heldar.core.index.SegmentNaming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listing stage: a camera's directory stays inside the root; links are never followed. */
class RootListingTest {
  @TempDir
  Path dir;

  Path root() throws Exception {
    return Files.createDirectories(dir.resolve("rec")).toRealPath();
  }

  @Test
  void aCameraDirectoryIsASafeNameWhoseRealPathStaysInsideTheRoot() throws Exception {
    Path root = root();
    Files.createDirectories(root.resolve("gate"));
    RootListing listing = new RootListing(root, SegmentNaming.heldar());
    assertThat(listing.cameraDirectory("gate")).isEqualTo(root.resolve("gate"));

    assertThatThrownBy(() -> listing.cameraDirectory("../etc"))
        .isInstanceOf(ScanFailure.class)
        .hasMessageContaining("not a safe relative name");
    assertThatThrownBy(() -> listing.cameraDirectory("absent"))
        .hasMessageContaining("does not exist");

    Files.createDirectories(dir.resolve("outside"));
    Files.createSymbolicLink(root.resolve("escape"), dir.resolve("outside"));
    assertThatThrownBy(() -> listing.cameraDirectory("escape"))
        .hasMessageContaining("outside the recordings root");

    Files.writeString(root.resolve("plain-file"), "x");
    assertThatThrownBy(() -> listing.cameraDirectory("plain-file"))
        .hasMessageContaining("is not a directory");
  }

  @Test
  void aCameraNameWithControlCharactersIsEscapedInTheReason() throws Exception {
    RootListing listing = new RootListing(root(), SegmentNaming.heldar());
    assertThatThrownBy(() -> listing.cameraDirectory("a\nFAKE LOG LINE"))
        .hasMessageNotContaining("\n")
        .hasMessageContaining("a\\nFAKE");
  }

  @Test
  void listingFindsRegularFilesToItsDepthAndCountsWhatItSkips() throws Exception {
    Path cam = Files.createDirectories(root().resolve("gate"));
    Files.createDirectories(cam.resolve("2026-12-06"));
    Files.writeString(cam.resolve("2026-12-06/a.mp4"), "aa");
    Files.writeString(cam.resolve("b.mp4"), "b");
    Files.createDirectories(cam.resolve("x/y/z"));
    Files.writeString(cam.resolve("x/y/z/too-deep.mp4"), "c");
    Files.createSymbolicLink(cam.resolve("link.mp4"), cam.resolve("b.mp4"));
    FileTally.Counter others = new FileTally.Counter();
    List<FileEntry> files = RootListing.listAll(cam, "gate/", 2, others);
    assertThat(files)
        .extracting(FileEntry::path)
        .containsExactlyInAnyOrder("gate/2026-12-06/a.mp4", "gate/b.mp4");
    assertThat(files)
        .filteredOn(f -> f.path().endsWith("a.mp4"))
        .singleElement()
        .satisfies(f -> assertThat(f.size()).isEqualTo(2));
    FileTally skipped = others.freeze();
    long counted = 0;
    for (FileBucket b : FileBucket.values()) {
      counted += skipped.count(b);
    }
    assertThat(counted)
        .as("the link and what lies too deep are counted, not lost")
        .isPositive();
  }

  @Test
  void aLayoutWithoutCameraDirectoriesGroupsFilesByTheCameraInTheirPath() throws Exception {
    Path root = root();
    Files.createDirectories(root.resolve("2026-12-06/08/gate"));
    Files.writeString(root.resolve("2026-12-06/08/gate/00.00.mp4"), "x");
    Files.createDirectories(root.resolve("2026-12-06/08/yard"));
    Files.writeString(root.resolve("2026-12-06/08/yard/00.10.mp4"), "x");
    Map<String, List<FileEntry>> byCamera =
        new RootListing(root, SegmentNaming.frigate()).filesByCamera();
    assertThat(byCamera).containsOnlyKeys("gate", "yard");
  }
}
