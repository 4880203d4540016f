package io.heldar.core.clip.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a part as progressive MP4 with its index first. {@link #add} only plans: it spools the
 * sample tables to temporary files (one chunk per track per fragment) and remembers which samples
 * each segment gives. {@link #finish} writes ftyp, the moov from the spooled tables, the mdat
 * header, and then copies the media segment by segment, checking each segment still holds what
 * was planned ({@link SourceChangedException} otherwise). Heap stays at one segment's tables.
 */
final class ProgressiveWriter implements PartWriter, AutoCloseable {
  private final ClipOutput out;
  private final PartFormat format;
  private final TrackSpool video;
  private final TrackSpool audio;
  private final List<Planned> planned = new ArrayList<>();
  private long mdatBytes;
  private long videoEditStart = -1;

  /** What one segment gives: enough to find and check its samples again when copying. */
  private record Planned(
      Path file,
      long fileSize,
      long fingerprint,
      int v0,
      int v1,
      int a0,
      int a1,
      int[] fragments,
      int[] audioStarts) {}

  private final boolean sizing;

  /** {@code sizing}: count the media, never read it (the output is only being sized). */
  ProgressiveWriter(ClipOutput out, PartFormat format, Path spoolDir, boolean sizing)
      throws IOException {
    this.sizing = sizing;
    this.out = out;
    this.format = format;
    this.video = new TrackSpool(spoolDir);
    this.audio = format.hasAudio() ? new TrackSpool(spoolDir) : null;
  }

  /** One track's spooled tables and its last sample, held until the next one's time is known. */
  private static final class TrackSpool implements AutoCloseable {
    final SpooledTable stts;
    final SpooledTable ctts;
    final SpooledTable stss;
    final SpooledTable stsz;
    final SpooledTable stsc;
    final SpooledTable co64;
    long runCount;
    long runDelta = -1;
    long cttsCount;
    long cttsValue;
    boolean anyCto;
    boolean allSync = true;
    long samples;
    long lastChunkSamples = -1;
    long chunks;
    boolean pending;
    long pendingDts;
    long pendingDuration;
    long duration;

    TrackSpool(Path dir) throws IOException {
      stts = new SpooledTable(dir, 8);
      ctts = new SpooledTable(dir, 8);
      stss = new SpooledTable(dir, 4);
      stsz = new SpooledTable(dir, 4);
      stsc = new SpooledTable(dir, 12);
      co64 = new SpooledTable(dir, 8);
    }

    void sample(long dts, long duration, int size, int cto, boolean sync) throws IOException {
      if (pending) {
        delta(Math.max(1, dts - pendingDts));
      }
      pending = true;
      pendingDts = dts;
      pendingDuration = duration;
      samples++;
      stsz.add32(size);
      if (sync) {
        stss.add32(samples);
      } else {
        allSync = false;
      }
      anyCto |= cto != 0;
      if (cttsCount > 0 && cttsValue == cto) {
        cttsCount++;
      } else {
        if (cttsCount > 0) {
          ctts.add32(cttsCount, cttsValue);
        }
        cttsCount = 1;
        cttsValue = cto;
      }
    }

    private void delta(long d) throws IOException {
      duration += d;
      if (runCount > 0 && runDelta == d) {
        runCount++;
        return;
      }
      if (runCount > 0) {
        stts.add32(runCount, runDelta);
      }
      runCount = 1;
      runDelta = d;
    }

    void chunk(long offset, long count) throws IOException {
      chunks++;
      co64.add64(offset);
      if (count != lastChunkSamples) {
        stsc.add32(chunks, count, 1);
        lastChunkSamples = count;
      }
    }

    void end() throws IOException {
      if (pending) {
        delta(Math.max(1, pendingDuration));
        pending = false;
      }
      if (runCount > 0) {
        stts.add32(runCount, runDelta);
        runCount = 0;
      }
      if (cttsCount > 0) {
        ctts.add32(cttsCount, cttsValue);
        cttsCount = 0;
      }
    }

    MovieBoxes.TrackFacts facts(long editStart, long shift) {
      return new MovieBoxes.TrackFacts(
          duration,
          editStart,
          new MovieBoxes.Tables(
              stts, anyCto ? ctts : null, allSync ? null : stss, stsz, stsc, co64, shift));
    }

    @Override
    public void close() {
      for (SpooledTable t : List.of(stts, ctts, stss, stsz, stsc, co64)) {
        t.close();
      }
    }
  }

  @Override
  public int add(Selection s, FileChannel source) throws IOException {
    if (videoEditStart < 0) {
      videoEditStart = Math.max(0, s.videoCto(s.v0));
    }
    for (int f = 0; f < s.fragmentCount(); f++) {
      int v0 = s.fragments[f];
      int v1 = s.videoEnd(f);
      video.chunk(mdatBytes, v1 - v0);
      for (int i = v0; i < v1; i++) {
        video.sample(
            s.videoDts(i),
            s.videoDuration(i),
            s.video.size[i],
            (int) s.videoCto(i),
            s.video.sync[i]);
        mdatBytes += s.video.size[i];
      }
      if (audio != null) {
        int a0 = s.audioStarts[f];
        int a1 = s.audioEnd(f);
        if (a1 > a0) {
          audio.chunk(mdatBytes, a1 - a0);
          for (int i = a0; i < a1; i++) {
            audio.sample(s.audioDts(i), s.audioDuration(i), s.audio.size[i], 0, true);
            mdatBytes += s.audio.size[i];
          }
        }
      }
    }
    planned.add(new Planned(
        s.file, s.fileSize, s.fingerprint(), s.v0, s.v1, s.a0, s.a1, s.fragments, s.audioStarts));
    return s.fragmentCount();
  }

  @Override
  public void finish() throws IOException {
    if (planned.isEmpty()) {
      return;
    }
    video.end();
    if (audio != null) {
      audio.end();
    }
    Boxes ftyp = new Boxes();
    MovieBoxes.ftyp(ftyp, format, false);
    byte[] head = ftyp.toArray();
    // The moov's size does not depend on the chunk offsets (co64 entries are 8 bytes each), so
    // it is built once with a shift of 0 to learn its size, then with the real shift.
    long moovSize = moov(0).totalLength();
    long shift = head.length + moovSize + 16;
    out.write(head);
    moov(shift).writeTo(out);
    out.write(new Boxes().u32(1).fourcc("mdat").u64(16 + mdatBytes).toArray());
    if (sizing) {
      out.skip(mdatBytes);
      return;
    }
    ByteBuffer window =
        ByteBuffer.allocate(io.heldar.core.probe.internal.PositionalReader.MAX_WINDOW);
    for (Planned p : planned) {
      copy(p, window);
    }
  }

  private Boxes moov(long shift) {
    return MovieBoxes.moov(
        format, video.facts(videoEditStart, shift), audio == null ? null : audio.facts(0, shift));
  }

  private void copy(Planned p, ByteBuffer window) throws IOException {
    try (FileChannel ch = FileChannel.open(p.file(), StandardOpenOption.READ)) {
      SegmentMedia media;
      try {
        media = SegmentMedia.read(ch, window);
      } catch (RuntimeException e) {
        throw new SourceChangedException(p.file() + " cannot be read any more: " + e.getMessage());
      }
      SegmentMedia.Track v = media.video();
      SegmentMedia.Track a = format.hasAudio() ? media.audio() : null;
      if (v == null
          || (format.hasAudio() && a == null)
          || v.count < p.v1()
          || (a != null && a.count < p.a1())) {
        throw new SourceChangedException(p.file() + " no longer holds the planned samples");
      }
      Selection again = new Selection(
          p.file(),
          ch.size(),
          v,
          a,
          p.v0(),
          p.v1(),
          p.a0(),
          p.a1(),
          0,
          0,
          p.fragments(),
          p.audioStarts(),
          0,
          0);
      if (again.fingerprint() != p.fingerprint()) {
        throw new SourceChangedException(p.file() + " changed since the clip was planned");
      }
      for (int f = 0; f < again.fragmentCount(); f++) {
        out.copySamples(v, again.fragments[f], again.videoEnd(f), ch);
        if (a != null) {
          out.copySamples(a, again.audioStarts[f], again.audioEnd(f), ch);
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new SourceChangedException(p.file() + " vanished");
    }
  }

  @Override
  public void close() {
    video.close();
    if (audio != null) {
      audio.close();
    }
  }
}
