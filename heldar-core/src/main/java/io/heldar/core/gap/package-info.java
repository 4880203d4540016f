/**
 * Gap detection: {@link io.heldar.core.gap.GapDetector} keeps each camera's {@code recording_gaps}
 * equal to the holes between its indexed segments, tuned by {@link
 * io.heldar.core.gap.GapDetector.Options} (threshold, overlap tolerance).
 */
package io.heldar.core.gap;
