/**
 * Opening a store: {@link io.heldar.store.HeldarStores#open} picks SQLite or PostgreSQL from the
 * location alone; {@link io.heldar.store.SchemaVersionException} and {@link
 * io.heldar.store.NotAHeldarDatabaseException} say why a database is refused. The stores
 * themselves are {@code io.heldar.store.sqlite.SqliteHeldarStore} and {@code
 * io.heldar.store.postgres.PostgresHeldarStore}, both on the Jdbi implementation in {@code
 * io.heldar.store.jdbi}.
 */
package io.heldar.store;
