/** Implementation of retention; no compatibility promise. */
package io.heldar.core.retention.internal;
