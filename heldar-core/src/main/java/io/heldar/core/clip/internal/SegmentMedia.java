package io.heldar.core.clip.internal;

import io.heldar.core.probe.internal.Mp4Format.Malformed;
import io.heldar.core.probe.internal.Mp4Format.Truncated;
import io.heldar.core.probe.internal.Mp4Format.Unsupported;
import io.heldar.core.probe.internal.PositionalReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One MP4 or fragmented-MP4 segment's tracks with their whole sample tables (where each sample
 * lies, its size, decode time, duration, composition offset and whether it is a sync sample), read
 * through a {@link PositionalReader}. Memory is one segment's tables: at most {@link #MAX_SAMPLES}
 * samples, beyond which the segment is refused. Every count is checked against its box and every
 * sample against the file's size before it is used, so a crafted file cannot make the reader
 * allocate without bound, loop, or copy bytes from past its end.
 */
final class SegmentMedia {
  /** Samples one segment may hold (all tracks): 7 hours of 30 fps video with 48 kHz AAC. */
  static final int MAX_SAMPLES = 2_000_000;

  private static final int MAX_DEPTH = 10;
  private static final int MAX_ENTRY_BYTES = 1 << 20;
  private static final int MAX_BOXES = 1_000_000;

  /** A track: its sample description and its samples in decode order. */
  static final class Track {
    long id;
    String handler = "";
    long timescale;
    /** The sample description (the stsd entry, a whole box), copied verbatim into the clip. */
    byte[] entry;

    String entryType = "";
    int width;
    int height;
    /** The media time the first non-empty edit starts at (0 without an edit list). */
    long mediaStart;

    int count;
    long[] offset = new long[64];
    int[] size = new int[64];
    long[] dts = new long[64];
    int[] duration = new int[64];
    int[] cto = new int[64];
    boolean[] sync = new boolean[64];
    /** Which sample description each stsc run uses beyond the first, when any differs. */
    boolean severalEntries;

    boolean video() {
      return handler.equals("vide");
    }

    boolean audio() {
      return handler.equals("soun");
    }

    /** The codec, in ffprobe's words where the sample entry names it. */
    String codec() {
      return switch (entryType) {
        case "avc1", "avc3" -> "h264";
        case "hvc1", "hev1" -> "hevc";
        case "mp4a" -> "aac";
        case "jpeg", "mjpa" -> "mjpeg";
        case "av01" -> "av1";
        default -> entryType.trim();
      };
    }

    /**
     * The end of the run of samples from {@code i} that lie back to back in the file, up to
     * {@code to} (exclusive): samples {@code [i, runEnd)} are one read.
     */
    int runEnd(int i, int to) {
      long end = offset[i] + size[i];
      int j = i + 1;
      while (j < to && offset[j] == end) {
        end += size[j];
        j++;
      }
      return j;
    }

    /** The bytes of samples {@code [i, j)}, back to back in the file. */
    long runBytes(int i, int j) {
      return offset[j - 1] + size[j - 1] - offset[i];
    }

    /** The decode time just after the last sample. */
    long endDts() {
      return count == 0 ? 0 : dts[count - 1] + duration[count - 1];
    }

    /** Presentation time of sample {@code i}, edit applied, in the track's timescale. */
    long pts(int i) {
      return dts[i] + cto[i] - mediaStart;
    }

    void add(long off, long sz, long decode, long dur, long compositionOffset, boolean isSync) {
      if (count == offset.length) {
        int n = Math.min(Math.max(64, count * 2), MAX_SAMPLES);
        offset = Arrays.copyOf(offset, n);
        size = Arrays.copyOf(size, n);
        dts = Arrays.copyOf(dts, n);
        duration = Arrays.copyOf(duration, n);
        cto = Arrays.copyOf(cto, n);
        sync = Arrays.copyOf(sync, n);
      }
      if (sz > Integer.MAX_VALUE || dur > Integer.MAX_VALUE) {
        throw new Malformed("sample " + (count + 1) + " of track " + id + " is too large");
      }
      offset[count] = off;
      size[count] = (int) sz;
      dts[count] = decode;
      duration[count] = (int) dur;
      cto[count] = (int) compositionOffset;
      sync[count] = isSync;
      count++;
    }
  }

