/**
 * Healing gaps from the cameras' own storage: an {@link io.heldar.core.heal.EdgeSource} fetches what
 * a camera kept for a range; the healer writes it, checked, into the camera's directory in the
 * recorder's layout, and the indexer indexes it like any segment ({@link
 * io.heldar.core.heal.HealOptions}).
 */
package io.heldar.core.heal;
