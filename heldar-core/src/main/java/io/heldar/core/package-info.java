/**
 * Start here: {@link io.heldar.core.Heldar} wires a store, adapters and options into engines on a
 * supervised runtime ({@code Heldar.builder()…build()}, {@code start()}, {@code stop()}); {@link
 * io.heldar.core.HeldarClient} ({@code heldar.client()}) is what a host does with it: cameras,
 * schedules, holds, timeline, events; {@link io.heldar.core.HeldarException} is the one exception
 * root.
 */
package io.heldar.core;
