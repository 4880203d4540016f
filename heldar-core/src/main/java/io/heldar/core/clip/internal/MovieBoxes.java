package io.heldar.core.clip.internal;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The header boxes of a clip (ftyp, moov) for both containers. Track 1 is the video, track 2 the
 * sound. Nothing in them depends on when the clip is made, so the same footage and request give
 * the same bytes.
 */
final class MovieBoxes {
  /** The movie timescale: milliseconds. */
  static final long MOVIE_TIMESCALE = 1000;

  static final int VIDEO_TRACK = 1;
  static final int AUDIO_TRACK = 2;

  /** One track's sample tables, spooled; absent for a fragmented clip. */
  record Tables(
      SpooledTable stts,
      SpooledTable ctts,
      SpooledTable stss,
      SpooledTable stsz,
      SpooledTable stsc,
      SpooledTable co64,
      long chunkShift) {}

  /** One track's header facts. */
  record TrackFacts(long mediaDuration, long editStart, Tables tables) {}

  private MovieBoxes() {}

  static void ftyp(Boxes b, PartFormat f, boolean fragmented) {
    b.open("ftyp").fourcc("isom").u32(0x200).fourcc("isom").fourcc("iso2");
    if (fragmented) {
      b.fourcc("iso6");
    }
    b.fourcc("mp41");
    if (f.videoCodec.equals("h264")) {
      b.fourcc("avc1");
    }
    b.close();
  }

  /** The moov of a progressive part; {@code audio} is null without sound. */
  static Boxes moov(PartFormat f, TrackFacts video, TrackFacts audio) {
    return moov(f, video, audio, false, 0);
  }

  /**
   * The moov of a part; {@code audio} is null without sound. A fragmented part states its
   * duration ({@code fragmentedMillis}; 0 while a part is only being sized) in an mehd box.
   */
  static Boxes moov(
      PartFormat f, TrackFacts video, TrackFacts audio, boolean fragmented, long fragmentedMillis) {
    Boxes b = new Boxes();
    long movieDuration = fragmented ? 0 : toMovie(video.mediaDuration(), f.videoTimescale);
    b.open("moov");
    b.open("mvhd", 0, 0).u32(0).u32(0).u32(MOVIE_TIMESCALE).u32(movieDuration);
    b.u32(0x00010000).u16(0x0100).zeros(10).matrix().zeros(24);
    b.u32(f.hasAudio() ? 3 : 2).close();
    trak(b, f, true, video, fragmented);
    if (f.hasAudio()) {
      trak(b, f, false, audio, fragmented);
    }
    if (fragmented) {
      b.open("mvex");
      // Always there, so a part sized before its duration is known has the size it is written at.
      b.open("mehd", 0, 0).u32(fragmentedMillis).close();
      trex(b, VIDEO_TRACK);
      if (f.hasAudio()) {
        trex(b, AUDIO_TRACK);
      }
      b.close();
    }
    return b.close();
  }

  private static void trex(Boxes b, int track) {
    b.open("trex", 0, 0).u32(track).u32(1).u32(0).u32(0).u32(0).close();
  }

  private static long toMovie(long mediaDuration, long timescale) {
    return timescale == 0 ? 0 : mediaDuration * MOVIE_TIMESCALE / timescale;
  }

  private static void trak(Boxes b, PartFormat f, boolean video, TrackFacts t, boolean fragmented) {
    long timescale = video ? f.videoTimescale : f.audioTimescale;
    long movieDuration = fragmented ? 0 : toMovie(t.mediaDuration(), timescale);
    b.open("trak");
    b.open("tkhd", 0, 3).u32(0).u32(0).u32(video ? VIDEO_TRACK : AUDIO_TRACK).u32(0);
    b.u32(movieDuration)
        .zeros(8)
        .u16(0)
        .u16(video ? 0 : 1)
        .u16(video ? 0 : 0x0100)
        .u16(0);
    b.matrix().u32(video ? (long) f.width << 16 : 0).u32(video ? (long) f.height << 16 : 0);
    b.close();
    if (t.editStart() != 0 || !fragmented) {
      // The first sample presents at editStart (its composition offset): the edit starts the
      // presentation there, as the recorder's own edit list did.
      b.open("edts").open("elst", 0, 0).u32(1).u32(movieDuration).u32(t.editStart());
      b.u32(0x00010000).close().close();
    }
    b.open("mdia");
    b.open("mdhd", 0, 0).u32(0).u32(0).u32(timescale);
    b.u32(fragmented ? 0 : t.mediaDuration()).u16(0x55c4).u16(0).close();
    b.open("hdlr", 0, 0).u32(0).fourcc(video ? "vide" : "soun").zeros(12);
    b.bytes((video ? "VideoHandler" : "SoundHandler")
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    b.u8(0).close();
    b.open("minf");
    if (video) {
      b.open("vmhd", 0, 1).zeros(8).close();
    } else {
      b.open("smhd", 0, 0).zeros(4).close();
    }
    b.open("dinf").open("dref", 0, 0).u32(1).open("url ", 0, 1).close().close().close();
    b.open("stbl");
    b.open("stsd", 0, 0).u32(1).bytes(video ? f.videoEntry : f.audioEntry).close();
    Tables tables = t.tables();
    if (tables == null) {
      b.open("stts", 0, 0).u32(0).close();
      b.open("stsc", 0, 0).u32(0).close();
      b.open("stsz", 0, 0).u32(0).u32(0).close();
      b.open("stco", 0, 0).u32(0).close();
    } else {
      table(b, "stts", 0, tables.stts());
      if (tables.ctts() != null) {
        table(b, "ctts", 1, tables.ctts());
      }
      if (tables.stss() != null) {
        table(b, "stss", 0, tables.stss());
      }
      b.open("stsz", 0, 0)
          .u32(0)
          .u32(tables.stsz().entries())
          .insert(tables.stsz())
          .close();
      table(b, "stsc", 0, tables.stsc());
      b.open("co64", 0, 0)
          .u32(tables.co64().entries())
          .insert(shifted(tables.co64(), tables.chunkShift()))
          .close();
    }
    b.close().close().close().close();
  }

  /** Chunk offsets as spooled, each moved by {@code shift} (where the mdat's data starts). */
  static Boxes.External shifted(SpooledTable co64, long shift) {
    return new Boxes.External() {
      @Override
      public long length() {
        return co64.length();
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        co64.writeTo(out, shift);
      }
    };
  }

  private static void table(Boxes b, String type, int version, SpooledTable t) {
    b.open(type, version, 0).u32(t.entries()).insert(t).close();
  }
}
