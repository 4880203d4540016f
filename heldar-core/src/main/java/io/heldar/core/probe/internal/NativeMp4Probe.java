package io.heldar.core.probe.internal;

import io.heldar.core.model.MediaInfo;
import io.heldar.core.probe.IncompleteMediaException;
import io.heldar.core.probe.MediaProbe;
import io.heldar.core.probe.ProbeException;
import io.heldar.core.probe.UnsupportedMediaException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * {@link MediaProbe} for MP4-family files in pure Java: box headers and sample tables only, read
 * with positional reads. Fails with a {@link ProbeException} for anything else — truncated,
 * mutated or random bytes included — and with {@link UnsupportedMediaException} for what it does
 * not read (another container, an unknown codec).
 */
public final class NativeMp4Probe implements MediaProbe {
  /** ffprobe's name for the MP4 family, so both probes fill {@code segments.container} alike. */
  public static final String CONTAINER = "mov,mp4,m4a,3gp,3g2,mj2";
  /** One read window per thread, reused across files. */
  private static final ThreadLocal<ByteBuffer> BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(PositionalReader.MAX_WINDOW));

  @Override
  public MediaInfo probe(Path file) throws ProbeException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new ProbeException(file, "not a regular file");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size == 0) {
        throw new ProbeException(file, "empty file (0 bytes)");
      }
      Mp4Format format = new Mp4Format(new PositionalReader(ch, size, BUFFER.get()));
      Mp4Format.Movie movie = format.parse();
      return describe(file, size, format, movie);
    } catch (ProbeException e) {
      throw e; // incomplete, unsupported, or a definite verdict: the type is the caller's to see
    } catch (Mp4Format.Truncated e) {
      throw new IncompleteMediaException(file, "incomplete: " + e.getMessage());
    } catch (Mp4Format.Unsupported e) {
      throw new UnsupportedMediaException(file, e.getMessage());
    } catch (Mp4Format.Malformed e) {
      throw new ProbeException(file, "malformed MP4: " + e.getMessage());
    } catch (ArithmeticException e) {
      throw new ProbeException(file, "malformed MP4: a size or duration overflows");
    } catch (IOException e) {
      throw new ProbeException(file, "cannot read: " + e, e);
    } catch (RuntimeException e) {
      // The parser checks what it reads; anything else is still the file's fault, named as such.
      throw new ProbeException(file, "malformed MP4: " + e, e);
    }
  }

  private static MediaInfo describe(Path file, long size, Mp4Format format, Mp4Format.Movie movie)
      throws ProbeException, IOException {
    Mp4Format.Track video = null;
    Mp4Format.Track audio = null;
    double start = Double.POSITIVE_INFINITY;
    double end = Double.NEGATIVE_INFINITY;
    long sampleBytes = 0;
    boolean sawStill = false;
    for (Mp4Format.Track t : movie.tracks.values()) {
      if (!t.video() && !t.audio()) {
        continue;
      }
      if (t.timescale <= 0) {
        throw new ProbeException(file, "malformed MP4: track " + t.id + " has timescale 0");
      }
      sampleBytes = Math.addExact(sampleBytes, t.sampleBytes);
      if (!t.hasSamples()) {
        continue; // an init segment's tracks, an unused track: no footage, no duration
      }
      TrackTiming timing = timing(t, movie);
      start = Math.min(start, timing.start());
      end = Math.max(end, timing.start() + timing.duration());
      if (t.video() && isStillPicture(t)) {
        sawStill = true;
        continue; // cover art or a thumbnail beside the audio: not video
      }
      if (t.video() && video == null) {
        video = t;
      } else if (t.audio() && audio == null) {
        audio = t;
      }
    }
    if (!(end > start)) {
      // An init segment, an unused recording: headers without media. Its header durations are not
      // footage.
      throw new ProbeException(
          file,
          "no track has samples (an initialization segment, or a recording that never started)");
    }
    if (video == null) {
      throw new UnsupportedMediaException(
          file,
          sawStill
              ? "no video track (only a still picture: cover art or a thumbnail)"
              : "no video track");
    }
    checkMediaData(file, size, format, movie, sampleBytes);
    double duration = end - start;
    if (movie.fragmented && movie.sidxSeconds > 0 && !(duration > 0)) {
      duration = movie.sidxSeconds;
    }
    if (!(duration > 0) || !Double.isFinite(duration)) {
      throw new ProbeException(file, "no valid duration (" + duration + ")");
    }
    int width = video.width > 0 ? video.width : (int) video.tkhdWidth;
    int height = video.height > 0 ? video.height : (int) video.tkhdHeight;
    if (width <= 0 || height <= 0) {
      throw new ProbeException(
          file, "video track has no valid dimensions (" + width + "x" + height + ")");
    }
    // Frames over the time they cover, counted the same way: a fragment sent twice changes neither.
    long frames = video.samples + video.fragSamples;
    double covered = (video.sttsDuration + video.fragDuration) / (double) video.timescale;
    OptionalDouble fps =
        frames > 0 && covered > 0 ? OptionalDouble.of(frames / covered) : OptionalDouble.empty();
    return new MediaInfo(
        Duration.ofNanos(Math.round(duration * 1e9)),
        CONTAINER,
        video.codec,
        width,
        height,
        fps,
        OptionalLong.of(Math.max(1, Math.round(size * 8 / duration))),
        Optional.ofNullable(audio).map(a -> a.codec));
  }

  /**
   * A video track of one picture in a picture codec: cover art or a thumbnail, not footage. One
   * frame of a video codec (H.264, H.265, ...) is footage: a segment of a single frame.
   */
  private static boolean isStillPicture(Mp4Format.Track t) {
    return t.samples + t.fragSamples == 1 && t.codec != null && MediaInfo.isPictureCodec(t.codec);
  }

  /**
   * All the media the tables describe must be in the file: their bytes within the mdat boxes, and
   * when the last mdat claims more than the file holds, every sample before the end of the file.
   */
  private static void checkMediaData(
      Path file, long size, Mp4Format format, Mp4Format.Movie movie, long sampleBytes)
      throws IOException {
    long mdatBytes = 0;
    for (Mp4Format.Box mdat : movie.mdats) {
      mdatBytes += mdat.size() - mdat.header();
    }
    if (sampleBytes > mdatBytes) {
      throw new IncompleteMediaException(
          file,
          "incomplete: the sample tables need " + sampleBytes
              + " bytes of media data but mdat holds " + mdatBytes);
    }
    if (movie.overshoot > 0) {
      for (Mp4Format.Track t : movie.tracks.values()) {
        long samplesEnd = format.samplesEnd(t);
        if (samplesEnd > size) {
          throw new IncompleteMediaException(
              file,
              "incomplete: samples of track " + t.id + " end at byte " + samplesEnd
                  + " but the file has " + size + " (the last mdat claims " + movie.overshoot
                  + " bytes more than the file holds)");
        }
      }
    }
  }

  /** A track's presentation: when it starts and how long it lasts, in seconds. */
  record TrackTiming(double start, double duration) {}

  /**
   * The track's presentation as ffprobe computes it. Media time runs from 0 over the moov's samples
   * and continues through the fragments, each at its {@code tfdt} when it has one (so overlapping
   * fragments count once and a file cut from a live stream starts where its first fragment does).
   * Without an edit list the track starts at its first sample's composition time. With one, in an
   * unfragmented file, leading empty edits delay the track and the other edits' durations are the
   * presentation (each at most what the media holds); in a fragmented file the edits shift the
   * timeline and the samples' durations are the presentation, less what the shift puts before zero.
   */
  static TrackTiming timing(Mp4Format.Track t, Mp4Format.Movie movie) {
    double scale = t.timescale;
    long mediaStart = t.samples > 0 || t.fragStart == Long.MAX_VALUE ? 0 : t.fragStart;
    long mediaEnd =
        t.fragEnd == Long.MIN_VALUE ? t.sttsDuration : Math.max(t.sttsDuration, t.fragEnd);
    long firstComposition =
        t.samples > 0 ? t.firstCompositionOffset : t.firstFragmentCompositionOffset;
    double mediaSeconds = (mediaEnd - mediaStart) / scale;
    boolean edits = t.hasEdits && movie.timescale > 0;
    if (!edits) {
      return new TrackTiming((mediaStart + firstComposition) / scale, mediaSeconds);
    }
    double movieScale = movie.timescale;
    double delay = 0;
    int i = 0;
    for (; i < t.edits.size() && t.edits.get(i).empty(); i++) {
      delay += t.edits.get(i).segmentDuration() / movieScale;
    }
    if (i == t.edits.size()) {
      // Empty edits only (a delay, or one of duration 0): the media follows them unedited.
      return new TrackTiming(delay + (mediaStart + firstComposition) / scale, mediaSeconds);
    }
    long mediaTime = t.edits.get(i).mediaTime();
    if (movie.fragmented) {
      // Samples the edit shifts before zero (audio priming) are not presented.
      double shifted = delay + (mediaStart + firstComposition - mediaTime) / scale;
      return shifted >= 0
          ? new TrackTiming(shifted, mediaSeconds)
          : new TrackTiming(0, Math.max(0, shifted + mediaSeconds));
    }
    double presented = 0;
    for (; i < t.edits.size(); i++) {
      Mp4Format.Edit e = t.edits.get(i);
      if (e.empty()) {
        presented += e.segmentDuration() / movieScale;
        continue;
      }
      // The edit's media time is a composition time: the media's run from the first sample's
      // composition offset (a B-frame delay) to the end plus that offset.
      double available = Math.max(0, (mediaEnd + firstComposition - e.mediaTime()) / scale);
      presented +=
          e.openEnded() ? available : Math.min(e.segmentDuration() / movieScale, available);
    }
    return new TrackTiming(delay, presented);
  }
}
