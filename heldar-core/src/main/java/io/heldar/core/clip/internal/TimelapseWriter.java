package io.heldar.core.clip.internal;

import io.heldar.core.clip.ClipException;
import io.heldar.core.clip.TimelapseReport;
import io.heldar.core.clip.TimelapseRequest;
import io.heldar.core.model.SlotSnapshot;
import io.heldar.core.snapshot.Jpeg;
import io.heldar.core.store.HeldarStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes a time-lapse natively: each slot's JPEG becomes one sample of an MJPEG track in a
 * progressive MP4 (index first), the slots without a usable snapshot listed. Memory is one JPEG;
 * the index is spooled beside the file.
 */
public final class TimelapseWriter {
  /** Frames one time-lapse holds at most. */
  public static final int MAX_FRAMES = 200_000;

  private static final long TIMESCALE = 1000;
  private static final int MAX_JPEG = 32 << 20;

  private final HeldarStore store;
  private final Path snapshotsRoot;

  public TimelapseWriter(HeldarStore store, Path snapshotsRoot) {
    this.store = store;
    this.snapshotsRoot = snapshotsRoot.toAbsolutePath().normalize();
  }

  private record Frame(Path file, long size) {}

  /** Writes the time-lapse to {@code out} (temporary file, forced, moved into place). */
  public TimelapseReport write(TimelapseRequest r, Path out, Instant slotsUntil) {
    Duration interval = store
        .snapshotSchedules()
        .find(r.scheduleId())
        .filter(s -> s.cameraId().equals(r.cameraId()))
        .orElseThrow(() ->
            new ClipException("camera " + r.cameraId() + " has no schedule " + r.scheduleId()))
        .interval();
    long iv = interval.toMillis();
    long first = Math.floorDiv(r.from().toEpochMilli() + iv - 1, iv);
    Instant end = r.to().isBefore(slotsUntil) ? r.to() : slotsUntil;
    long last = Math.floorDiv(end.toEpochMilli() - 1, iv);
    if (last - first + 1 > MAX_FRAMES) {
      throw new ClipException("a time-lapse of " + (last - first + 1) + " slots; at most "
          + MAX_FRAMES + ": narrow the range");
    }
    List<Frame> frames = new ArrayList<>();
    List<TimelapseReport.MissingSlot> missing = new ArrayList<>();
    int[] size = null;
    Path target = out.toAbsolutePath().normalize();
    try (SpooledTable sizes = new SpooledTable(target.getParent(), 4);
        SpooledTable offsets = new SpooledTable(target.getParent(), 8)) {
      long mdat = 0;
      for (long k = first; k <= last; k++) {
        Instant slot = Instant.ofEpochMilli(k * iv);
        Optional<SlotSnapshot> shot = store.snapshots().forSlot(r.scheduleId(), slot);
        if (shot.isEmpty()) {
          missing.add(new TimelapseReport.MissingSlot(slot, "no snapshot"));
          continue;
        }
        Path file = snapshotsRoot.resolve(shot.get().snapshot().path()).normalize();
        String problem = null;
        byte[] jpeg = null;
        if (!file.startsWith(snapshotsRoot)) {
          problem = "its path leaves the snapshots root";
        } else {
          try {
            if (Files.size(file) > MAX_JPEG) {
              problem = "larger than " + MAX_JPEG + " bytes";
            } else {
              jpeg = Files.readAllBytes(file);
            }
          } catch (NoSuchFileException e) {
            problem = "its file is gone";
          } catch (IOException e) {
            problem = "cannot be read: " + e.getMessage();
          }
        }
        if (jpeg != null && !Jpeg.isComplete(jpeg)) {
          problem = Jpeg.describeProblem(jpeg);
        }
        int[] dims = jpeg == null || problem != null ? null : Jpeg.dimensions(jpeg);
        if (problem == null && dims == null) {
          problem = "a JPEG without a frame header";
        }
        if (problem == null && size != null && (dims[0] != size[0] || dims[1] != size[1])) {
          problem = "its picture is " + dims[0] + "x" + dims[1] + ", the time-lapse's " + size[0]
              + "x" + size[1];
        }
        if (problem != null) {
          missing.add(
              new TimelapseReport.MissingSlot(slot, shot.get().snapshot().path() + ": " + problem));
          continue;
        }
        size = size == null ? dims : size;
        frames.add(new Frame(file, jpeg.length));
        sizes.add32(jpeg.length);
        offsets.add64(mdat);
        mdat += jpeg.length;
      }
      if (frames.isEmpty()) {
        throw new io.heldar.core.clip.NoFootageException(
            "camera " + r.cameraId()
                + " has no usable snapshot of schedule " + r.scheduleId() + " in " + r.from() + ".."
                + r.to(),
            List.of());
      }
      return writeFile(r, target, frames, missing, size, sizes, offsets, mdat);
    } catch (IOException e) {
      throw new ClipException("time-lapse of " + r.cameraId() + ": " + e.getMessage(), e);
    }
  }

