package io.heldar.core.clip.internal;

import java.nio.file.Path;

/**
 * The samples a clip takes from one segment, cut into fragments at sync samples, and where they
 * go on the part's timeline. Video samples {@code [v0, v1)} and audio samples {@code [a0, a1)};
 * fragment {@code i} holds video from {@code fragments[i]} and audio from {@code
 * audioStarts[i]}, each up to the next fragment's start (the last up to {@code v1}, {@code a1}).
 */
final class Selection {
  final Path file;
  final long fileSize;
  final SegmentMedia.Track video;
  final SegmentMedia.Track audio;
  final int v0;
  final int v1;
  final int a0;
  final int a1;
  /** Part-timeline decode times of the first video and audio samples. */
  final long videoBase;

  final long audioBase;
  final int[] fragments;
  final int[] audioStarts;
  /** The part's timescales, which the segment's times are scaled to (0: the segment's own). */
  final long videoTimescale;

  final long audioTimescale;

  Selection(
      Path file,
      long fileSize,
      SegmentMedia.Track video,
      SegmentMedia.Track audio,
      int v0,
      int v1,
      int a0,
      int a1,
      long videoBase,
      long audioBase,
      int[] fragments,
      int[] audioStarts,
      long videoTimescale,
      long audioTimescale) {
    this.videoTimescale = videoTimescale == 0 ? video.timescale : videoTimescale;
    this.audioTimescale =
        audioTimescale == 0 ? (audio == null ? 0 : audio.timescale) : audioTimescale;
    this.file = file;
    this.fileSize = fileSize;
    this.video = video;
    this.audio = audio;
    this.v0 = v0;
    this.v1 = v1;
    this.a0 = a0;
    this.a1 = a1;
    this.videoBase = videoBase;
    this.audioBase = audioBase;
    this.fragments = fragments;
    this.audioStarts = audioStarts;
  }

  int fragmentCount() {
    return fragments.length;
  }

  int videoEnd(int fragment) {
    return fragment + 1 < fragments.length ? fragments[fragment + 1] : v1;
  }

  int audioEnd(int fragment) {
    return fragment + 1 < audioStarts.length ? audioStarts[fragment + 1] : a1;
  }

  /** The part-timeline decode time of video sample {@code i}. */
  long videoDts(int i) {
    return videoBase + scale(video.dts[i] - video.dts[v0], video.timescale, videoTimescale);
  }

  /** How long video sample {@code i} lasts on the part's timeline. */
  long videoDuration(int i) {
    return i + 1 < v1
        ? videoDts(i + 1) - videoDts(i)
        : Math.max(1, scale(video.duration[i], video.timescale, videoTimescale));
  }

  /** Video sample {@code i}'s composition offset on the part's timeline. */
  long videoCto(int i) {
    return scale(video.cto[i], video.timescale, videoTimescale);
  }

  /** The part-timeline decode time of audio sample {@code i}. */
  long audioDts(int i) {
    return audioBase + scale(audio.dts[i] - audio.dts[a0], audio.timescale, audioTimescale);
  }

  /** How long audio sample {@code i} lasts on the part's timeline. */
  long audioDuration(int i) {
    return i + 1 < a1
        ? audioDts(i + 1) - audioDts(i)
        : Math.max(1, scale(audio.duration[i], audio.timescale, audioTimescale));
  }

  /** Part-timeline decode time just after the last video sample. */
  long videoEndDts() {
    return videoDts(v1 - 1) + videoDuration(v1 - 1);
  }

  long audioEndDts() {
    return a1 > a0 ? audioDts(a1 - 1) + audioDuration(a1 - 1) : audioBase;
  }

  /** {@code value} in timescale {@code from}, in timescale {@code to}, rounded. */
  static long scale(long value, long from, long to) {
    return from == to ? value : Math.round((double) value * to / from);
  }

  /** A fingerprint of what is taken: sizes and offsets, to see the file unchanged when copying. */
  long fingerprint() {
    long h = fileSize;
    for (int i = v0; i < v1; i++) {
      h = h * 31 + video.offset[i] * 7 + video.size[i];
    }
    for (int i = a0; i < a1; i++) {
      h = h * 31 + audio.offset[i] * 7 + audio.size[i];
    }
    return h;
  }
}
