/**
 * The store SPIs the engines need, for store implementers: {@link io.heldar.core.store.HeldarStore}
 * and one small interface per table ({@link io.heldar.core.store.SegmentStore}, {@link
 * io.heldar.core.store.GapStore}, {@link io.heldar.core.store.LeaseStore}, …); {@link
 * io.heldar.core.store.StoreException} roots their failures. {@code heldar-store} implements them
 * once on Jdbi, for SQLite and PostgreSQL, and its contract kit tests any implementation. A host's
 * own operations go through {@code HeldarClient}.
 */
package io.heldar.core.store;
