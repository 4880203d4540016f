/**
 * Indexing's implementation, no compatibility promise: {@link
 * io.heldar.core.index.internal.DirectorySegmentIndexer} (the engine) lists through {@link
 * io.heldar.core.index.internal.ListingCache}, probes through {@link
 * io.heldar.core.index.internal.ProbePipeline}, commits through {@link
 * io.heldar.core.index.internal.SegmentCommitter} and reconciles through {@link
 * io.heldar.core.index.internal.DiskReconciler}.
 */
package io.heldar.core.index.internal;
