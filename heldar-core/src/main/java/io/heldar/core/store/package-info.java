/**
 * The store SPIs the engines need; {@code heldar-store} implements them once on Jdbi, for SQLite and
 * PostgreSQL, and its contract kit tests any implementation.
 */
package io.heldar.core.store;
