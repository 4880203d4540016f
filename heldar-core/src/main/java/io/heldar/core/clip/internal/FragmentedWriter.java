package io.heldar.core.clip.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.time.Duration;

/**
 * Writes a part as fragmented MP4 while it reads: the header first, then per fragment (one GOP,
 * about a second or more) a moof with a traf per track and an mdat with the video samples, then
 * the sound. A movie fragment random access box (mfra) at the end lets players seek without
 * reading every fragment. Holds one fragment's table at a time.
 */
final class FragmentedWriter implements PartWriter {
  private static final int SAMPLE_SYNC = 0x02000000;
  private static final int SAMPLE_NON_SYNC = 0x01010000;

  private final ClipOutput out;
  private final FragmentMedia media = new FragmentMedia();
  private final PartFormat format;
  private boolean started;
  private int sequence;
  private final Boxes randomAccess = new Boxes();
  private int randomAccessEntries;

  private final Duration plannedDuration;
  private final boolean sizing;

  /**
   * @param plannedDuration the part's duration, for the header (mehd); zero when not known
   * @param sizing count the media, never read it (the output is only being sized)
   */
  FragmentedWriter(ClipOutput out, PartFormat format, Duration plannedDuration, boolean sizing) {
    this.out = out;
    this.format = format;
    this.plannedDuration = plannedDuration;
    this.sizing = sizing;
  }

  /** Why the last {@link #add} stopped early, or null. */
  private String stoppedBecause;

  /** Why the last {@link #add} wrote fewer fragments than it was given, or null. */
  String stoppedBecause() {
    return stoppedBecause;
  }

  /**
   * Writes the selection's fragments; returns how many were written. Each fragment's media is
   * read before anything of it is written, so a file that shrinks or vanishes while it is copied
   * ends the selection at a fragment boundary ({@link #stoppedBecause}), never in a torn fragment.
   */
  @Override
  public int add(Selection s, FileChannel source) throws IOException {
    stoppedBecause = null;
    if (!started) {
      started = true;
      Boxes head = new Boxes();
      MovieBoxes.ftyp(head, format, true);
      out.write(head.toArray());
      long editStart = Math.max(0, s.videoCto(s.v0));
      Boxes moov = MovieBoxes.moov(
          format,
          new MovieBoxes.TrackFacts(0, editStart, null),
          new MovieBoxes.TrackFacts(0, 0, null),
          true,
          plannedDuration.toMillis());
      moov.writeTo(out);
    }
    for (int f = 0; f < s.fragmentCount(); f++) {
      try {
        media.reset();
        if (sizing) {
          fragment(s, f);
          continue;
        }
        media.read(s.video, s.fragments[f], s.videoEnd(f), source);
        if (s.audio != null) {
          media.read(s.audio, s.audioStarts[f], s.audioEnd(f), source);
        }
      } catch (SourceChangedException e) {
        stoppedBecause = e.getMessage();
        return f;
      }
      fragment(s, f);
    }
    return s.fragmentCount();
  }

  private void fragment(Selection s, int f) throws IOException {
    int v0 = s.fragments[f];
    int v1 = s.videoEnd(f);
    int a0 = s.audio == null ? 0 : s.audioStarts[f];
    int a1 = s.audio == null ? 0 : s.audioEnd(f);
    long moofAt = out.written();
    randomAccess.u64(s.videoDts(v0)).u64(moofAt).u8(1).u8(1).u8(1);
    randomAccessEntries++;
    Boxes moof = new Boxes();
    moof.open("moof").open("mfhd", 0, 0).u32(++sequence).close();
    long videoBytes = 0;
    boolean negative = false;
    for (int i = v0; i < v1; i++) {
      videoBytes += s.video.size[i];
      negative |= s.videoCto(i) < 0;
    }
    moof.open("traf").open("tfhd", 0, 0x020000).u32(MovieBoxes.VIDEO_TRACK).close();
    moof.open("tfdt", 1, 0).u64(s.videoDts(v0)).close();
    moof.open("trun", negative ? 1 : 0, 0x000f01).u32(v1 - v0);
    int videoOffsetAt = moof.length();
    moof.u32(0);
    for (int i = v0; i < v1; i++) {
      moof.u32(s.videoDuration(i)).u32(s.video.size[i]);
      moof.u32(s.video.sync[i] ? SAMPLE_SYNC : SAMPLE_NON_SYNC).u32(s.videoCto(i));
    }
    moof.close().close();
    int audioOffsetAt = -1;
    if (a1 > a0) {
      moof.open("traf").open("tfhd", 0, 0x020000).u32(MovieBoxes.AUDIO_TRACK).close();
      moof.open("tfdt", 1, 0).u64(s.audioDts(a0)).close();
      moof.open("trun", 0, 0x000301).u32(a1 - a0);
      audioOffsetAt = moof.length();
      moof.u32(0);
      for (int i = a0; i < a1; i++) {
        moof.u32(s.audioDuration(i)).u32(s.audio.size[i]);
      }
      moof.close().close();
    }
    moof.close();
    long moofSize = moof.length();
    moof.patch32(videoOffsetAt, moofSize + 8);
    if (audioOffsetAt >= 0) {
      moof.patch32(audioOffsetAt, moofSize + 8 + videoBytes);
    }
    long audioBytes = 0;
    for (int i = a0; i < a1; i++) {
      audioBytes += s.audio.size[i];
    }
    long mdatSize = 8 + videoBytes + audioBytes;
    if (mdatSize > 0xffffffffL) {
      throw new IllegalStateException("a fragment of " + mdatSize + " bytes");
    }
    out.write(moof.toArray());
    out.write(new Boxes().u32(mdatSize).fourcc("mdat").toArray());
    if (sizing) {
      out.skip(videoBytes + audioBytes);
    } else {
      out.write(media.bytes());
    }
  }

  @Override
  public void finish() throws IOException {
    if (!started) {
      return;
    }
    Boxes b = new Boxes();
    b.open("mfra");
    b.open("tfra", 1, 0).u32(MovieBoxes.VIDEO_TRACK).u32(0).u32(randomAccessEntries);
    b.bytes(randomAccess.toArray()).close();
    b.open("mfro", 0, 0);
    b.u32(b.length() + 4L).close(); // the size of the mfra: all written so far and this field
    b.close();
    out.write(b.toArray());
  }
}
