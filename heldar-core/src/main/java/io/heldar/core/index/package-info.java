/**
 * Segment indexing: {@link io.heldar.core.index.SegmentIndexer} turns closed recording files into
 * timeline rows, as {@link io.heldar.core.index.IndexingOptions} say; {@link
 * io.heldar.core.index.SegmentNaming} reads start times and cameras from paths (presets for
 * MediaMTX, Frigate, Shinobi, ZoneMinder, Blue Iris); every file lands in a {@link
 * io.heldar.core.index.FileBucket} of the {@link io.heldar.core.index.ScanReport}.
 */
package io.heldar.core.index;
