/**
 * The seam every SQL store is written against: one implementation of Heldar's store SPIs on Jdbi
 * ({@link io.heldar.store.jdbi.JdbiHeldarStore}), a {@link io.heldar.store.jdbi.Database} that hands
 * out transactions, and a small {@link io.heldar.store.jdbi.SqlDialect} for what really differs
 * between databases. SQLite and PostgreSQL are the two dialects Heldar ships; see
 * {@code docs/spi.md}, "Writing a store".
 */
package io.heldar.store.jdbi;
