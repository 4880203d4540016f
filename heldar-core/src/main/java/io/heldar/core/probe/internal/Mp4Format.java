package io.heldar.core.probe.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ISO BMFF (MP4/MOV) parser that reads box headers and the few tables it needs — never the
 * media data — through a {@link PositionalReader}. Every count and size read from the file is
 * checked against the bounds of its box before use; nothing is allocated by a size the file states.
 */
public final class Mp4Format {
  /** The file ends before a box or its data does: an unfinished or cut recording. */
  public static final class Truncated extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Truncated(String m) {
      super(m, null, false, false);
    }
  }

  /** The bytes contradict the format. */
  public static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Malformed(String m) {
      super(m, null, false, false);
    }
  }

  /** Not something this parser reads (another container, an unknown codec). */
  public static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Unsupported(String m) {
      super(m, null, false, false);
    }
  }

  private static final int MAX_DEPTH = 10;
  private static final long MAX_BOXES = 2_000_000;
  /**
   * Sample-table entries (stts, stsz, stz2, trun, sidx) one file may make the parser read. A day of
   * 30 fps video with 48 kHz AAC audio needs about 6.7 million; beyond this the file is left to the
   * fallback probe, so no file can make the native probe work without bound.
   */
  static final long MAX_TABLE_ENTRIES = 8_000_000;

  /** A box: its type, where it starts, its header length and its total size. */
  record Box(String type, long start, int header, long size) {
    long end() {
      return start + size;
    }

    long payload() {
      return start + header;
    }
  }

  /** An edit of an edit list, in the movie timescale ({@code mediaTime} in the track's). */
  record Edit(long segmentDuration, long mediaTime) {
    boolean empty() {
      return mediaTime == -1;
    }

    /** A segment duration of 0 (fragmented files) or all ones means "to the end of the media". */
    boolean openEnded() {
      return segmentDuration == 0 || segmentDuration == ALL_ONES_32 || segmentDuration == -1;
    }
  }

  /** At most this many edits per track; real files have one to three. */
  static final int MAX_EDITS = 64;
  /** A 32-bit duration of all ones: "unknown". */
  static final long ALL_ONES_32 = 0xffffffffL;

  /** A chunk-offset, sample-to-chunk or sample-size table, kept by position for a later check. */
  record Table(String type, long payload, long end) {}

  /** Per-track facts, in the track's timescale unless said otherwise. */
  static final class Track {
    long id;
    String handler = "";
    long timescale;
    String sampleEntry = "";
    String codec;
    int width;
    int height;
    /** Samples in the moov's tables, their total duration, their total size. */
    long samples;

    long sttsDuration;
    long sampleBytes;
    long tkhdWidth;
    long tkhdHeight;
    /** Composition offset of the first sample in the moov's tables (ctts). */
    long firstCompositionOffset;
    /** The edit list, if the track has one. */
    final List<Edit> edits = new ArrayList<>();
    /** The sample descriptions, in stsd order. */
    final List<SampleEntry> entries = new ArrayList<>();

    boolean hasEdits;
    Table chunkOffsets;
    Table sampleToChunk;
    Table sampleSizes;
    // fragmented
    long fragSamples;
    long fragBytes;
    /** The fragments' sample durations added up (overlaps included). */
    long fragDuration;
    /** Decode time where the next fragment without a tfdt starts. */
    long fragRunning = -1;
    /** Earliest fragment start and latest fragment end (decode time). */
    long fragStart = Long.MAX_VALUE;

    long fragEnd = Long.MIN_VALUE;
    /** Composition offset of the first fragment sample, when the moov has no samples. */
    long firstFragmentCompositionOffset;

    boolean sawFragmentSample;

    boolean video() {
      return handler.equals("vide");
    }

    boolean audio() {
      return handler.equals("soun");
    }

    boolean hasSamples() {
      return samples + fragSamples > 0;
    }
  }

  /** trex defaults of a track: sample duration and size. */
  record TrackDefaults(long duration, long size) {}

  /** What the parse found. */
  static final class Movie {
    long timescale;
    final Map<Long, Track> tracks = new LinkedHashMap<>();
    /** trex defaults by track id, wherever mvex stands in the moov. */
    final Map<Long, TrackDefaults> trex = new LinkedHashMap<>();

    final List<Box> mdats = new ArrayList<>();
    final List<Box> moofs = new ArrayList<>();
    boolean hasMoov;
    boolean fragmented;
    double sidxSeconds;
    String brand = "";
    /** The last top-level box claims this many bytes past the end of the file (0 when it does not). */
    long overshoot;

    Box overshooting;
  }

  private final PositionalReader r;
  private long boxes;
  private long entries;

  Mp4Format(PositionalReader r) {
    this.r = r;
  }

  Movie parse() throws IOException {
    Movie m = new Movie();
    long size = r.size();
    if (size < 8) {
      throw new Unsupported("too short for an MP4 file (" + size + " bytes)");
    }
    String first = r.fourcc(4);
    if (!List.of(
            "ftyp", "moov", "mdat", "free", "skip", "wide", "styp", "sidx", "moof", "pdin", "uuid")
        .contains(first)) {
      throw new Unsupported("not an ISO BMFF file (first box '" + first + "')");
    }
    long pos = 0;
    while (pos < size) {
      if (size - pos < 8) {
        throw new Truncated("a box header is cut off at byte " + pos);
      }
      Box b = box(pos, Long.MAX_VALUE);
      if (b.end() > size && b.type().equals("mdat") && b.payload() <= size) {
        // A last mdat whose header claims more than the file holds: incomplete only if some sample
        // lies past the end, which describe() checks once the tables are read.
        m.overshoot = b.end() - size;
        m.overshooting = b;
        m.mdats.add(new Box(b.type(), b.start(), b.header(), size - b.start()));
        pos = size;
        continue;
      }
      if (b.end() > size) {
        throw new Truncated("box '" + b.type() + "' at byte " + pos + " needs " + b.size()
            + " bytes but the file ends " + (size - pos) + " bytes after it starts");
      }
      switch (b.type()) {
        case "ftyp" -> m.brand = r.fourcc(b.payload());
        case "moov" -> {
          m.hasMoov = true;
          moov(m, b);
        }
        case "mdat" -> m.mdats.add(b);
        case "moof" -> {
          m.fragmented = true;
          m.moofs.add(b);
        }
        case "sidx" -> m.sidxSeconds += sidx(b);
        default -> {}
      }
      pos = b.end();
    }
    if (!m.hasMoov) {
      if (!m.mdats.isEmpty() || !m.moofs.isEmpty()) {
        throw new Truncated("no moov box: the recording was not finished");
      }
      throw new Malformed("no moov box");
    }
    for (Box moof : m.moofs) {
      moof(m, moof);
    }
    return m;
  }

  private Box box(long pos, long parentEnd) throws IOException {
    if (++boxes > MAX_BOXES) {
      throw new Malformed("more than " + MAX_BOXES + " boxes");
    }
    long size32 = r.u32(pos);
    String type = r.fourcc(pos + 4);
    int header = 8;
    long size;
    if (size32 == 1) {
      size = r.u64(pos + 8);
      header = 16;
    } else if (size32 == 0) {
      size = (parentEnd == Long.MAX_VALUE ? r.size() : parentEnd) - pos;
    } else {
      size = size32;
    }
    if (size < header) {
      throw new Malformed(
          "box '" + type + "' at byte " + pos + " has size " + size + ", less than its header");
    }
    if (type.equals("uuid")) {
      header += 16;
      if (size < header) {
        throw new Malformed("uuid box at byte " + pos + " too small");
      }
    }
    return new Box(type, pos, header, size);
  }

  private interface ChildVisitor {
    void visit(Box child) throws IOException;
  }

  private void children(Box parent, long from, int depth, ChildVisitor v) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new Malformed("boxes nested deeper than " + MAX_DEPTH);
    }
    long pos = from;
    long end = parent.end();
    while (end - pos >= 8) {
      Box c = box(pos, end);
      if (c.end() > end) {
        throw new Malformed("box '" + c.type() + "' at byte " + pos + " extends past its parent '"
            + parent.type() + "'");
      }
      v.visit(c);
      pos = c.end();
    }
  }

  private void moov(Movie m, Box moov) throws IOException {
    children(moov, moov.payload(), 1, c -> {
      switch (c.type()) {
        case "mvhd" -> {
          // Only the timescale, for edit lists: the duration is derived from the tracks, as ffprobe
          // does, and an all-ones ("unknown") header duration is therefore never taken literally.
          int version = r.u8(c.payload());
          m.timescale = r.u32(c.payload() + 4 + (version == 1 ? 16 : 8));
        }
        case "trak" -> {
          Track t = trak(c);
          m.tracks.put(t.id, t);
        }
        case "cmov" -> throw new Unsupported(
            "a compressed movie header (cmov): the native probe does not inflate it");
        case "mvex" -> children(c, c.payload(), 2, x -> {
          if (x.type().equals("trex")) {
            // Kept by track id: mvex may stand before the trak boxes (GPAC writes it there).
            m.trex.put(
                r.u32(x.payload() + 4),
                new TrackDefaults(r.u32(x.payload() + 12), r.u32(x.payload() + 16)));
          }
        });
        default -> {}
      }
    });
  }

  private Track trak(Box trak) throws IOException {
    Track t = new Track();
    children(trak, trak.payload(), 2, c -> {
      if (c.type().equals("tkhd")) {
        int version = r.u8(c.payload());
        long p = c.payload() + 4;
        t.id = version == 1 ? r.u32(p + 16) : r.u32(p + 8);
        long dims = c.end() - 8;
        if (dims >= p) {
          t.tkhdWidth = r.u32(dims) >>> 16;
          t.tkhdHeight = r.u32(dims + 4) >>> 16;
        }
      } else if (c.type().equals("edts")) {
        children(c, c.payload(), 3, e -> {
          if (e.type().equals("elst")) {
            elst(t, e);
          }
        });
      } else if (c.type().equals("mdia")) {
        mdia(t, c);
      }
    });
    return t;
  }

  private void elst(Track t, Box elst) throws IOException {
    int version = r.u8(elst.payload());
    long n = r.u32(elst.payload() + 4);
    long p = elst.payload() + 8;
    int entrySize = version == 1 ? 20 : 12;
    // A count larger than the box holds: the entries that are there are read, as ffprobe does.
    n = Math.min(n, Math.max(0, (elst.end() - p) / entrySize));
    if (n > MAX_EDITS) {
      throw new Unsupported(
          "an edit list of " + n + " edits (the native probe reads up to " + MAX_EDITS + ")");
    }
    spend(elst, n);
    t.hasEdits = n > 0;
    for (long i = 0; i < n; i++, p += entrySize) {
      // Version 1 stores both as 64 bits; media_time is signed (-1: an empty edit) and a duration
      // of all ones means "to the end", like the 32-bit one.
      long duration = version == 1 ? r.s64(p) : r.u32(p);
      long mediaTime = version == 1 ? r.s64(p + 8) : (int) r.u32(p + 4);
      if (duration < -1 || mediaTime < -1) {
        throw new Malformed("edit list entry " + (i + 1) + " of track " + t.id
            + " has a negative duration or media time");
      }
      t.edits.add(new Edit(duration, mediaTime));
    }
  }

  private void mdia(Track t, Box mdia) throws IOException {
    children(mdia, mdia.payload(), 3, c -> {
      switch (c.type()) {
        case "mdhd" -> {
          int version = r.u8(c.payload());
          long p = c.payload() + 4;
          // The header's duration is not used: an init segment states one for samples it does not
          // have, a fragmented file may state the whole, and "unknown" is all ones.
          t.timescale = r.u32(p + (version == 1 ? 16 : 8));
        }
        case "hdlr" -> t.handler = r.fourcc(c.payload() + 8);
        case "minf" -> children(c, c.payload(), 4, m -> {
          if (m.type().equals("stbl")) {
            stbl(t, m);
            chooseSampleEntry(t);
          }
        });
        default -> {}
      }
    });
  }

  private void stbl(Track t, Box stbl) throws IOException {
    children(stbl, stbl.payload(), 5, c -> {
      switch (c.type()) {
        case "stsd" -> stsd(t, c);
        case "stts" -> {
          long n = r.u32(c.payload() + 4);
          long p = c.payload() + 8;
          requireFits(c, p, n, 8);
          long samples = 0;
          long duration = 0;
          for (long i = 0; i < n; i++, p += 8) {
            long count = r.u32(p);
            long delta = r.u32(p + 4);
            samples = Math.addExact(samples, count);
            duration = Math.addExact(duration, Math.multiplyExact(count, delta));
          }
          t.samples = samples;
          t.sttsDuration = duration;
        }
        case "ctts" -> {
          long n = r.u32(c.payload() + 4);
          if (n > 0 && c.end() - (c.payload() + 8) >= 8) {
            t.firstCompositionOffset =
                (int) r.u32(c.payload() + 12); // signed in version 1, small in practice
          }
        }
        case "stco", "co64" -> t.chunkOffsets = new Table(c.type(), c.payload(), c.end());
        case "stsc" -> t.sampleToChunk = new Table(c.type(), c.payload(), c.end());
        case "stsz" -> {
          t.sampleSizes = new Table(c.type(), c.payload(), c.end());
          long fixed = r.u32(c.payload() + 4);
          long n = r.u32(c.payload() + 8);
          if (fixed != 0) {
            t.sampleBytes = Math.multiplyExact(fixed, n);
          } else {
            long p = c.payload() + 12;
            requireFits(c, p, n, 4);
            long sum = 0;
            for (long i = 0; i < n; i++, p += 4) {
              sum = Math.addExact(sum, r.u32(p));
            }
            t.sampleBytes = sum;
          }
        }
        case "stz2" -> {
          t.sampleSizes = new Table(c.type(), c.payload(), c.end());
          int field = r.u8(c.payload() + 7);
          long n = r.u32(c.payload() + 8);
          long p = c.payload() + 12;
          if (field != 4 && field != 8 && field != 16) {
            throw new Malformed("stz2 field size " + field);
          }
          if (Math.multiplyExact(n, field) / 8 > c.end() - p) {
            throw new Malformed("stz2 claims more entries than it holds");
          }
          spend(c, n);
          long sum = 0;
          for (long i = 0; i < n; i++) {
            sum += switch (field) {
              case 4 -> (r.u8(p + i / 2) >> ((i % 2 == 0) ? 4 : 0)) & 0xf;
              case 8 -> r.u8(p + i);
              default -> r.u16(p + 2 * i);
            };
          }
          t.sampleBytes = sum;
        }
        default -> {}
      }
    });
  }

  private void requireFits(Box b, long from, long count, int entrySize) {
    fits(b.type(), from, b.end(), count, entrySize);
  }

  private void fits(String type, long from, long end, long count, int entrySize) {
    if (count < 0 || count > (end - from) / entrySize) {
      throw new Malformed("'" + type + "' claims " + count + " entries but holds "
          + Math.max(0, (end - from) / entrySize));
    }
    spend(type, count);
  }

  /** Counts table entries about to be read against {@link #MAX_TABLE_ENTRIES}. */
  private void spend(Box b, long count) {
    spend(b.type(), count);
  }

  private void spend(String type, long count) {
    entries += count;
    if (entries > MAX_TABLE_ENTRIES) {
      throw new Unsupported("sample tables larger than the native probe reads (more than "
          + MAX_TABLE_ENTRIES + " entries, at '" + type + "')");
    }
  }

  /** Sample descriptions read per track at most; real files have one, rarely two. */
  static final int MAX_SAMPLE_ENTRIES = 16;

  /** The size of a codec configuration box read at most (an avcC or hvcC is a few hundred bytes). */
  static final int MAX_CONFIG_BYTES = 64 * 1024;

  /** One sample description: its codec and picture size, or why its codec is not read. */
  record SampleEntry(String type, String codec, int width, int height, String unsupported) {}

  private void stsd(Track t, Box stsd) throws IOException {
    long n = r.u32(stsd.payload() + 4);
    if (n < 1) {
      throw new Malformed("stsd has no sample entry");
    }
    long pos = stsd.payload() + 8;
    if (stsd.end() - pos < 8) {
      throw new Malformed("stsd too small");
    }
    for (long i = 0; i < Math.min(n, MAX_SAMPLE_ENTRIES) && stsd.end() - pos >= 8; i++) {
      Box entry = box(pos, stsd.end());
      if (entry.end() > stsd.end()) {
        throw new Malformed("sample entry extends past stsd");
      }
      t.entries.add(sampleEntry(t, entry));
      pos = entry.end();
    }
  }

  private SampleEntry sampleEntry(Track t, Box entry) throws IOException {
    int width = 0;
    int height = 0;
    String codec = null;
    String unsupported = null;
    try {
      if (t.video()) {
        if (entry.size() >= 86) {
          width = r.u16(entry.start() + 32);
          height = r.u16(entry.start() + 34);
          Optional<CodecConfig.PictureSize> configured = configuredSize(entry, entry.start() + 86);
          if (configured.isPresent()) {
            width = configured.get().width();
            height = configured.get().height();
          }
        }
        codec = videoCodec(entry, entry.start() + 86);
      } else if (t.audio()) {
        long childrenAt = entry.start() + 36;
        if (entry.size() >= 28) {
          int qtVersion = r.u16(entry.start() + 16);
          childrenAt += qtVersion == 1 ? 16 : qtVersion == 2 ? 36 : 0;
        }
        codec = audioCodec(entry, childrenAt);
      }
    } catch (Unsupported e) {
      unsupported = e.getMessage();
    }
    return new SampleEntry(entry.type(), codec, width, height, unsupported);
  }

  /** The picture size an avcC or hvcC among the sample entry's children states, if any. */
  private Optional<CodecConfig.PictureSize> configuredSize(Box entry, long childrenAt)
      throws IOException {
    if (childrenAt >= entry.end()) {
      return Optional.empty();
    }
    List<Optional<CodecConfig.PictureSize>> found = new ArrayList<>();
    try {
      children(entry, childrenAt, 7, c -> {
        boolean avc = c.type().equals("avcC");
        if (found.isEmpty() && (avc || c.type().equals("hvcC"))) {
          long length = c.end() - c.payload();
          if (length > 0 && length <= MAX_CONFIG_BYTES) {
            byte[] bytes = new byte[(int) length];
            for (int i = 0; i < bytes.length; i++) {
              bytes[i] = (byte) r.u8(c.payload() + i);
            }
            found.add(avc ? CodecConfig.avc(bytes) : CodecConfig.hevc(bytes));
          }
        }
      });
    } catch (Malformed e) {
      return Optional.empty(); // the children of a sample entry are not always boxes (QuickTime)
    }
    return found.isEmpty() ? Optional.empty() : found.get(0);
  }

  /**
   * Takes the sample description the first samples use (the first stsc run's index; the first
   * description in a file of fragments), after checking the sample-to-chunk table against the
   * chunk offsets and the descriptions: a run starting past the last chunk, runs out of order or
   * an index past the descriptions are malformed.
   */
  private void chooseSampleEntry(Track t) throws IOException {
    if (t.entries.isEmpty()) {
      return;
    }
    long index = 1;
    if (t.sampleToChunk != null) {
      Table sc = t.sampleToChunk;
      long runs = r.u32(sc.payload() + 4);
      fits(sc.type(), sc.payload() + 8, sc.end(), runs, 12);
      long chunks = -1;
      if (t.chunkOffsets != null) {
        chunks = r.u32(t.chunkOffsets.payload() + 4);
      }
      long previous = 0;
      for (long i = 0; i < runs; i++) {
        long first = r.u32(sc.payload() + 8 + 12 * i);
        long description = r.u32(sc.payload() + 16 + 12 * i);
        if (first <= previous) {
          throw new Malformed("stsc of track " + t.id + ": run " + (i + 1) + " starts at chunk "
              + first + ", not after the run before it");
        }
        if (chunks >= 0 && first > chunks) {
          throw new Malformed("stsc of track " + t.id + ": run " + (i + 1) + " starts at chunk "
              + first + " but the track has " + chunks + " chunks");
        }
        if (description < 1 || description > t.entries.size()) {
          throw new Malformed("stsc of track " + t.id + ": run " + (i + 1)
              + " uses sample description " + description + " of " + t.entries.size());
        }
        if (i == 0) {
          index = description;
        }
        previous = first;
      }
    }
    SampleEntry e = t.entries.get((int) index - 1);
    if (e.unsupported() != null) {
      throw new Unsupported(e.unsupported());
    }
    t.sampleEntry = e.type();
    t.codec = e.codec();
    t.width = e.width();
    t.height = e.height();
  }

  private String videoCodec(Box entry, long childrenAt) throws IOException {
    return switch (entry.type()) {
      case "avc1", "avc2", "avc3", "avc4" -> "h264";
      case "hvc1", "hev1" -> "hevc";
      case "av01" -> "av1";
      case "vp08" -> "vp8";
      case "vp09" -> "vp9";
      case "jpeg", "mjpa", "mjpb", "MJPG", "AVDJ" -> "mjpeg";
      case "s263", "h263" -> "h263";
      case "mp4v" -> {
        int oti = objectType(entry, childrenAt).orElse(0x20);
        yield switch (oti) {
          case 0x20 -> "mpeg4";
          case 0x21 -> "h264";
          case 0x6c -> "mjpeg";
          case 0x6a -> "mpeg1video";
          case 0x60, 0x61, 0x62, 0x63, 0x64, 0x65 -> "mpeg2video";
          default -> throw new Unsupported("mp4v with object type 0x" + Integer.toHexString(oti));
        };
      }
      default -> throw new Unsupported("video sample entry '" + entry.type() + "'");
    };
  }

  private String audioCodec(Box entry, long childrenAt) throws IOException {
    return switch (entry.type()) {
      case "mp4a" -> {
        int oti = objectType(entry, childrenAt).orElse(0x40);
        yield switch (oti) {
          case 0x69, 0x6b -> "mp3";
          case 0xa5 -> "ac3";
          case 0xa6 -> "eac3";
          case 0xdd -> "vorbis";
          default -> "aac";
        };
      }
      case "ac-3" -> "ac3";
      case "ec-3" -> "eac3";
      case "Opus" -> "opus";
      case "fLaC" -> "flac";
      case "alaw" -> "pcm_alaw";
      case "ulaw" -> "pcm_mulaw";
      case "samr" -> "amr_nb";
      case "sawb" -> "amr_wb";
      case ".mp3" -> "mp3";
      case "twos" -> "pcm_s16be";
      case "sowt" -> "pcm_s16le";
      default -> entry.type().trim();
    };
  }

  /** The objectTypeIndication of the esds box among a sample entry's children, if there is one. */
  private Optional<Integer> objectType(Box entry, long childrenAt) throws IOException {
    if (childrenAt >= entry.end()) {
      return Optional.empty();
    }
    int[] found = {-1};
    children(entry, childrenAt, 7, c -> {
      if (c.type().equals("esds") && found[0] < 0) {
        found[0] = esdsObjectType(c).orElse(-1);
      }
    });
    return found[0] < 0 ? Optional.empty() : Optional.of(found[0]);
  }

  private Optional<Integer> esdsObjectType(Box esds) throws IOException {
    long p = esds.payload() + 4;
    long end = esds.end();
    if (p >= end || r.u8(p) != 0x03) {
      return Optional.empty();
    }
    p = skipDescriptorLength(p + 1, end);
    p += 2; // ES_ID
    if (p >= end) {
      return Optional.empty();
    }
    int flags = r.u8(p++);
    if ((flags & 0x80) != 0) {
      p += 2;
    }
    if ((flags & 0x40) != 0) {
      if (p >= end) {
        return Optional.empty();
      }
      p += 1 + r.u8(p);
    }
    if ((flags & 0x20) != 0) {
      p += 2;
    }
    if (p >= end || r.u8(p) != 0x04) {
      return Optional.empty();
    }
    p = skipDescriptorLength(p + 1, end);
    return p < end ? Optional.of(r.u8(p)) : Optional.empty();
  }

  private long skipDescriptorLength(long p, long end) throws IOException {
    for (int i = 0; i < 4 && p < end; i++) {
      if ((r.u8(p++) & 0x80) == 0) {
        break;
      }
    }
    return p;
  }

  private double sidx(Box b) throws IOException {
    int version = r.u8(b.payload());
    long timescale = r.u32(b.payload() + 8);
    long p = b.payload() + 12 + (version == 0 ? 8 : 16) + 2;
    int count = r.u16(p);
    p += 2;
    requireFits(b, p, count, 12);
    if (timescale == 0) {
      throw new Malformed("sidx timescale 0");
    }
    long total = 0;
    for (int i = 0; i < count; i++, p += 12) {
      total = Math.addExact(total, r.u32(p + 4));
    }
    return (double) total / timescale;
  }

  /** Per traf: the track, its defaults, its base data offset and where its samples start in time. */
  private static final class TrackFragment {
    Track track;
    long duration;
    long size;
    long baseOffset;
    long decodeTime = -1;
  }

  private void moof(Movie m, Box moof) throws IOException {
    children(moof, moof.payload(), 1, traf -> {
      if (!traf.type().equals("traf")) {
        return;
      }
      TrackFragment f = new TrackFragment();
      f.baseOffset = moof.start();
      // tfhd and tfdt first, wherever they stand among the traf's children, then the runs.
      children(traf, traf.payload(), 2, c -> {
        switch (c.type()) {
          case "tfhd" -> tfhd(m, c, f);
          case "tfdt" -> {
            int version = r.u8(c.payload());
            f.decodeTime = version == 1 ? r.u64(c.payload() + 4) : r.u32(c.payload() + 4);
            if (f.decodeTime < 0) {
              throw new Malformed("tfdt decode time " + Long.toUnsignedString(f.decodeTime));
            }
          }
          default -> {}
        }
      });
      if (f.track == null) {
        throw new Malformed("traf without tfhd");
      }
      Track t = f.track;
      if (t.fragRunning < 0) {
        t.fragRunning = t.sttsDuration; // fragments continue the moov's samples
      }
      long start = f.decodeTime >= 0 ? f.decodeTime : t.fragRunning;
      long[] time = {start};
      children(traf, traf.payload(), 2, c -> {
        if (c.type().equals("trun")) {
          time[0] = Math.addExact(time[0], trun(c, f));
        }
      });
      if (time[0] > start || f.decodeTime >= 0) {
        // Fragments that overlap (a repeated or re-sent fragment) cover the same time once.
        t.fragStart = Math.min(t.fragStart, start);
        t.fragEnd = Math.max(t.fragEnd, time[0]);
      }
      t.fragRunning = time[0];
    });
  }

  private void tfhd(Movie m, Box c, TrackFragment f) throws IOException {
    long flags = r.u32(c.payload()) & 0xffffff;
    long id = r.u32(c.payload() + 4);
    Track t = m.tracks.get(id);
    if (t == null) {
      throw new Malformed("fragment of unknown track " + id);
    }
    f.track = t;
    TrackDefaults d = m.trex.getOrDefault(id, new TrackDefaults(0, 0));
    f.duration = d.duration();
    f.size = d.size();
    long p = c.payload() + 8;
    if ((flags & 0x01) != 0) {
      f.baseOffset = r.u64(p);
      p += 8;
    }
    if ((flags & 0x02) != 0) {
      p += 4;
    }
    if ((flags & 0x08) != 0) {
      f.duration = r.u32(p);
      p += 4;
    }
    if ((flags & 0x10) != 0) {
      f.size = r.u32(p);
    }
  }

  /** Reads one run; returns its duration. */
  private long trun(Box trun, TrackFragment f) throws IOException {
    Track t = f.track;
    int version = r.u8(trun.payload());
    long flags = r.u32(trun.payload()) & 0xffffff;
    long n = r.u32(trun.payload() + 4);
    long p = trun.payload() + 8;
    long dataOffset = 0;
    boolean hasOffset = (flags & 0x01) != 0;
    if (hasOffset) {
      dataOffset = (int) r.u32(p); // signed
      p += 4;
    }
    if ((flags & 0x04) != 0) {
      p += 4;
    }
    int per = 0;
    for (long bit : new long[] {0x100, 0x200, 0x400, 0x800}) {
      if ((flags & bit) != 0) {
        per += 4;
      }
    }
    long duration;
    long bytes;
    if (per == 0) {
      // Every sample takes the defaults: no table to read, however many samples are claimed.
      duration = Math.multiplyExact(n, f.duration);
      bytes = Math.multiplyExact(n, f.size);
    } else {
      requireFits(trun, p, n, per);
      duration = 0;
      bytes = 0;
    }
    for (long i = 0; per > 0 && i < n; i++) {
      long d = f.duration;
      long s = f.size;
      if ((flags & 0x100) != 0) {
        d = r.u32(p);
        p += 4;
      }
      if ((flags & 0x200) != 0) {
        s = r.u32(p);
        p += 4;
      }
      if ((flags & 0x400) != 0) {
        p += 4;
      }
      if ((flags & 0x800) != 0) {
        if (i == 0 && !t.sawFragmentSample) {
          long cts = r.u32(p);
          t.firstFragmentCompositionOffset = version == 0 ? cts : (int) cts;
        }
        p += 4;
      }
      duration = Math.addExact(duration, d);
      bytes = Math.addExact(bytes, s);
    }
    if (n > 0) {
      t.sawFragmentSample = true;
    }
    t.fragSamples = Math.addExact(t.fragSamples, n);
    t.fragBytes = Math.addExact(t.fragBytes, bytes);
    t.fragDuration = Math.addExact(t.fragDuration, duration);
    if (hasOffset && f.baseOffset + dataOffset + bytes > r.size()) {
      throw new Truncated("fragment data of track " + t.id + " ends past the end of the file");
    }
    return duration;
  }

  /**
   * The end of the last byte any of the track's moov samples occupies (0 without samples), from its
   * chunk offsets, sample-to-chunk and sample sizes.
   */
  long samplesEnd(Track t) throws IOException {
    if (t.samples == 0) {
      return 0;
    }
    if (t.chunkOffsets == null || t.sampleToChunk == null || t.sampleSizes == null) {
      throw new Malformed("track " + t.id + " has samples but no chunk tables");
    }
    if (!t.sampleSizes.type().equals("stsz")) {
      throw new Truncated(
          "a last mdat claims bytes past the end of the file"); // stz2: not checked, stays
      // conservative
    }
    Table co = t.chunkOffsets;
    boolean wide = co.type().equals("co64");
    long chunks = r.u32(co.payload() + 4);
    fits(co.type(), co.payload() + 8, co.end(), chunks, wide ? 8 : 4);
    Table sc = t.sampleToChunk;
    long runs = r.u32(sc.payload() + 4);
    fits(sc.type(), sc.payload() + 8, sc.end(), runs, 12);
    Table sz = t.sampleSizes;
    long fixed = r.u32(sz.payload() + 4);
    long sizes = r.u32(sz.payload() + 8);
    if (fixed == 0) {
      fits(sz.type(), sz.payload() + 12, sz.end(), sizes, 4);
    }
    long sample = 0;
    long end = 0;
    for (long i = 0; i < runs && sample < sizes; i++) {
      long first = r.u32(sc.payload() + 8 + 12 * i);
      long perChunk = r.u32(sc.payload() + 12 + 12 * i);
      long next = i + 1 < runs ? r.u32(sc.payload() + 8 + 12 * (i + 1)) : chunks + 1;
      if (first < 1 || next <= first && i + 1 < runs) {
        throw new Malformed("stsc runs out of order");
      }
      for (long chunk = first; chunk < Math.min(next, chunks + 1) && sample < sizes; chunk++) {
        long offset = wide
            ? r.u64(co.payload() + 8 + 8 * (chunk - 1))
            : r.u32(co.payload() + 8 + 4 * (chunk - 1));
        long take = Math.min(perChunk, sizes - sample);
        long bytes = 0;
        if (fixed != 0) {
          bytes = Math.multiplyExact(fixed, take);
        } else {
          for (long k = 0; k < take; k++) {
            bytes = Math.addExact(bytes, r.u32(sz.payload() + 12 + 4 * (sample + k)));
          }
        }
        sample += take;
        end = Math.max(end, Math.addExact(offset, bytes));
      }
    }
    return end;
  }
}
