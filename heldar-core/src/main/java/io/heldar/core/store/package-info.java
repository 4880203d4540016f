/** The store SPIs the engines need; {@code heldar-store} implements them on SQLite. */
package io.heldar.core.store;
