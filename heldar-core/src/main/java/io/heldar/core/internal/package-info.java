/** Small helpers shared by the engines; no compatibility promise. */
package io.heldar.core.internal;