  private TimelapseReport writeFile(
      TimelapseRequest r,
      Path target,
      List<Frame> frames,
      List<TimelapseReport.MissingSlot> missing,
      int[] size,
      SpooledTable sizes,
      SpooledTable offsets,
      long mdat)
      throws IOException {
    long frameMs = Math.max(1, TIMESCALE / r.fps());
    long duration = frameMs * frames.size();
    Boxes head = new Boxes();
    head.open("ftyp")
        .fourcc("isom")
        .u32(0x200)
        .fourcc("isom")
        .fourcc("iso2")
        .fourcc("mp41")
        .close();
    byte[] ftyp = head.toArray();
    Boxes entry = new Boxes();
    entry
        .open("jpeg")
        .zeros(6)
        .u16(1)
        .zeros(16)
        .u16(size[0])
        .u16(size[1])
        .u32(0x00480000)
        .u32(0x00480000)
        .u32(0)
        .u16(1)
        .zeros(32)
        .u16(0x18)
        .u16(0xffff)
        .close();
    SpooledTable stts = new SpooledTable(target.getParent(), 8);
    SpooledTable stsc = new SpooledTable(target.getParent(), 12);
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
    try (stts;
        stsc) {
      stts.add32(frames.size(), frameMs);
      stsc.add32(1, 1, 1);
      long moovSize =
          moov(size, entry.toArray(), duration, stts, sizes, stsc, offsets, 0).totalLength();
      long shift = ftyp.length + moovSize + 16;
      long bytes;
      String sha;
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ClipOutput out = new ClipOutput(ch);
        try {
          out.write(ftyp);
          moov(size, entry.toArray(), duration, stts, sizes, stsc, offsets, shift)
              .writeTo(out);
          out.write(new Boxes().u32(1).fourcc("mdat").u64(16 + mdat).toArray());
          for (Frame f : frames) {
            byte[] jpeg = Files.readAllBytes(f.file());
            if (jpeg.length != f.size()) {
              throw new IOException(f.file() + " changed while the time-lapse was made");
            }
            out.write(jpeg);
          }
          sha = out.sha256Hex();
          out.flush();
          bytes = out.written();
        } finally {
          out.abandon();
        }
        ch.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return new TimelapseReport(
          r, target.getFileName().toString(), frames.size(), missing, size[0], size[1], bytes, sha);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static Boxes moov(
      int[] size,
      byte[] entry,
      long duration,
      SpooledTable stts,
      SpooledTable stsz,
      SpooledTable stsc,
      SpooledTable co64,
      long shift) {
    Boxes b = new Boxes();
    b.open("moov");
    b.open("mvhd", 0, 0).u32(0).u32(0).u32(TIMESCALE).u32(duration);
    b.u32(0x00010000).u16(0x0100).zeros(10).matrix().zeros(24).u32(2).close();
    b.open("trak");
    b.open("tkhd", 0, 3)
        .u32(0)
        .u32(0)
        .u32(1)
        .u32(0)
        .u32(duration)
        .zeros(8)
        .u16(0)
        .u16(0);
    b.u16(0).u16(0).matrix().u32((long) size[0] << 16).u32((long) size[1] << 16).close();
    b.open("mdia");
    b.open("mdhd", 0, 0)
        .u32(0)
        .u32(0)
        .u32(TIMESCALE)
        .u32(duration)
        .u16(0x55c4)
        .u16(0)
        .close();
    b.open("hdlr", 0, 0)
        .u32(0)
        .fourcc("vide")
        .zeros(12)
        .fourcc("Time")
        .fourcc("laps")
        .u8(0)
        .close();
    b.open("minf").open("vmhd", 0, 1).zeros(8).close();
    b.open("dinf").open("dref", 0, 0).u32(1).open("url ", 0, 1).close().close().close();
    b.open("stbl");
    b.open("stsd", 0, 0).u32(1).bytes(entry).close();
    b.open("stts", 0, 0).u32(stts.entries()).insert(stts).close();
    b.open("stsz", 0, 0).u32(0).u32(stsz.entries()).insert(stsz).close();
    b.open("stsc", 0, 0).u32(stsc.entries()).insert(stsc).close();
    b.open("co64", 0, 0)
        .u32(co64.entries())
        .insert(MovieBoxes.shifted(co64, shift))
        .close();
    b.close().close().close().close();
    return b.close();
  }
}
