/**
 * Storage tiers: {@link io.heldar.core.tier.StorageTiers} orders the roots a camera's footage moves
 * through (the recordings root first) with each {@link io.heldar.core.tier.StorageTier}'s move rules;
 * {@link io.heldar.core.tier.TierMoveOptions} bounds how fast moves go. A move copies, syncs,
 * verifies, renames, changes the segment's location in one fenced transaction, then unlinks the
 * source; a crash at any step converges on restart.
 */
package io.heldar.core.tier;
