/** The gap healer. No compatibility promise. */
package io.heldar.core.heal.internal;
