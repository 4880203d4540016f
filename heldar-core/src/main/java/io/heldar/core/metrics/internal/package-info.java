/** Implementation of the metrics; no compatibility promise. */
package io.heldar.core.metrics.internal;
