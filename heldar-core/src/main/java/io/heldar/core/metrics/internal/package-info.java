/**
 * The metrics' implementation, no compatibility promise: {@link
 * io.heldar.core.metrics.internal.MetricsCollector} hears the engines and the events and holds each
 * camera's counters, gauges and status.
 */
package io.heldar.core.metrics.internal;
