/** Interval snapshot schedules and the snapshot source SPI. */
package io.heldar.core.snapshot;
