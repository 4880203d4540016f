/**
 * The SQLite store: {@link io.heldar.store.sqlite.SqliteHeldarStore} ({@code open(path)}, tuned by
 * {@link io.heldar.store.sqlite.SqliteHeldarStore.Options}): one writer, readers under WAL,
 * checkpoints on their own connection.
 */
package io.heldar.store.sqlite;
