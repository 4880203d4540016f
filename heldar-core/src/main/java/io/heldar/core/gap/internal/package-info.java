/** Implementation of gap detection; no compatibility promise. */
package io.heldar.core.gap.internal;
