package io.heldar.core.clip;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Rewrites a segment the native reader does not read (MPEG-TS, Matroska, an MP4 layout it refuses)
 * as MP4, by stream copy, so {@link Clips} can cut it like any other: {@code heldar-ffmpeg}'s
 * {@code FfmpegSegmentRemuxer} runs {@code ffmpeg -c copy}. Called on the exporting thread; the
 * target is a temporary file {@link Clips} removes when the part is written.
 */
@FunctionalInterface
public interface SegmentRemuxer {
  /**
   * Writes {@code source}'s first video stream (and first audio stream, if any) into {@code
   * target} as MP4, samples copied as they are.
   *
   * @throws IOException when it cannot: the segment then becomes an {@code unreadable} gap, with
   *     this message as its detail
   */
  void remux(Path source, Path target) throws IOException;
}
