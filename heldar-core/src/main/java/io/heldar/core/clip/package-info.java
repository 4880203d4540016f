/**
 * Footage out: {@link io.heldar.core.clip.Clips} cuts any range of a camera's indexed segments into
 * MP4 or fragmented MP4 by copying samples (never re-encoding), with the gaps of the range as data,
 * and {@link io.heldar.core.clip.ClipManifest} is the evidence of what a clip holds and what it does
 * not (source and clip SHA-256, optionally signed with Ed25519).
 */
package io.heldar.core.clip;
