/** The SQLite implementation of Heldar's store SPIs. */
package io.heldar.store.sqlite;