  private record Box(String type, long start, int header, long size) {
    long end() {
      return start + size;
    }

    long payload() {
      return start + header;
    }
  }

  private record Defaults(long duration, long size, long flags) {}

  final Map<Long, Track> tracks = new LinkedHashMap<>();
  private final Map<Long, Defaults> trex = new LinkedHashMap<>();
  private final PositionalReader r;
  private final long fileSize;
  private int boxes;
  private long samples;

  private SegmentMedia(PositionalReader r) {
    this.r = r;
    this.fileSize = r.size();
  }

  /**
   * Reads {@code channel}'s tracks and samples.
   *
   * @throws Truncated the file ends before its boxes or samples do
   * @throws Malformed the bytes contradict the format
   * @throws Unsupported not an MP4 file, or more than this reader reads
   */
  static SegmentMedia read(FileChannel channel, ByteBuffer window) throws IOException {
    SegmentMedia m = new SegmentMedia(new PositionalReader(channel, channel.size(), window));
    m.parse();
    return m;
  }

  /** The first video track with samples, if any. */
  Track video() {
    return tracks.values().stream()
        .filter(t -> t.video() && t.count > 0)
        .findFirst()
        .orElse(null);
  }

  /** The first audio track with samples, if any. */
  Track audio() {
    return tracks.values().stream()
        .filter(t -> t.audio() && t.count > 0)
        .findFirst()
        .orElse(null);
  }

  private void parse() throws IOException {
    if (fileSize < 8) {
      throw new Unsupported("too short for an MP4 file (" + fileSize + " bytes)");
    }
    List<Box> moofs = new ArrayList<>();
    boolean moov = false;
    long pos = 0;
    while (fileSize - pos >= 8) {
      Box b = box(pos, fileSize);
      if (pos == 0
          && !List.of("ftyp", "moov", "free", "skip", "styp", "wide", "mdat").contains(b.type())) {
        throw new Unsupported("not an ISO BMFF file (first box '" + b.type() + "')");
      }
      if (b.end() > fileSize && !b.type().equals("mdat")) {
        throw new Truncated("box '" + b.type() + "' at byte " + pos + " runs past the end");
      }
      if (b.type().equals("moov")) {
        moov = true;
        moov(b);
      } else if (b.type().equals("moof")) {
        moofs.add(b);
      }
      pos = Math.min(b.end(), fileSize);
    }
    if (!moov) {
      throw new Truncated("no moov box: the recording was not finished");
    }
    for (Box moof : moofs) {
      moof(moof);
    }
  }

  private Box box(long pos, long parentEnd) throws IOException {
    if (++boxes > MAX_BOXES) {
      throw new Malformed("more than " + MAX_BOXES + " boxes");
    }
    long size32 = r.u32(pos);
    String type = r.fourcc(pos + 4);
    int header = 8;
    long size = size32;
    if (size32 == 1) {
      size = r.u64(pos + 8);
      header = 16;
    } else if (size32 == 0) {
      size = parentEnd - pos;
    }
    if (size < header) {
      throw new Malformed("box '" + type + "' at byte " + pos + " is smaller than its header");
    }
    return new Box(type, pos, header, size);
  }

  private interface Visitor {
    void visit(Box child) throws IOException;
  }

