/** Implementation of event publishing; no compatibility promise. */
package io.heldar.core.event.internal;
