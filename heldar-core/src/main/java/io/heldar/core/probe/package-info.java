/**
 * The media probe SPI: {@link io.heldar.core.probe.MediaProbe} says what a segment file holds;
 * {@link io.heldar.core.probe.MediaProbes} gives the native MP4 probe and the automatic one; the
 * exceptions say whose fault a failure is: the file's ({@link io.heldar.core.probe.ProbeException},
 * {@link io.heldar.core.probe.IncompleteMediaException}), the probe's reach ({@link
 * io.heldar.core.probe.UnsupportedMediaException}) or the probe's own ({@link
 * io.heldar.core.probe.ProbeUnavailableException}).
 */
package io.heldar.core.probe;
