/** Process running and binary extraction for the ffmpeg adapters; no compatibility promise. */
package io.heldar.ffmpeg.internal;
