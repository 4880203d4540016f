/** The native MP4 probe; no compatibility promise. */
package io.heldar.core.probe.internal;
