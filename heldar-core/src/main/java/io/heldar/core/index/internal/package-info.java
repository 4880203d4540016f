/** Implementation of segment indexing; no compatibility promise. */
package io.heldar.core.index.internal;
