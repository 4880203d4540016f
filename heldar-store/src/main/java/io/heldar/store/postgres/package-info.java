/**
 * The PostgreSQL store: the same tables, the same behaviour and the same contract tests as the
 * SQLite store, on a server several Heldar processes can share.
 */
package io.heldar.store.postgres;
