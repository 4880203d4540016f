/**
 * Gap detection's implementation, no compatibility promise: {@link
 * io.heldar.core.gap.internal.NeighbourGapDetector} reconciles the gaps around the segments that
 * changed, from their neighbours.
 */
package io.heldar.core.gap.internal;