  private void children(Box parent, long from, int depth, Visitor v) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new Malformed("boxes nested deeper than " + MAX_DEPTH);
    }
    long pos = from;
    while (parent.end() - pos >= 8) {
      Box c = box(pos, parent.end());
      if (c.end() > parent.end()) {
        throw new Malformed(
            "box '" + c.type() + "' extends past its parent '" + parent.type() + "'");
      }
      v.visit(c);
      pos = c.end();
    }
  }

  private void moov(Box moov) throws IOException {
    children(moov, moov.payload(), 1, c -> {
      switch (c.type()) {
        case "trak" -> {
          Track t = new Track();
          trak(t, c);
          tracks.put(t.id, t);
        }
        case "mvex" -> children(c, c.payload(), 2, x -> {
          if (x.type().equals("trex")) {
            trex.put(
                r.u32(x.payload() + 4),
                new Defaults(
                    r.u32(x.payload() + 12), r.u32(x.payload() + 16), r.u32(x.payload() + 20)));
          }
        });
        default -> {}
      }
    });
  }

  private void trak(Track t, Box trak) throws IOException {
    Box[] stbl = new Box[1];
    children(trak, trak.payload(), 2, c -> {
      switch (c.type()) {
        case "tkhd" -> {
          int version = r.u8(c.payload());
          t.id = r.u32(c.payload() + 4 + (version == 1 ? 16 : 8));
        }
        case "edts" -> children(c, c.payload(), 3, e -> {
          if (e.type().equals("elst")) {
            elst(t, e);
          }
        });
        case "mdia" -> children(c, c.payload(), 3, m -> {
          switch (m.type()) {
            case "mdhd" -> {
              int version = r.u8(m.payload());
              t.timescale = r.u32(m.payload() + 4 + (version == 1 ? 16 : 8));
            }
            case "hdlr" -> t.handler = r.fourcc(m.payload() + 8);
            case "minf" -> children(m, m.payload(), 4, s -> {
              if (s.type().equals("stbl")) {
                stbl[0] = s;
              }
            });
            default -> {}
          }
        });
        default -> {}
      }
    });
    if (t.timescale == 0 && (t.video() || t.audio())) {
      throw new Malformed("track " + t.id + " has timescale 0");
    }
    if (stbl[0] != null) {
      stbl(t, stbl[0]);
    }
  }

  private void elst(Track t, Box elst) throws IOException {
    int version = r.u8(elst.payload());
    long n = r.u32(elst.payload() + 4);
    int entry = version == 1 ? 20 : 12;
    long p = elst.payload() + 8;
    n = Math.min(n, (elst.end() - p) / entry);
    for (long i = 0; i < n; i++, p += entry) {
      long mediaTime = version == 1 ? r.s64(p + 8) : (int) r.u32(p + 4);
      if (mediaTime >= 0) {
        t.mediaStart = mediaTime;
        return;
      }
    }
  }

  private long count(Box b, long at, int entrySize) throws IOException {
    long n = r.u32(at);
    if (n > (b.end() - at - 4) / entrySize) {
      throw new Malformed("'" + b.type() + "' claims " + n + " entries, more than it holds");
    }
    return n;
  }

  private void spend(long n) {
    samples += n;
    if (samples > MAX_SAMPLES) {
      throw new Unsupported("more than " + MAX_SAMPLES + " samples in one segment");
    }
  }

  private void stbl(Track t, Box stbl) throws IOException {
    Map<String, Box> tables = new LinkedHashMap<>();
    children(stbl, stbl.payload(), 5, c -> tables.putIfAbsent(c.type(), c));
    Box stsd = tables.get("stsd");
    if (stsd == null) {
      throw new Malformed("track " + t.id + " has no stsd");
    }
    if (r.u32(stsd.payload() + 4) < 1) {
      throw new Malformed("stsd of track " + t.id + " has no sample entry");
    }
    Box e = box(stsd.payload() + 8, stsd.end());
    if (e.end() > stsd.end() || e.size() > MAX_ENTRY_BYTES) {
      throw new Malformed("the sample entry of track " + t.id + " does not fit its stsd");
    }
    t.entry = bytes(e.start(), (int) e.size());
    t.entryType = e.type();
    if (t.video() && e.size() >= 36) {
      t.width = r.u16(e.start() + 32);
      t.height = r.u16(e.start() + 34);
    }
    Box stts = tables.get("stts");
    Box stsz = tables.get("stsz");
    Box stsc = tables.get("stsc");
    Box stco = tables.containsKey("co64") ? tables.get("co64") : tables.get("stco");
    if (stts == null || stsz == null || stsc == null || stco == null) {
      if (tables.containsKey("stz2")) {
        throw new Unsupported("compact sample sizes (stz2)");
      }
      return; // no samples in the moov (a file of fragments)
    }
    long n = r.u32(stsz.payload() + 8);
    long fixed = r.u32(stsz.payload() + 4);
    if (fixed == 0) {
      count(stsz, stsz.payload() + 8, 4);
    }
    spend(n);
    // stts, ctts and stss are walked alongside the chunks, so nothing is allocated by a count.
    RunCursor durations = new RunCursor(stts, count(stts, stts.payload() + 4, 8), false);
    Box ctts = tables.get("ctts");
    RunCursor offsets =
        ctts == null ? null : new RunCursor(ctts, count(ctts, ctts.payload() + 4, 8), true);
    Box stss = tables.get("stss");
    long syncCount = stss == null ? 0 : count(stss, stss.payload() + 4, 4);
    long syncAt = 0;
    long nextSync = syncCount > 0 ? r.u32(stss.payload() + 8) : Long.MAX_VALUE;
    boolean wide = stco.type().equals("co64");
    long chunks = count(stco, stco.payload() + 4, wide ? 8 : 4);
    long scRuns = count(stsc, stsc.payload() + 4, 12);
    long sample = 0;
    long decode = 0;
    for (long i = 0; i < scRuns && sample < n; i++) {
      long p = stsc.payload() + 8 + 12 * i;
      long first = r.u32(p);
      long perChunk = r.u32(p + 4);
      long description = r.u32(p + 8);
      long next = i + 1 < scRuns ? r.u32(p + 12) : chunks + 1;
      if (first < 1 || next <= first || next > chunks + 1) {
        throw new Malformed("stsc of track " + t.id + " has runs out of order");
      }
      if (description != 1) {
        t.severalEntries = true;
      }
      for (long chunk = first; chunk < next && sample < n; chunk++) {
        long at = wide
            ? r.u64(stco.payload() + 8 + 8 * (chunk - 1))
            : r.u32(stco.payload() + 8 + 4 * (chunk - 1));
        for (long k = 0; k < perChunk && sample < n; k++, sample++) {
          long sz = fixed != 0 ? fixed : r.u32(stsz.payload() + 12 + 4 * sample);
          boolean sync = stss == null;
          if (sample + 1 == nextSync) {
            sync = true;
            syncAt++;
            long following = syncAt < syncCount ? r.u32(stss.payload() + 8 + 4 * syncAt) : 0;
            if (syncAt < syncCount && following <= nextSync) {
              throw new Malformed("stss of track " + t.id + " is not in ascending order");
            }
            nextSync = syncAt < syncCount ? following : Long.MAX_VALUE;
          }
          long dur = durations.next(t);
          add(t, at, sz, decode, dur, offsets == null ? 0 : offsets.next(t), sync);
          decode += dur;
          at += sz;
        }
      }
    }
    if (sample < n) {
      throw new Malformed(
          "the chunks of track " + t.id + " hold " + sample + " of " + n + " samples");
    }
    if (t.severalEntries) {
      throw new Unsupported("track " + t.id + " switches sample descriptions inside the file");
    }
  }

  /** Walks a table of (count, value) runs, one sample at a time. */
  private final class RunCursor {
    private final Box table;
    private final long runs;
    private final boolean signed;
    private long run = -1;
    private long left;
    private long value;

    RunCursor(Box table, long runs, boolean signed) {
      this.table = table;
      this.runs = runs;
      this.signed = signed;
    }

    long next(Track t) throws IOException {
      while (left == 0) {
        if (++run >= runs) {
          throw new Malformed("'" + table.type() + "' of track " + t.id
              + " covers fewer samples than the track has");
        }
        long p = table.payload() + 8 + 8 * run;
        left = r.u32(p);
        value = signed ? (int) r.u32(p + 4) : r.u32(p + 4);
      }
      left--;
      return value;
    }
  }

  /** Adds a sample after checking it lies inside the file. */
  private void add(
      Track t, long at, long size, long decode, long duration, long cto, boolean sync) {
    if (at < 0 || size < 0 || at + size > fileSize) {
      throw new Truncated("sample " + (t.count + 1) + " of track " + t.id + " lies past the end"
          + " of the file (" + fileSize + " bytes)");
    }
    t.add(at, size, decode, duration, cto, sync);
  }

  private byte[] bytes(long at, int length) throws IOException {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) r.u8(at + i);
    }
    return b;
  }

  /** Per traf: its track, defaults, where its data starts and the decode time it starts at. */
  private static final class Fragment {
    Track track;
    Defaults defaults;
    long base;
    long decode = -1;
  }

  private void moof(Box moof) throws IOException {
    children(moof, moof.payload(), 1, traf -> {
      if (!traf.type().equals("traf")) {
        return;
      }
      Fragment f = new Fragment();
      f.base = moof.start();
      children(traf, traf.payload(), 2, c -> {
        if (c.type().equals("tfhd")) {
          tfhd(c, f);
        } else if (c.type().equals("tfdt")) {
          int version = r.u8(c.payload());
          f.decode = version == 1 ? r.u64(c.payload() + 4) : r.u32(c.payload() + 4);
        }
      });
      if (f.track == null) {
        throw new Malformed("traf without tfhd");
      }
      long[] state = {f.decode >= 0 ? f.decode : f.track.endDts(), f.base};
      children(traf, traf.payload(), 2, c -> {
        if (c.type().equals("trun")) {
          trun(c, f, state);
        }
      });
    });
  }

  private void tfhd(Box c, Fragment f) throws IOException {
    long flags = r.u32(c.payload()) & 0xffffff;
    long id = r.u32(c.payload() + 4);
    f.track = tracks.get(id);
    if (f.track == null) {
      throw new Malformed("a fragment of unknown track " + id);
    }
    Defaults d = trex.getOrDefault(id, new Defaults(0, 0, 0));
    long duration = d.duration();
    long size = d.size();
    long sampleFlags = d.flags();
    long p = c.payload() + 8;
    if ((flags & 0x01) != 0) {
      f.base = r.u64(p);
      p += 8;
    }
    if ((flags & 0x02) != 0) {
      if (r.u32(p) != 1) {
        throw new Unsupported("a fragment using sample description " + r.u32(p));
      }
      p += 4;
    }
    if ((flags & 0x08) != 0) {
      duration = r.u32(p);
      p += 4;
    }
    if ((flags & 0x10) != 0) {
      size = r.u32(p);
      p += 4;
    }
    if ((flags & 0x20) != 0) {
      sampleFlags = r.u32(p);
    }
    f.defaults = new Defaults(duration, size, sampleFlags);
  }

  /** Reads one run; {@code state} is the next decode time and the next data offset. */
  private void trun(Box c, Fragment f, long[] state) throws IOException {
    Track t = f.track;
    int version = r.u8(c.payload());
    long flags = r.u32(c.payload()) & 0xffffff;
    long n = r.u32(c.payload() + 4);
    long p = c.payload() + 8;
    if ((flags & 0x01) != 0) {
      state[1] = f.base + (int) r.u32(p);
      p += 4;
    }
    long firstFlags = -1;
    if ((flags & 0x04) != 0) {
      firstFlags = r.u32(p);
      p += 4;
    }
    int per = 0;
    for (long bit : new long[] {0x100, 0x200, 0x400, 0x800}) {
      per += (flags & bit) != 0 ? 4 : 0;
    }
    if (per > 0 && n > (c.end() - p) / per) {
      throw new Malformed("trun claims " + n + " samples, more than it holds");
    }
    spend(n);
    for (long i = 0; i < n; i++) {
      long duration = f.defaults.duration();
      long size = f.defaults.size();
      long sampleFlags = i == 0 && firstFlags >= 0 ? firstFlags : f.defaults.flags();
      long cts = 0;
      if ((flags & 0x100) != 0) {
        duration = r.u32(p);
        p += 4;
      }
      if ((flags & 0x200) != 0) {
        size = r.u32(p);
        p += 4;
      }
      if ((flags & 0x400) != 0) {
        sampleFlags = i == 0 && firstFlags >= 0 ? firstFlags : r.u32(p);
        p += 4;
      }
      if ((flags & 0x800) != 0) {
        cts = version == 0 ? r.u32(p) : (int) r.u32(p);
        p += 4;
      }
      boolean sync = !t.video() || (sampleFlags & 0x10000) == 0;
      add(t, state[1], size, state[0], duration, cts, sync);
      state[0] += duration;
      state[1] += size;
    }
  }
}
