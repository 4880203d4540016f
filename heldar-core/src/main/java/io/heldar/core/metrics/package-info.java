/**
 * What a running Heldar has done, kept in memory as the engines work ({@link
 * io.heldar.core.metrics.HeldarMetrics}, read through {@code Heldar.metrics()}): reading it runs no
 * SQL, so a scrape every few seconds costs nothing.
 */
package io.heldar.core.metrics;
