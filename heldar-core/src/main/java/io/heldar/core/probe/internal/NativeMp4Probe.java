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
  private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocate(PositionalReader.MAX_WINDOW));

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
      Mp4Format.Movie movie = new Mp4Format(new PositionalReader(ch, size, BUFFER.get())).parse();
      return describe(file, size, movie);
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

  private static MediaInfo describe(Path file, long size, Mp4Format.Movie movie) throws ProbeException {
    Mp4Format.Track video = null;
    Mp4Format.Track audio = null;
    double duration = 0;
    long sampleBytes = 0;
    for (Mp4Format.Track t : movie.tracks.values()) {
      if (!t.video() && !t.audio()) {
        continue;
      }
      if (t.timescale <= 0) {
        throw new ProbeException(file, "malformed MP4: track " + t.id + " has timescale 0");
      }
      double seconds = trackSeconds(t, movie);
      duration = Math.max(duration, seconds);
      sampleBytes = Math.addExact(sampleBytes, t.sampleBytes);
      if (t.video() && video == null) {
        video = t;
      } else if (t.audio() && audio == null) {
        audio = t;
      }
    }
    if (video == null) {
      throw new UnsupportedMediaException(file, "no video track");
    }
    long mdatBytes = 0;
    for (Mp4Format.Box mdat : movie.mdats) {
      mdatBytes += mdat.size() - mdat.header();
    }
    if (sampleBytes > mdatBytes) {
      throw new IncompleteMediaException(file, "incomplete: the sample tables need " + sampleBytes + " bytes of media data but mdat holds " + mdatBytes);
    }
    if (movie.fragmented && movie.sidxSeconds > 0 && duration == 0) {
      duration = movie.sidxSeconds;
    }
    if (!(duration > 0) || !Double.isFinite(duration)) {
      throw new ProbeException(file, "no valid duration (" + duration + ")");
    }
    int width = video.width > 0 ? video.width : (int) video.tkhdWidth;
    int height = video.height > 0 ? video.height : (int) video.tkhdHeight;
    if (width <= 0 || height <= 0) {
      throw new ProbeException(file, "video track has no valid dimensions (" + width + "x" + height + ")");
    }
    long frames = video.samples + video.fragSamples;
    double videoSeconds = trackSeconds(video, movie);
    OptionalDouble fps = frames > 0 && videoSeconds > 0 ? OptionalDouble.of(frames / videoSeconds) : OptionalDouble.empty();
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

  private static double trackSeconds(Mp4Format.Track t, Mp4Format.Movie movie) {
    long units = t.mdhdDuration > 0 ? t.mdhdDuration : t.sttsDuration;
    return (double) Math.addExact(units, t.fragDuration) / t.timescale;
  }
}
