/** The tier mover. No compatibility promise. */
package io.heldar.core.tier.internal;
