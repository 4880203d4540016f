/** Implementation of snapshot scheduling and sources; no compatibility promise. */
package io.heldar.core.snapshot.internal;
