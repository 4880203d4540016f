/** Implementation of the SQLite store; no compatibility promise. */
package io.heldar.store.sqlite.internal;
