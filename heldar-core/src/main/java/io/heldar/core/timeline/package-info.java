/**
 * Timeline queries: {@link io.heldar.core.timeline.Timeline} gives pages of segments ({@link
 * io.heldar.core.timeline.SegmentPage}, {@link io.heldar.core.timeline.SpanPage}), {@link
 * io.heldar.core.timeline.Coverage} with its gaps, per-day {@link
 * io.heldar.core.timeline.DaySummary}s and the nearest snapshot.
 */
package io.heldar.core.timeline;
