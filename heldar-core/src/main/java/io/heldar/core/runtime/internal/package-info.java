/** Implementation of the runtime; no compatibility promise. */
package io.heldar.core.runtime.internal;
