package io.heldar.core.tier.internal;

import io.heldar.core.tier.StorageTier;
import io.heldar.core.tier.StorageTiers;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Whether a further tier's root is the tier: a directory, writable, holding the marker {@value
 * StorageTiers#MARKER} with the tier's name. The marker is written the first time an empty tier is
 * used; once footage lives on a tier, a missing marker means the root is an empty mount point (the
 * NAS is not mounted), and nothing is written there, deleted there or marked lost.
 */
public final class TierMarkers {
  private TierMarkers() {}

  /**
   * Why {@code tier} cannot be used now, or empty when it can. With {@code holdsFootage} false a
   * missing marker is written (the tier is new); with it true a missing marker is a refusal.
   */
  public static Optional<String> unusable(StorageTier tier, boolean holdsFootage) {
    Path root = tier.root();
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of("root " + root + " is missing or not a directory");
    }
    Path marker = root.resolve(StorageTiers.MARKER);
    try {
      if (Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
        String name = Files.readString(marker, StandardCharsets.UTF_8).strip();
        if (!name.equals(tier.name())) {
          return Optional.of(
              "root " + root + " is marked as tier '" + name + "', not '" + tier.name() + "'");
        }
      } else if (holdsFootage) {
        return Optional.of("its marker " + marker
            + " is missing although footage lives on this tier: not mounted?");
      } else {
        write(marker, tier.name());
      }
      if (!Files.isWritable(root)) {
        return Optional.of("root " + root + " is not writable");
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of("root " + root + " cannot be used: " + e.getMessage());
    }
  }

  /** The device number of the file system holding {@code path}, when the platform tells it. */
  public static Optional<Object> device(Path path) {
    try {
      return Optional.ofNullable(Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static void write(Path marker, String name) throws IOException {
    Path tmp = marker.resolveSibling(StorageTiers.MARKER + ".tmp");
    try (FileChannel ch = FileChannel.open(
        tmp,
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap((name + "\n").getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE);
    FileCopies.syncDirectory(marker.getParent());
  }
}
