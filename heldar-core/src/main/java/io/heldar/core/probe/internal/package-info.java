/**
 * The native MP4 probe, no compatibility promise: {@link
 * io.heldar.core.probe.internal.NativeMp4Probe} over {@link
 * io.heldar.core.probe.internal.Mp4Format} (boxes and sample tables, bounded reads), {@link
 * io.heldar.core.probe.internal.CodecConfig} (picture sizes from avcC and hvcC).
 */
package io.heldar.core.probe.internal;
