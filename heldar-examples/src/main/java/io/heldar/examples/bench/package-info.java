/**
 * Benchmarks run by {@code heldar bench …}: {@link io.heldar.examples.bench.ArchiveBench} (indexing
 * a large archive), {@link io.heldar.examples.bench.HttpBench} (the HTTP API under load and slow
 * clients), {@link io.heldar.examples.bench.ProbeFuzzer} (the native probe against mutated files).
 * Their figures are in {@code docs/performance.md}.
 */
package io.heldar.examples.bench;
