package io.heldar.core.internal;

import io.heldar.core.model.RelativePaths;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** File operations that cannot be led out of a root by a symbolic link swapped in meanwhile. */
public final class RootedFiles {
  private RootedFiles() {}

  /**
   * Deletes {@code root/path} if it is a regular file, and returns whether it was there ({@code
   * false}: already gone from a directory that is there).
   *
   * <p>Checking a path and then deleting it by name is a race: whoever can write inside the root
   * could swap a directory for a symbolic link between the two. So the directories are opened one by
   * one from the root, each relative to its parent and without following links ({@link
   * SecureDirectoryStream}, {@code openat(O_NOFOLLOW)} on Linux), and the file is removed relative to
   * the last one ({@code unlinkat}): whatever is swapped meanwhile, nothing outside the root is
   * reached.
   *
   * @throws IOException a directory on the way is missing or a link, the path is not a regular file,
   *     the platform cannot delete relative to an open directory, or the deletion failed
   */
  public static boolean delete(Path root, String path) throws IOException {
    RelativePaths.requireRelative(path);
    String[] parts = path.split("/");
    try (DirectoryStream<Path> rootStream = Files.newDirectoryStream(root)) {
      if (!(rootStream instanceof SecureDirectoryStream<Path> top)) {
        throw new IOException(
            "this platform cannot delete relative to an open directory (no SecureDirectoryStream); "
                + "Heldar refuses to delete by path");
      }
      List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
      try {
        SecureDirectoryStream<Path> dir = top;
        for (int i = 0; i < parts.length - 1; i++) {
          try {
            dir = dir.newDirectoryStream(Path.of(parts[i]), LinkOption.NOFOLLOW_LINKS);
          } catch (FileSystemException e) {
            String which = "directory " + String.join("/", Arrays.copyOf(parts, i + 1));
            throw new IOException(
                e instanceof NoSuchFileException
                    ? which + " is missing"
                    : which + " cannot be opened without following links (" + e.getReason() + ")",
                e);
          }
          opened.add(dir);
        }
        Path name = Path.of(parts[parts.length - 1]);
        BasicFileAttributes a;
        try {
          a = dir.getFileAttributeView(
                  name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
              .readAttributes();
        } catch (NoSuchFileException e) {
          return false;
        }
        if (!a.isRegularFile()) {
          throw new IOException("not a regular file");
        }
        try {
          dir.deleteFile(name);
        } catch (NoSuchFileException alreadyGone) {
          return false; // removed by someone else since we looked
        }
        return true;
      } finally {
        for (SecureDirectoryStream<Path> d : opened) {
          d.close();
        }
      }
    }
  }
}
