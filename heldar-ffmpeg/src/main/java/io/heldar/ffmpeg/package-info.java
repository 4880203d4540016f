/** Adapters on the ffmpeg tools: the {@code ffprobe} media probe and locating the binaries. */
package io.heldar.ffmpeg;
