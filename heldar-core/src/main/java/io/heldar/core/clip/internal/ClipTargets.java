package io.heldar.core.clip.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The places parts go: files (temporary, then moved into place), one stream, or nowhere. */
public final class ClipTargets {
  private ClipTargets() {}

  /** Where part {@code part} of a clip written to {@code file} goes: part 1 at {@code file}. */
  public static Path partFile(Path file, int part) {
    if (part == 1) {
      return file;
    }
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    return file.resolveSibling(stem + "-" + part + ext);
  }

  /** Every part to its file. */
  public static ClipAssembler.Targets files(Path file) {
    return new ClipAssembler.Targets() {
      private final List<Path> temporary = new ArrayList<>();
      private final List<Path> placed = new ArrayList<>();
      private FileChannel channel;

      @Override
      public Optional<ClipOutput> open(int number) throws IOException {
        Path target = partFile(file, number);
        Path temp = Files.createTempFile(file.getParent(), "." + target.getFileName(), ".part");
        temporary.add(temp);
        channel = FileChannel.open(temp, StandardOpenOption.WRITE);
        return Optional.of(new ClipOutput(channel));
      }

      @Override
      public Optional<String> done(int number, ClipOutput out) throws IOException {
        out.flush();
        channel.force(true);
        out.close();
        Path temp = temporary.get(temporary.size() - 1);
        Path target = partFile(file, number);
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        temporary.remove(temp);
        placed.add(target);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
          dir.force(true);
        } catch (IOException e) {
          // some file systems do not sync directories; the file itself is on disk
        }
        return Optional.of(target.getFileName().toString());
      }

      @Override
      public void abandon() {
        try {
          if (channel != null) {
            channel.close();
          }
          for (Path p : temporary) {
            Files.deleteIfExists(p);
          }
          for (Path p : placed) {
            Files.deleteIfExists(p);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot remove a failed clip's files", e);
        }
        temporary.clear();
        placed.clear();
      }

      @Override
      public boolean canRetry() {
        return true;
      }
    };
  }

  /** Part {@code wanted} to {@code out}; the others counted only. */
  public static ClipAssembler.Targets stream(int wanted, OutputStream out) {
    return new ClipAssembler.Targets() {
      private boolean sent;

      @Override
      public Optional<ClipOutput> open(int number) {
        if (number != wanted) {
          return Optional.empty();
        }
        sent = true;
        return Optional.of(new ClipOutput(new java.io.FilterOutputStream(out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            out.flush(); // the caller's stream stays open
          }
        }));
      }

      @Override
      public Optional<String> done(int number, ClipOutput o) throws IOException {
        o.flush();
        return Optional.empty();
      }

      @Override
      public void abandon() {}

      @Override
      public boolean canRetry() {
        return !sent;
      }
    };
  }

  /** Every part counted and hashed, none written. */
  public static ClipAssembler.Targets measure() {
    return new ClipAssembler.Targets() {
      @Override
      public Optional<ClipOutput> open(int number) {
        return Optional.of(ClipOutput.discarding());
      }

      @Override
      public Optional<String> done(int number, ClipOutput out) {
        return Optional.empty();
      }

      @Override
      public void abandon() {}

      @Override
      public boolean canRetry() {
        return true;
      }
    };
  }
}
